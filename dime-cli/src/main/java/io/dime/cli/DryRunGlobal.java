package io.dime.cli;

import io.dime.core.Dime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dry run's time for the summary's global analysis: the analysis itself, timed on two smaller
 * grids of the same model and pool and fitted as a fixed part plus a time per cell. Its cost is not
 * the explanations' per row: every cell is a model pass no cache saves, and every term of every
 * class is summed over every cell (2^k terms), so the per-row time of the explanations put a
 * six-modality job's 12 seconds of global analysis at 0.
 */
final class DryRunGlobal {
  /** Cells of the larger timed grid, at most: a fraction of a second on a small model. */
  static final long MEASURED_CELLS = 20_000;

  private DryRunGlobal() {}

  /**
   * The references per modality of a timed grid: the largest count at most {@code grid} whose grid
   * has at most {@code cells} cells, and at least 2.
   */
  static int measuredReferences(int grid, int k, long cells) {
    int n = Math.max(2, grid);
    while (n > 2 && Math.pow(n, k) > cells) {
      n--;
    }
    return n;
  }

  /** The larger timed grid's references: at most {@link #MEASURED_CELLS} cells. */
  static int measuredReferences(int grid, int k) {
    return measuredReferences(grid, k, MEASURED_CELLS);
  }

  /**
   * Times the global analysis at {@link #measuredReferences} and at a grid of about a quarter of
   * its cells, after a first run that the JIT compiles (timed cold and at one size, a six-modality
   * grid's estimate was 1.75 times the run's).
   */
  static Map<String, Object> measure(Dime dime, int grid, int k) {
    Map<String, Object> m = new LinkedHashMap<>();
    int n = measuredReferences(grid, k);
    int small = measuredReferences(n, k, (long) Math.pow(n, k) / 4);
    try {
      dime.globalAnalysis(n);
      m.put("globalReferences", n);
      m.put("globalSeconds", timed(dime, n));
      m.put("globalRunReferences", grid);
      if (small < n && n < grid) { // the run's own grid timed needs no fit
        m.put("globalReferencesSmall", small);
        m.put("globalSecondsSmall", timed(dime, small));
      }
    } catch (RuntimeException e) {
      m.put("globalError", String.valueOf(e.getMessage()));
    }
    return m;
  }

  private static double timed(Dime dime, int n) {
    long t0 = System.nanoTime();
    dime.globalAnalysis(n);
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * The run's global analysis in seconds: through the two timed grids, a fixed part plus a time per
   * cell (the time per cell at least 0, the fixed part at least 0); with one grid timed, its time
   * times the ratio of the cells; null when none was.
   */
  static Double estimate(Map<String, Object> measurement, int grid, int k) {
    if (!(measurement.get("globalSeconds") instanceof Double t)
        || !(measurement.get("globalReferences") instanceof Integer n)) {
      return null;
    }
    double cells = Math.pow(grid, k);
    double big = Math.pow(n, k);
    if (cells == big) {
      return t; // the run's own grid was timed
    }
    if (measurement.get("globalSecondsSmall") instanceof Double ts
        && measurement.get("globalReferencesSmall") instanceof Integer ns) {
      double few = Math.pow(ns, k);
      double perCell = Math.max(0, (t - ts) / (big - few));
      double fixed = Math.max(0, t - perCell * big);
      if (perCell > 0) {
        return fixed + perCell * cells;
      }
    }
    return t * cells / big;
  }
}
