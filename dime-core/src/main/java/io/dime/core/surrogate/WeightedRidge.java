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
    double[] scale = extremeScales(y);
    if (scale != null) {
      return rescaled(fitScaled(z, w, divided(y, scale), alpha, columns), scale);
    }
    return fitScaled(z, w, y, alpha, columns);
  }

  /** Targets beyond these magnitudes are fitted in units of their column's largest value. */
  private static final double HUGE = 1e100;

  private static final double TINY = 1e-100;

  /**
   * Per column, its largest magnitude when some column's is beyond {@link #HUGE} or below {@link
   * #TINY} (but not 0), whose squares in the residual sums would overflow or underflow; else null.
   */
  static double[] extremeScales(double[][] y) {
    int t = y.length == 0 ? 0 : y[0].length;
    double[] max = new double[t];
    for (double[] row : y) {
      for (int c = 0; c < t; c++) {
        max[c] = Math.max(max[c], Math.abs(row[c]));
      }
    }
    boolean extreme = false;
    for (int c = 0; c < t; c++) {
      extreme |= max[c] > HUGE || (max[c] > 0 && max[c] < TINY);
      max[c] = max[c] > 0 && Double.isFinite(max[c]) ? max[c] : 1;
    }
    return extreme ? max : null;
  }

  static double[][] divided(double[][] y, double[] scale) {
    double[][] out = new double[y.length][];
    for (int i = 0; i < y.length; i++) {
      out[i] = new double[scale.length];
      for (int c = 0; c < scale.length; c++) {
        out[i][c] = y[i][c] / scale[c];
      }
    }
    return out;
  }

  static List<ColumnFit> rescaled(List<ColumnFit> fits, double[] scale) {
    List<ColumnFit> out = new ArrayList<>(fits.size());
    for (int c = 0; c < fits.size(); c++) {
      ColumnFit f = fits.get(c);
      double[] b = f.weights().clone();
      double[] se = f.standardErrors().clone();
      for (int j = 0; j < b.length; j++) {
        b[j] *= scale[c];
        se[j] *= scale[c];
      }
      out.add(new ColumnFit(b, se, f.intercept() * scale[c], f.score()));
    }
    return out;
  }

  private static List<ColumnFit> fitScaled(
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
      double[] zi = z[i];
      for (int j = 0; j < d; j++) {
        zbar[j] += wi * zi[cols[j]];
      }
      double[] yi = y[i];
      for (int c = 0; c < t; c++) {
        ybar[c] += wi * yi[c];
      }
    }
    // Zc' W Zc (d x d) and Zc' W Yc (d x T), row by row, the centred row built once per row
    DMatrixRMaj gram = new DMatrixRMaj(d, d);
    DMatrixRMaj rhs = new DMatrixRMaj(d, t);
    double[] g = gram.data;
    double[] r = rhs.data;
    double[] zc = new double[d];
    double[] yc = new double[t];
    double[] tss = new double[t];
    for (int i = 0; i < s; i++) {
      centred(z[i], y[i], cols, zbar, ybar, zc, yc);
      double wi = w[i];
      for (int j = 0; j < d; j++) {
        double a = wi * zc[j];
        if (a == 0) {
          continue;
        }
        for (int l = j; l < d; l++) {
          g[j * d + l] += a * zc[l];
        }
        for (int c = 0; c < t; c++) {
          r[j * t + c] += a * yc[c];
        }
      }
      for (int c = 0; c < t; c++) {
        tss[c] += wi * yc[c] * yc[c];
      }
    }
    for (int j = 0; j < d; j++) {
      for (int l = 0; l < j; l++) {
        g[j * d + l] = g[l * d + j];
      }
    }
    Solution solution = solve(gram, rhs, alpha);
    double[] b = solution.b().data;
    double[] rss = residualSquares(z, w, y, cols, zbar, ybar, b);
    int dof = s - d - 1;
    List<ColumnFit> out = new ArrayList<>(t);
    for (int c = 0; c < t; c++) {
      double sigma2 = dof > 0 ? rss[c] / dof : Double.NaN;
      double[] weights = new double[dAll];
      double[] errors = new double[dAll];
      double intercept = ybar[c];
      for (int j = 0; j < d; j++) {
        double bj = b[j * t + c];
        weights[cols[j]] = bj;
        errors[cols[j]] = Math.sqrt(Math.max(0, sigma2 * solution.sandwich().unsafe_get(j, j)));
        intercept -= zbar[j] * bj;
      }
      double score = tss[c] > 0 ? 1 - rss[c] / tss[c] : (rss[c] == 0 ? 1 : 0);
      out.add(new ColumnFit(weights, errors, intercept, score));
    }
    return out;
  }

  /** Per target column, the weighted sum of squared residuals of the centred fit B. */
  private static double[] residualSquares(
      double[][] z,
      double[] w,
      double[][] y,
      int[] cols,
      double[] zbar,
      double[] ybar,
      double[] b) {
    int d = zbar.length;
    int t = ybar.length;
    double[] zc = new double[d];
    double[] yc = new double[t];
    double[] rss = new double[t];
    for (int i = 0; i < z.length; i++) {
      centred(z[i], y[i], cols, zbar, ybar, zc, yc);
      for (int c = 0; c < t; c++) {
        double fit = 0;
        for (int j = 0; j < d; j++) {
          fit += zc[j] * b[j * t + c];
        }
        double res = yc[c] - fit;
        rss[c] += w[i] * res * res;
      }
    }
    return rss;
  }

  /** Row i centred: {@code zc = z[cols] - zbar}, {@code yc = y - ybar}. */
  private static void centred(
      double[] z, double[] y, int[] cols, double[] zbar, double[] ybar, double[] zc, double[] yc) {
    for (int j = 0; j < zc.length; j++) {
      zc[j] = z[cols[j]] - zbar[j];
    }
    for (int c = 0; c < yc.length; c++) {
      yc[c] = y[c] - ybar[c];
    }
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

  /**
   * The solved system.
   *
   * @param b the weights, d x T
   * @param sandwich A^-1 G A^-1, d x d
   */
  private record Solution(DMatrixRMaj b, DMatrixRMaj sandwich) {}

  /** Solves (G + alpha I) B = R for the Gram matrix G = Zc' W Zc and R = Zc' W Yc. */
  private static Solution solve(DMatrixRMaj gram, DMatrixRMaj rhs, double alpha) {
    int d = gram.numRows;
    int t = rhs.numCols;
    DMatrixRMaj a = gram.copy();
    for (int j = 0; j < d; j++) {
      a.add(j, j, alpha);
    }
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
    return new Solution(b, sandwich);
  }
}
