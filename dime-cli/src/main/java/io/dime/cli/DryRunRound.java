package io.dime.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What some rounds of a dry run's explanations did (datapoints, the formula's rows sent to the
 * model and served from the cache, wall seconds), and the time model fitted on two of them.
 */
final class DryRunRound {
  int rounds;
  int explained;
  long rows;
  long cached;
  double seconds;
  String error;

  Map<String, Object> asMap() {
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("rounds", rounds);
    w.put("datapoints", explained);
    w.put("rows", rows);
    w.put("cachedRows", cached);
    w.put("seconds", seconds);
    return w;
  }

  void add(DryRunRound r) {
    rounds += r.rounds;
    explained += r.explained;
    rows += r.rows;
    cached += r.cached;
    seconds += r.seconds;
    if (r.error != null) {
      error = r.error;
    }
  }

  /**
   * Wall seconds per datapoint as {@code a + b x rows} through two measurements (mean rows and
   * seconds per datapoint each): {a, b}. With one sample count, or two that give no positive fixed
   * part (noise, a busy machine), the larger run's time per row alone (a = 0).
   */
  static double[] fit(DryRunRound one, DryRunRound two) {
    double r1 = (one.rows + one.cached) / (double) one.explained;
    double t1 = one.seconds / one.explained;
    double r2 = (two.rows + two.cached) / (double) two.explained;
    double t2 = two.seconds / two.explained;
    if (two != one && r2 > r1 * 1.2 && t2 > t1) {
      double b = (t2 - t1) / (r2 - r1);
      double a = t1 - b * r1;
      if (a >= 0) {
        return new double[] {a, b};
      }
    }
    double b = t2 / r2;
    return new double[] {0, b};
  }

  /**
   * What the warm-up rounds took beyond what the same work takes warm, in seconds (at least 0). The
   * work is counted as the fit counts it: datapoints, and the formula's rows, cached repeats
   * included (the fitted time per row already holds what the cache saves). Counting only the rows
   * sent to the model would price the warm-up's cached rows as cold start.
   */
  static double warmupExcess(DryRunRound warm, double[] fit) {
    double warmAtSteady = warm.explained * fit[0] + (warm.rows + warm.cached) * fit[1];
    return Math.max(0, warm.seconds - warmAtSteady);
  }
}
