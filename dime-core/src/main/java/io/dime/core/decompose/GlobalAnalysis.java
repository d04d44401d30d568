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
    int c = model.outputCount();
    double[][] grid = new double[(int) cells][];
    BatchRunner runner = new BatchRunner(model, batchSize, transform);
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
    // Marginal means: for each subset T, the mean over the axes outside T, kept on T's axes.
    Map<Term, double[][]> means = new LinkedHashMap<>();
    for (Term t : Term.all(k)) {
      means.put(t, marginal(grid, n, k, t, c));
    }
    // Terms g_S on the grid by Moebius inversion; variance of each over the grid.
    Map<String, Map<String, Double>> shares = new LinkedHashMap<>();
    double[][] additive = new double[(int) cells][c];
    double additiveShare = 0;
    for (int cls = 0; cls < c; cls++) {
      Map<String, Double> perTerm = new LinkedHashMap<>();
      double total = 0;
      Map<Term, Double> var = new LinkedHashMap<>();
      for (Term s : Term.all(k)) {
        if (s.order() == 0) {
          continue;
        }
        double sq = 0;
        for (int cell = 0; cell < cells; cell++) {
          double g = term(means, s, cell, n, k, cls);
          sq += g * g;
          if (s.order() == 1) {
            additive[cell][cls] += g;
          }
        }
        var.put(s, sq / cells);
        total += sq / cells;
      }
      double add = 0;
      for (Map.Entry<Term, Double> e : var.entrySet()) {
        double share = total > 0 ? e.getValue() / total : 0;
        perTerm.put(e.getKey().key(), share);
        if (e.getKey().order() == 1) {
          add += share;
        }
      }
      additiveShare += add / c;
      shares.put(classNames.get(cls), perTerm);
    }
    // Accuracy at the references themselves (the grid's diagonal).
    double modelCorrect = 0;
    double addCorrect = 0;
    int labelled = 0;
    double[] bias = means.get(Term.EMPTY)[0];
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
      modelCorrect += argmax(grid[cell]) == labels[i] ? 1 : 0;
      addCorrect += argmax(proj) == labels[i] ? 1 : 0;
    }
    return new GlobalShares(
        n,
        runner.rowCount(),
        shares,
        labelled == 0 ? Double.NaN : modelCorrect / labelled,
        labelled == 0 ? Double.NaN : addCorrect / labelled,
        additiveShare,
        java.util.Optional.empty());
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
    for (int cell = 0; cell < grid.length; cell++) {
      int key = project(cell, n, k, t);
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
    Map<Term, double[][]> means = new LinkedHashMap<>();
    for (Term t : Term.all(k)) {
      means.put(t, marginal(grid, n, k, t, c));
    }
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

  private static int argmax(double[] y) {
    int best = 0;
    for (int i = 1; i < y.length; i++) {
      if (y[i] > y[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Class index of each reference's label, -1 where missing or not an output name. */
  public static int[] labelIndices(List<java.util.Optional<String>> labels, List<String> names) {
    int[] out = new int[labels.size()];
    List<String> ns = new ArrayList<>(names);
    for (int i = 0; i < out.length; i++) {
      out[i] = labels.get(i).map(ns::indexOf).orElse(-1);
    }
    return out;
  }
}
