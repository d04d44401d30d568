package io.dime.core.surrogate;

import io.dime.spi.ColumnFit;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Weighted ridge regression with an unpenalised intercept: centre Z and Y with the weighted means,
 * then B = (Zc' W Zc + alpha I)^-1 Zc' W Yc. All target columns share one factorisation (the fit is
 * linear in Y). Standard errors from the weighted residuals: Cov(b) = s^2 A^-1 (Zc' W Zc) A^-1 with
 * s^2 = sum w r^2 / (S - p - 1) and A = Zc' W Zc + alpha I.
 */
public final class WeightedRidge {
  private WeightedRidge() {}

  /**
   * Fits every column of y.
   *
   * @param z S x d design (0/1 masks or any real features)
   * @param w S non-negative weights
   * @param y S x T targets
   * @param alpha ridge penalty (0 for ordinary weighted least squares)
   * @param columns which feature columns of z to use (null for all); weights of the others are 0
   */
  public static List<ColumnFit> fit(
      double[][] z, double[] w, double[][] y, double alpha, int[] columns) {
    int s = z.length;
    int dAll = s == 0 ? 0 : z[0].length;
    int[] cols = columns == null ? allColumns(dAll) : columns;
    int d = cols.length;
    int t = y.length == 0 ? 0 : y[0].length;
    double sw = totalWeight(w);
    double[] zbar = new double[d];
    double[] ybar = new double[t];
    for (int i = 0; i < s; i++) {
      double wi = w[i] / sw;
      for (int j = 0; j < d; j++) {
        zbar[j] += wi * z[i][cols[j]];
      }
      for (int c = 0; c < t; c++) {
        ybar[c] += wi * y[i][c];
      }
    }
    Centred centred = centre(z, w, y, cols, zbar, ybar);
    Solution solution = solve(centred, alpha);
    int dof = s - d - 1;
    List<ColumnFit> out = new ArrayList<>(t);
    for (int c = 0; c < t; c++) {
      double rss = 0;
      double tss = 0;
      for (int i = 0; i < s; i++) {
        double yic = centred.yc().unsafe_get(i, c);
        double r = yic - solution.fitted().unsafe_get(i, c);
        rss += w[i] * r * r;
        tss += w[i] * yic * yic;
      }
      double sigma2 = dof > 0 ? rss / dof : Double.NaN;
      double[] weights = new double[dAll];
      double[] errors = new double[dAll];
      double intercept = ybar[c];
      for (int j = 0; j < d; j++) {
        double bj = solution.b().unsafe_get(j, c);
        weights[cols[j]] = bj;
        errors[cols[j]] = Math.sqrt(Math.max(0, sigma2 * solution.sandwich().unsafe_get(j, j)));
        intercept -= zbar[j] * bj;
      }
      double score = tss > 0 ? 1 - rss / tss : (rss == 0 ? 1 : 0);
      out.add(new ColumnFit(weights, errors, intercept, score));
    }
    return out;
  }

  private static int[] allColumns(int d) {
    int[] cols = new int[d];
    for (int j = 0; j < d; j++) {
      cols[j] = j;
    }
    return cols;
  }

  /** The sum of the weights, refusing negative, infinite or NaN weights and an all-zero sum. */
  private static double totalWeight(double[] w) {
    double sw = 0;
    for (double wi : w) {
      if (!(wi >= 0) || Double.isInfinite(wi)) {
        throw new IllegalArgumentException("sample weights must be finite and non-negative");
      }
      sw += wi;
    }
    if (!(sw > 0)) {
      throw new IllegalArgumentException("all sample weights are zero");
    }
    return sw;
  }

  /** The centred design Zc, its weighted rows W Zc and the centred targets Yc. */
  private record Centred(DMatrixRMaj zc, DMatrixRMaj wzc, DMatrixRMaj yc) {}

  private static Centred centre(
      double[][] z, double[] w, double[][] y, int[] cols, double[] zbar, double[] ybar) {
    int s = z.length;
    int d = cols.length;
    int t = ybar.length;
    DMatrixRMaj zc = new DMatrixRMaj(s, d);
    DMatrixRMaj wzc = new DMatrixRMaj(s, d);
    DMatrixRMaj yc = new DMatrixRMaj(s, t);
    for (int i = 0; i < s; i++) {
      for (int j = 0; j < d; j++) {
        double v = z[i][cols[j]] - zbar[j];
        zc.unsafe_set(i, j, v);
        wzc.unsafe_set(i, j, w[i] * v);
      }
      for (int c = 0; c < t; c++) {
        yc.unsafe_set(i, c, y[i][c] - ybar[c]);
      }
    }
    return new Centred(zc, wzc, yc);
  }

  /**
   * The solved system.
   *
   * @param b the weights, d x T
   * @param sandwich A^-1 G A^-1, d x d
   * @param fitted Zc B, S x T
   */
  private record Solution(DMatrixRMaj b, DMatrixRMaj sandwich, DMatrixRMaj fitted) {}

  private static Solution solve(Centred centred, double alpha) {
    DMatrixRMaj zc = centred.zc();
    int s = zc.numRows;
    int d = zc.numCols;
    int t = centred.yc().numCols;
    DMatrixRMaj gram = new DMatrixRMaj(d, d);
    CommonOps_DDRM.multTransA(zc, centred.wzc(), gram); // Zc' W Zc
    DMatrixRMaj a = gram.copy();
    for (int j = 0; j < d; j++) {
      a.add(j, j, alpha);
    }
    DMatrixRMaj rhs = new DMatrixRMaj(d, t);
    CommonOps_DDRM.multTransA(centred.wzc(), centred.yc(), rhs); // Zc' W Yc
    DMatrixRMaj ainv = new DMatrixRMaj(d, d);
    LinearSolverDense<DMatrixRMaj> solver =
        alpha > 0
            ? LinearSolverFactory_DDRM.symmPosDef(d)
            : LinearSolverFactory_DDRM.pseudoInverse(true);
    if (!solver.setA(a.copy())) {
      solver = LinearSolverFactory_DDRM.pseudoInverse(true);
      solver.setA(a.copy());
    }
    solver.invert(ainv);
    DMatrixRMaj b = new DMatrixRMaj(d, t);
    CommonOps_DDRM.mult(ainv, rhs, b);
    // Sandwich A^-1 G A^-1 for the standard errors.
    DMatrixRMaj tmp = new DMatrixRMaj(d, d);
    DMatrixRMaj sandwich = new DMatrixRMaj(d, d);
    CommonOps_DDRM.mult(ainv, gram, tmp);
    CommonOps_DDRM.mult(tmp, ainv, sandwich);
    DMatrixRMaj fitted = new DMatrixRMaj(s, t);
    CommonOps_DDRM.mult(zc, b, fitted);
    return new Solution(b, sandwich, fitted);
  }
}
