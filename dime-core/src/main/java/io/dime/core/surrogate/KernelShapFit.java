package io.dime.core.surrogate;

import io.dime.spi.ColumnFit;
import io.dime.spi.SampleDesign;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * KernelSHAP's fit (see {@link KernelShap} for the mathematics): the Shapley-kernel weighted least
 * squares with phi_0 = y(all hidden) and the efficiency constraint sum(phi) = y(all ones) - phi_0,
 * the last feature eliminated through the constraint, a KKT pseudo-inverse solve when the reduced
 * system is singular, and the standard errors and weighted R^2 of every target column.
 */
final class KernelShapFit {
  private static final double RANK_TOLERANCE = 1e-10;
  private static final double EXACT_TOLERANCE = 1e-12;

  private final double alpha;

  /**
   * @param alpha the ridge penalty on phi (0 for none)
   */
  KernelShapFit(double alpha) {
    this.alpha = alpha;
  }

  /** Fits every target column (targets[sample][column]) on the design's masks and weights. */
  List<ColumnFit> fit(SampleDesign design, double[][] targets) {
    Layout layout = layout(design, targets);
    int t = layout.columns();
    int d = design.features();
    double[] base = new double[t];
    double[] delta = new double[t];
    for (int c = 0; c < t; c++) {
      base[c] = targets[layout.zero()][c];
      delta[c] = targets[0][c] - base[c];
    }
    double[][] phi = new double[t][d];
    Solution solution = solve(design, targets, layout.rows(), base, delta, phi);
    List<ColumnFit> out = new ArrayList<>(t);
    double scale = WeightedRidge.exactScale(targets);
    for (int c = 0; c < t; c++) {
      out.add(columnFit(design, targets, layout.rows(), c, base[c], phi[c], solution, scale));
    }
    return out;
  }

  /**
   * Where the fit's samples are.
   *
   * @param zero the first all-zeros (all hidden) sample
   * @param rows the non-end samples with positive weight, which the least squares fits
   * @param columns the number of target columns
   */
  private record Layout(int zero, int[] rows, int columns) {}

  /** Checks the design and the targets and finds the end and fitted samples. */
  private static Layout layout(SampleDesign design, double[][] targets) {
    boolean[][] z = design.masks();
    double[] w = design.weights();
    int n = design.samples();
    if (targets.length != n) {
      throw new IllegalArgumentException(n + " samples but " + targets.length + " target rows");
    }
    int t = n == 0 ? 0 : targets[0].length;
    if (n == 0 || !allEqual(z[0], true)) {
      throw new IllegalArgumentException("KernelSHAP needs the all-ones mask as sample 0");
    }
    int zero = -1;
    List<Integer> rowsList = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      if (targets[s].length != t) {
        throw new IllegalArgumentException("target rows must all have " + t + " columns");
      }
      if (!(w[s] >= 0) || Double.isInfinite(w[s])) {
        throw new IllegalArgumentException("sample weights must be finite and non-negative");
      }
      if (allEqual(z[s], false)) {
        if (zero < 0) {
          zero = s;
        }
      } else if (!allEqual(z[s], true) && w[s] > 0) {
        rowsList.add(s);
      }
    }
    if (zero < 0) {
      throw new IllegalArgumentException("KernelSHAP needs the all-zeros (all hidden) mask");
    }
    return new Layout(zero, rowsList.stream().mapToInt(Integer::intValue).toArray(), t);
  }

  /**
   * How the weights were solved.
   *
   * @param identified false when the reduced system was singular and the KKT system was solved
   * @param ainv A^-1 on the reduced problem (p x p); null for d = 1 or when not identified
   */
  private record Solution(boolean identified, DMatrixRMaj ainv) {}

  /** Fills phi (per column, per feature) under the efficiency constraint. */
  private Solution solve(
      SampleDesign design,
      double[][] targets,
      int[] rows,
      double[] base,
      double[] delta,
      double[][] phi) {
    int t = base.length;
    int p = design.features() - 1;
    if (p == 0) {
      for (int c = 0; c < t; c++) {
        phi[c][0] = delta[c];
      }
      return new Solution(true, null);
    }
    Reduced reduced = reduce(design, targets, rows, base, delta);
    DMatrixRMaj a = reduced.a();
    boolean identified = wellConditioned(a);
    LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(p);
    if (identified && !solver.setA(a.copy())) {
      identified = false;
    }
    if (!identified) {
      solveKkt(design.masks(), design.weights(), rows, targets, base, delta, phi);
      return new Solution(false, null);
    }
    DMatrixRMaj b = new DMatrixRMaj(p, t);
    solver.solve(reduced.rhs(), b);
    for (int c = 0; c < t; c++) {
      double sum = 0;
      for (int j = 0; j < p; j++) {
        double v = b.unsafe_get(j, c);
        phi[c][j] = v;
        sum += v;
      }
      phi[c][p] = delta[c] - sum;
    }
    DMatrixRMaj ainv = new DMatrixRMaj(p, p);
    solver.invert(ainv);
    return new Solution(true, ainv);
  }

  /**
   * The reduced problem, with the last feature eliminated through the constraint.
   *
   * @param gram X' W X
   * @param a the penalised system matrix
   * @param rhs X' W y~ plus the penalty's linear part
   */
  private record Reduced(DMatrixRMaj gram, DMatrixRMaj a, DMatrixRMaj rhs) {}

  /** Builds the reduced system: design z_j - z_last, targets y - base - z_last * delta. */
  private Reduced reduce(
      SampleDesign design, double[][] targets, int[] rows, double[] base, double[] delta) {
    boolean[][] z = design.masks();
    double[] w = design.weights();
    int t = base.length;
    int last = design.features() - 1;
    int p = last;
    int m = rows.length;
    DMatrixRMaj x = new DMatrixRMaj(m, p);
    DMatrixRMaj wx = new DMatrixRMaj(m, p);
    DMatrixRMaj yr = new DMatrixRMaj(m, t);
    for (int r = 0; r < m; r++) {
      boolean[] zr = z[rows[r]];
      double zl = zr[last] ? 1 : 0;
      double wr = w[rows[r]];
      for (int j = 0; j < p; j++) {
        double v = (zr[j] ? 1 : 0) - zl;
        x.unsafe_set(r, j, v);
        wx.unsafe_set(r, j, wr * v);
      }
      for (int c = 0; c < t; c++) {
        yr.unsafe_set(r, c, targets[rows[r]][c] - base[c] - zl * delta[c]);
      }
    }
    DMatrixRMaj gram = new DMatrixRMaj(p, p);
    CommonOps_DDRM.multTransA(x, wx, gram); // X' W X
    DMatrixRMaj a = gram.copy();
    DMatrixRMaj rhs = new DMatrixRMaj(p, t);
    CommonOps_DDRM.multTransA(wx, yr, rhs); // X' W y~
    if (alpha > 0) {
      // alpha (|b|^2 + (delta - 1'b)^2) = alpha (b'(I + 11')b - 2 delta 1'b + const)
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++) {
          a.add(i, j, i == j ? 2 * alpha : alpha);
        }
        for (int c = 0; c < t; c++) {
          rhs.add(i, c, alpha * delta[c]);
        }
      }
    }
    return new Reduced(gram, a, rhs);
  }

  /**
   * One column's kernel-weighted residual sums over the fitted rows.
   *
   * @param sw sum of weights
   * @param swy weighted sum of the targets
   * @param rss weighted residual sum of squares
   * @param maxAbsResidual the largest absolute residual
   * @param scale the largest |y| over every sample and column ({@link WeightedRidge#exactScale})
   */
  private record Residuals(double sw, double swy, double rss, double maxAbsResidual, double scale) {
    boolean exact() {
      return maxAbsResidual <= EXACT_TOLERANCE * scale;
    }
  }

  private static Residuals residuals(
      SampleDesign design,
      double[][] targets,
      int[] rows,
      int c,
      double base,
      double[] phi,
      double scale) {
    boolean[][] z = design.masks();
    double[] w = design.weights();
    double sw = 0;
    double swy = 0;
    double rss = 0;
    double maxAbsResidual = 0;
    for (int row : rows) {
      double pred = base;
      for (int j = 0; j < phi.length; j++) {
        if (z[row][j]) {
          pred += phi[j];
        }
      }
      double y = targets[row][c];
      double r = y - pred;
      sw += w[row];
      swy += w[row] * y;
      rss += w[row] * r * r;
      maxAbsResidual = Math.max(maxAbsResidual, Math.abs(r));
    }
    return new Residuals(sw, swy, rss, maxAbsResidual, scale);
  }

  /** The fit of column c: phi, its standard errors, the intercept and the weighted R^2. */
  private static ColumnFit columnFit(
      SampleDesign design,
      double[][] targets,
      int[] rows,
      int c,
      double base,
      double[] phi,
      Solution solution,
      double scale) {
    Residuals res = residuals(design, targets, rows, c, base, phi, scale);
    double score;
    if (rows.length == 0) {
      score = design.features() == 1 ? 1 : Double.NaN;
    } else {
      double ybar = res.swy() / res.sw();
      double tss = 0;
      for (int row : rows) {
        double dy = targets[row][c] - ybar;
        tss += design.weights()[row] * dy * dy;
      }
      score = tss > 0 ? 1 - res.rss() / tss : (res.exact() ? 1 : 0);
    }
    double[] se = standardErrors(design, rows, targets, c, new Fitted(base, phi, res), solution);
    return new ColumnFit(phi, se, base, score);
  }

  /**
   * Standard errors of phi from the residuals (see {@link KernelShap}): the HC3 sandwich on the
   * reduced problem, each group of samples that share their error ({@link SampleDesign#errorGroup})
   * one term.
   */
  private static double[] standardErrors(
      SampleDesign design, int[] rows, double[][] targets, int c, Fitted f, Solution solution) {
    int d = f.phi().length;
    int p = d - 1;
    double[] se = new double[d];
    Residuals res = f.res();
    if (!solution.identified()) {
      Arrays.fill(se, Double.NaN);
      return se;
    } else if (rows.length - p <= 0) {
      // d = 1: phi is the difference of the end values, exactly; with more features, no more
      // fitted masks than free weights are fitted exactly whatever the target: nothing measures
      // the error of the weights (they depend on the masks never sampled)
      Arrays.fill(se, p == 0 && res.exact() ? 0 : Double.NaN);
      return se;
    } else if (p == 0) {
      return se;
    }
    int group = design.errorGroup();
    if (clusters(rows, group) <= p) {
      // no more independent errors than free weights (only with shared draws: group > 1): the
      // clustered sandwich comes out near 0 whatever the draws did (with one cluster exactly 0,
      // the normal equations' sum), and residuals of 0 are no sign of exact targets either, as
      // a draw error shared by a group can be linear in the mask and go into the weights whole
      Arrays.fill(se, Double.NaN);
      return se;
    }
    DMatrixRMaj ainv = solution.ainv();
    boolean[][] z = design.masks();
    double[] w = design.weights();
    double[] x = new double[p];
    double[] u = new double[d]; // A^-1 x, and in u[p] the change of phi_d = -1'(A^-1 x)
    double[] e = new double[d]; // the current group's sum
    double[] variance = new double[d];
    long current = -1;
    for (int row : rows) {
      if (row / group != current) {
        addSquares(e, variance);
        current = row / group;
      }
      double zl = z[row][p] ? 1 : 0;
      for (int j = 0; j < p; j++) {
        x[j] = (z[row][j] ? 1 : 0) - zl;
      }
      double h = 0;
      u[p] = 0;
      for (int j = 0; j < p; j++) {
        double a = 0;
        for (int l = 0; l < p; l++) {
          a += ainv.unsafe_get(j, l) * x[l];
        }
        u[j] = a;
        u[p] -= a;
        h += w[row] * x[j] * a;
      }
      double r = targets[row][c] - f.predicted(z[row]);
      double scaled =
          Math.abs(r) <= EXACT_TOLERANCE * res.scale()
              ? 0
              : h < 1 - LEVERAGE_ONE ? w[row] * r / (1 - h) : Double.NaN;
      for (int j = 0; j < d; j++) {
        e[j] += u[j] == 0 ? 0 : scaled * u[j];
      }
    }
    addSquares(e, variance);
    for (int j = 0; j < d; j++) {
      se[j] = Math.sqrt(variance[j]);
    }
    return se;
  }

  /** The error groups among the fitted rows (rows in increasing order). */
  private static int clusters(int[] rows, int group) {
    int n = 0;
    long current = -1;
    for (int row : rows) {
      if (row / group != current) {
        n++;
        current = row / group;
      }
    }
    return n;
  }

  /** Adds each e_j^2 to its variance and clears e. */
  private static void addSquares(double[] e, double[] variance) {
    for (int j = 0; j < e.length; j++) {
      variance[j] += e[j] * e[j];
      e[j] = 0;
    }
  }

  /** A leverage within this of 1 counts as 1. */
  private static final double LEVERAGE_ONE = 1e-9;

  /** One column's fit: its base value, its phi and its residual sums. */
  private record Fitted(double base, double[] phi, Residuals res) {
    double predicted(boolean[] mask) {
      double pred = base;
      for (int j = 0; j < phi.length; j++) {
        if (mask[j]) {
          pred += phi[j];
        }
      }
      return pred;
    }
  }

  /** Whether the reduced matrix is far enough from singular for a Cholesky solve. */
  private static boolean wellConditioned(DMatrixRMaj a) {
    double[] sv = SingularOps_DDRM.singularValues(a.copy());
    double max = 0;
    double min = Double.POSITIVE_INFINITY;
    for (double v : sv) {
      max = Math.max(max, v);
      min = Math.min(min, v);
    }
    return max > 0 && min > RANK_TOLERANCE * max;
  }

  /**
   * The rank-deficient case: the KKT system [[G + alpha I, 1], [1', 0]] [phi; lambda] = [Z' W (y -
   * phi_0); delta] with an SVD pseudo-inverse, which gives the minimum-norm phi meeting the
   * constraint.
   */
  private void solveKkt(
      boolean[][] z,
      double[] w,
      int[] rows,
      double[][] targets,
      double[] base,
      double[] delta,
      double[][] phi) {
    int d = z[0].length;
    int t = base.length;
    int m = rows.length;
    DMatrixRMaj zm = new DMatrixRMaj(m, d);
    DMatrixRMaj wz = new DMatrixRMaj(m, d);
    DMatrixRMaj yc = new DMatrixRMaj(m, t);
    for (int r = 0; r < m; r++) {
      for (int j = 0; j < d; j++) {
        double v = z[rows[r]][j] ? 1 : 0;
        zm.unsafe_set(r, j, v);
        wz.unsafe_set(r, j, w[rows[r]] * v);
      }
      for (int c = 0; c < t; c++) {
        yc.unsafe_set(r, c, targets[rows[r]][c] - base[c]);
      }
    }
    DMatrixRMaj gram = new DMatrixRMaj(d, d);
    DMatrixRMaj zty = new DMatrixRMaj(d, t);
    if (m > 0) {
      CommonOps_DDRM.multTransA(zm, wz, gram);
      CommonOps_DDRM.multTransA(wz, yc, zty);
    }
    DMatrixRMaj kkt = new DMatrixRMaj(d + 1, d + 1);
    DMatrixRMaj rhs = new DMatrixRMaj(d + 1, t);
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        kkt.unsafe_set(i, j, gram.unsafe_get(i, j) + (i == j ? alpha : 0));
      }
      kkt.unsafe_set(i, d, 1);
      kkt.unsafe_set(d, i, 1);
      for (int c = 0; c < t; c++) {
        rhs.unsafe_set(i, c, zty.unsafe_get(i, c));
      }
    }
    for (int c = 0; c < t; c++) {
      rhs.unsafe_set(d, c, delta[c]);
    }
    LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.pseudoInverse(true);
    solver.setA(kkt);
    DMatrixRMaj sol = new DMatrixRMaj(d + 1, t);
    solver.solve(rhs, sol);
    for (int c = 0; c < t; c++) {
      for (int j = 0; j < d; j++) {
        phi[c][j] = sol.unsafe_get(j, c);
      }
    }
  }

  private static boolean allEqual(boolean[] mask, boolean value) {
    for (boolean b : mask) {
      if (b != value) {
        return false;
      }
    }
    return true;
  }
}
