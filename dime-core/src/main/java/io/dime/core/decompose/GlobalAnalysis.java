package io.dime.core.decompose;

import static java.util.Objects.requireNonNull;

import io.dime.api.MultimodalModel;
import io.dime.api.Term;
import io.dime.api.run.GlobalShares;
import io.dime.core.infer.BatchRunner;
import io.dime.core.infer.OutputTransform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Global analysis over a reference grid: the model on every combination of n reference datapoints'
 * modalities (n^k rows), decomposed exactly into functional-ANOVA terms over the grid (the product
 * measure of the n references). Reports each term's share of the output variance (Sobol indices)
 * and, as in Hessel and Lee's EMAP, the accuracy of the additive projection at the references
 * themselves next to the model's own accuracy: a model whose additive projection is as accurate as
 * itself does not use interactions for its decisions.
 */
public final class GlobalAnalysis {
  private GlobalAnalysis() {}

  /**
   * Runs the grid.
   *
   * @param model the model (outputs already in the explained scale: pass the transform)
   * @param refs n reference datapoints, refs[i][j] = modality j of reference i
   * @param labels class index per reference, or -1 when unknown
   * @param classNames output names
   * @param transform output transform (log for probabilities)
   * @param batchSize rows per model call
   */
  public static GlobalShares run(
      MultimodalModel model,
      Object[][] refs,
      int[] labels,
      List<String> classNames,
      OutputTransform transform,
      int batchSize) {
    requireNonNull(model, "model is null");
    int n = refs.length;
    int k = refs[0].length;
    long cells = cells(n, k);
    int c = model.outputCount();
    BatchRunner runner = new BatchRunner(model, batchSize, transform);
    double[][] grid = runGrid(runner, refs, cells);
    double scale = scaleDown(grid);
    double rounding = runner.roundingLevel() * scale;
    Map<Term, double[][]> means = marginals(grid, n, k, c);
    // Terms g_S on the grid by Moebius inversion; variance of each over the grid.
    Map<String, Map<String, Double>> shares = new LinkedHashMap<>();
    double[][] additive = new double[grid.length][c];
    double additiveShare = 0;
    int varying = 0; // classes whose output varies over the grid
    for (int cls = 0; cls < c; cls++) {
      double unit = unit(grid, means.get(Term.EMPTY)[0][cls], cls);
      Map<Term, Double> var = termVariances(means, grid.length, n, k, cls, unit, additive);
      double total = 0;
      for (double v : var.values()) {
        total += v;
      }
      boolean varies = total > 0 && varies(grid, means.get(Term.EMPTY)[0][cls], cls, rounding);
      Map<String, Double> perTerm = new LinkedHashMap<>();
      double add = 0;
      for (Map.Entry<Term, Double> e : var.entrySet()) {
        double share = varies ? e.getValue() / total : Double.NaN;
        perTerm.put(e.getKey().key(), share);
        if (e.getKey().order() == 1) {
          add += share;
        }
      }
      if (varies) {
        additiveShare += add;
        varying++;
      }
      shares.put(classNames.get(cls), perTerm);
    }
    double[] accuracy = accuracies(grid, additive, means.get(Term.EMPTY)[0], labels, n, k);
    return new GlobalShares(
        n,
        runner.rowCount(),
        shares,
        accuracy[0],
        accuracy[1],
        varying > 0 ? additiveShare / varying : Double.NaN,
        java.util.Optional.empty());
  }

  /**
   * Whether a class's output varies over the grid beyond the model's rounding ({@link
   * BatchRunner#roundingLevel}): shares of a variance made of rounding would be noise presented as
   * an answer.
   */
  static boolean varies(double[][] grid, double bias, int cls, double rounding) {
    double max = 0;
    for (double[] y : grid) {
      max = Math.max(max, Math.abs(y[cls] - bias));
    }
    return max > rounding;
  }

  /**
   * Rescales a grid whose outputs reach beyond 1e100 by a power of two (exactly) so that the
   * largest is below 1, and returns the factor (1 when left as it is): the sums behind the grid's
   * means, and the Moebius sums of those means, overflowed to infinity for finite outputs near
   * Double.MAX_VALUE (every share NaN). Shares are ratios and accuracies argmaxes: the same in any
   * unit.
   */
  static double scaleDown(double[][] grid) {
    double max = 0;
    for (double[] y : grid) {
      for (double v : y) {
        max = Math.max(max, Math.abs(v));
      }
    }
    if (!(max > HUGE) || Double.isInfinite(max)) {
      return 1;
    }
    double factor = Math.scalb(1.0, -(Math.getExponent(max) + 1));
    for (double[] y : grid) {
      for (int i = 0; i < y.length; i++) {
        y[i] *= factor;
      }
    }
    return factor;
  }

  /** The number of grid cells, n^k, refused above 5 million. */
  private static long cells(int n, int k) {
    long cells = 1;
    for (int j = 0; j < k; j++) {
      cells = Math.multiplyExact(cells, (long) n);
    }
    if (cells > 5_000_000L) {
      throw new IllegalArgumentException(
          "a grid of "
              + n
              + " references over "
              + k
              + " modalities needs "
              + cells
              + " model passes; use fewer references");
    }
    return cells;
  }

  /** The model on every cell; cell = sum_j i_j n^j takes modality j from reference i_j. */
  private static double[][] runGrid(BatchRunner runner, Object[][] refs, long cells) {
    int n = refs.length;
    int k = refs[0].length;
    double[][] grid = new double[(int) cells][];
    int[] idx = new int[k];
    for (int cell = 0; cell < cells; cell++) {
      Object[] row = new Object[k];
      int rem = cell;
      for (int j = 0; j < k; j++) {
        idx[j] = rem % n;
        rem /= n;
        row[j] = refs[idx[j]][j];
      }
      final int at = cell;
      runner.add(row, y -> grid[at] = y.clone());
    }
    runner.flush();
    return grid;
  }

  /** For each subset T, the grid's mean over the axes outside T, kept on T's axes. */
  private static Map<Term, double[][]> marginals(double[][] grid, int n, int k, int c) {
    Map<Term, double[][]> means = new LinkedHashMap<>();
    for (Term t : Term.all(k)) {
      means.put(t, marginal(grid, n, k, t, c));
    }
    return means;
  }

  /** Outputs whose deviations reach beyond these magnitudes have squares out of range. */
  private static final double HUGE = 1e100;

  private static final double TINY = 1e-100;

  /**
   * The unit in which class cls's variances are summed: 1, or the largest deviation of the output
   * from its grid mean when that is beyond 1e100 or below 1e-100 (but not 0), where the squares of
   * the terms would overflow to infinity (shares NaN) or underflow to 0 (shares 0, as if the output
   * did not vary). Shares are ratios of variances, the same in any unit.
   */
  private static double unit(double[][] grid, double bias, int cls) {
    double max = 0;
    for (double[] y : grid) {
      max = Math.max(max, Math.abs(y[cls] - bias));
    }
    return max > HUGE || (max > 0 && max < TINY) ? max : 1;
  }

  /**
   * The variance over the grid of every term but the empty one, for class cls, in units of {@code
   * unit} squared, adding the first-order terms into {@code additive[cell][cls]}.
   */
  private static Map<Term, Double> termVariances(
      Map<Term, double[][]> means,
      int cells,
      int n,
      int k,
      int cls,
      double unit,
      double[][] additive) {
    Map<Term, Double> var = new LinkedHashMap<>();
    for (Term s : Term.all(k)) {
      if (s.order() == 0) {
        continue;
      }
      // g_S depends on S's axes only: its n^|S| values once each, then read per cell (computing
      // it per cell cost 2^|S| marginal look-ups a cell: 3^k per cell over all terms).
      double[] onAxes = termOnAxes(means, s, n, k, cls);
      int[] keys = keys(cells, n, k, s);
      double sq = 0;
      for (int cell = 0; cell < cells; cell++) {
        double g = onAxes[keys[cell]];
        double u = g / unit;
        sq += u * u;
        if (s.order() == 1) {
          additive[cell][cls] += g;
        }
      }
      var.put(s, sq / cells);
    }
    return var;
  }

  /**
   * The accuracies at the references themselves (the grid's diagonal) of the model and of the
   * additive projection bias + sum of first-order terms: {model, additive}, NaN without labels.
   */
  private static double[] accuracies(
      double[][] grid, double[][] additive, double[] bias, int[] labels, int n, int k) {
    int c = bias.length;
    double modelCorrect = 0;
    double addCorrect = 0;
    int labelled = 0;
    for (int i = 0; i < n; i++) {
      if (labels == null || labels[i] < 0 || c < 2) {
        continue;
      }
      int cell = 0;
      int mul = 1;
      for (int j = 0; j < k; j++) {
        cell += i * mul;
        mul *= n;
      }
      double[] proj = new double[c];
      for (int cls = 0; cls < c; cls++) {
        proj[cls] = bias[cls] + additive[cell][cls];
      }
      labelled++;
      modelCorrect += OutputTransform.argmax(grid[cell]) == labels[i] ? 1 : 0;
      addCorrect += OutputTransform.argmax(proj) == labels[i] ? 1 : 0;
    }
    return new double[] {
      labelled == 0 ? Double.NaN : modelCorrect / labelled,
      labelled == 0 ? Double.NaN : addCorrect / labelled
    };
  }

  /** Means of the grid over the axes outside t, indexed by the cell's coordinates on t's axes. */
  private static double[][] marginal(double[][] grid, int n, int k, Term t, int c) {
    int size = 1;
    for (int j = 0; j < k; j++) {
      if (t.contains(j)) {
        size *= n;
      }
    }
    double[][] out = new double[size][c];
    int[] count = new int[size];
    int[] keys = keys(grid.length, n, k, t);
    for (int cell = 0; cell < grid.length; cell++) {
      int key = keys[cell];
      count[key]++;
      for (int cls = 0; cls < c; cls++) {
        out[key][cls] += grid[cell][cls];
      }
    }
    for (int i = 0; i < size; i++) {
      for (int cls = 0; cls < c; cls++) {
        out[i][cls] /= count[i];
      }
    }
    return out;
  }

  /** {@link #project} of every cell in turn, counted as an odometer counts: O(1) a cell. */
  private static int[] keys(int cells, int n, int k, Term t) {
    int[] mul = new int[k]; // the key's step when axis j's coordinate steps up
    int m = 1;
    for (int j = 0; j < k; j++) {
      if (t.contains(j)) {
        mul[j] = m;
        m *= n;
      }
    }
    int[] keys = new int[cells];
    int[] idx = new int[k];
    int key = 0;
    for (int cell = 0; cell < cells; cell++) {
      keys[cell] = key;
      for (int j = 0; j < k; j++) {
        if (++idx[j] < n) {
          key += mul[j];
          break;
        }
        idx[j] = 0;
        key -= (n - 1) * mul[j];
      }
    }
    return keys;
  }

  private static int project(int cell, int n, int k, Term t) {
    int key = 0;
    int mul = 1;
    int rem = cell;
    for (int j = 0; j < k; j++) {
      int ij = rem % n;
      rem /= n;
      if (t.contains(j)) {
        key += ij * mul;
        mul *= n;
      }
    }
    return key;
  }

  /**
   * g_S for class cls at every coordinate of S's axes, indexed as {@link #project} indexes them:
   * the same sums, in the same order, as {@link #term} at any cell with those coordinates.
   */
  private static double[] termOnAxes(Map<Term, double[][]> means, Term s, int n, int k, int cls) {
    int size = means.get(s).length;
    List<Term> subsets = Moebius.subsets(s);
    double[][][] tables = new double[subsets.size()][][];
    int[] signs = new int[subsets.size()];
    for (int i = 0; i < tables.length; i++) {
      tables[i] = means.get(subsets.get(i));
      signs[i] = Moebius.sign(s, subsets.get(i));
    }
    // a cell whose coordinates on S are key's and 0 elsewhere
    int[] strides = new int[k];
    int stride = 1;
    for (int j = 0; j < k; j++) {
      strides[j] = stride;
      stride *= n;
    }
    double[] out = new double[size];
    for (int key = 0; key < size; key++) {
      int cell = 0;
      int rem = key;
      for (int j = 0; j < k; j++) {
        if (s.contains(j)) {
          cell += (rem % n) * strides[j];
          rem /= n;
        }
      }
      double g = 0;
      for (int i = 0; i < tables.length; i++) {
        g += signs[i] * tables[i][project(cell, n, k, subsets.get(i))][cls];
      }
      out[key] = g;
    }
    return out;
  }

  /** g_S at a grid cell. */
  static double term(Map<Term, double[][]> means, Term s, int cell, int n, int k, int cls) {
    double g = 0;
    for (Term t : Moebius.subsets(s)) {
      g += Moebius.sign(s, t) * means.get(t)[project(cell, n, k, t)][cls];
    }
    return g;
  }

  /** The terms g_S of every cell of a grid (for tests and exports): [cell][term bits][class]. */
  public static double[][][] terms(double[][] grid, int n, int k) {
    int c = grid[0].length;
    Map<Term, double[][]> means = marginals(grid, n, k, c);
    double[][][] out = new double[grid.length][1 << k][c];
    for (int cell = 0; cell < grid.length; cell++) {
      for (Term s : Term.all(k)) {
        for (int cls = 0; cls < c; cls++) {
          out[cell][(int) s.bits()][cls] = term(means, s, cell, n, k, cls);
        }
      }
    }
    return out;
  }

  /**
   * Class index of each reference's label, read as a record's label is read for its explanation: an
   * output name, else an output index ({@code "label": 1}); -1 where missing or neither.
   */
  public static int[] labelIndices(List<java.util.Optional<String>> labels, List<String> names) {
    int[] out = new int[labels.size()];
    List<String> ns = new ArrayList<>(names);
    for (int i = 0; i < out.length; i++) {
      out[i] = labels.get(i).map(l -> labelIndex(l, ns)).orElse(-1);
    }
    return out;
  }

  private static int labelIndex(String label, List<String> names) {
    int named = names.indexOf(label);
    if (named >= 0) {
      return named;
    }
    try {
      int i = Integer.parseInt(label.trim());
      return i >= 0 && i < names.size() ? i : -1;
    } catch (NumberFormatException notAnIndex) {
      return -1;
    }
  }
}
