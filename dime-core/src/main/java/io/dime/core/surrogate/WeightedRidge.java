package io.dime.core.surrogate;

import io.dime.spi.ColumnFit;
import io.dime.spi.SampleDesign;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Weighted ridge regression with an unpenalised intercept: centre Z and Y with the weighted means,
 * then B = (Zc' W Zc + alpha I)^-1 Zc' W Yc. All target columns share one factorisation (the fit is
 * linear in Y).
 *
 * <p>Standard errors: the heteroskedasticity-consistent sandwich with the HC3 leverage correction,
 * Cov(b) = A^-1 (sum_g e_g e_g') A^-1 with A = Zc' W Zc + alpha I and, per group g of samples whose
 * target errors are correlated (one sample each unless the design says otherwise, {@link
 * SampleDesign#errorGroup}), e_g = sum_{i in g} w_i zc_i r_i / (1 - h_i), where r_i is the residual
 * and h_i = w_i / sum(w) + w_i zc_i' A^-1 zc_i the sample's leverage. The classical s^2 A^-1 Zc' W
 * Zc A^-1 takes every sample's error variance as proportional to 1 / w_i; a perturbation target's
 * is not (the draw noise of a {@code sampled} estimate and the surrogate's lack of fit both vary
 * with the mask), and that formula ran 1.2 to 1.4 times too small for the default estimator on a
 * model with a strong interaction ({@code WeightErrorCalibrationTest}). A sample whose leverage is
 * 1 is fitted exactly by its own weight; when its residual is not 0 the weights it moves get an
 * error of NaN (not estimable). With no more samples than parameters every error is NaN, as before.
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
    return fit(z, w, y, alpha, columns, 1);
  }

  /**
   * Fits every column of y, the samples' target errors correlated within consecutive groups.
   *
   * @param errorGroup consecutive samples whose target errors are correlated (samples i and j share
   *     a group when i / errorGroup == j / errorGroup); 1 when every sample's are independent
   * @see #fit(double[][], double[], double[][], double, int[])
   */
  public static List<ColumnFit> fit(
      double[][] z, double[] w, double[][] y, double alpha, int[] columns, int errorGroup) {
    if (errorGroup < 1) {
      throw new IllegalArgumentException("errorGroup must be >= 1, found " + errorGroup);
    }
    double wmax = 0;
    for (double wi : w) {
      wmax = Math.max(wmax, wi);
    }
    if (wmax > HUGE || (wmax > 0 && wmax < TINY)) {
      // the fit with weights c w and penalty c alpha is the fit with w and alpha: in units of the
      // largest weight, so that products of weights (the samples' Gram matrix, the sandwich's sums)
      // neither overflow nor underflow
      double[] unit = new double[w.length];
      for (int i = 0; i < w.length; i++) {
        unit[i] = w[i] / wmax;
      }
      return fit(z, unit, y, alpha / wmax, columns, errorGroup);
    }
    double[] scale = extremeScales(y);
    if (scale != null) {
      return rescaled(fitScaled(z, w, divided(y, scale), alpha, columns, errorGroup), scale);
    }
    return fitScaled(z, w, y, alpha, columns, errorGroup);
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
      double[][] z, double[] w, double[][] y, double alpha, int[] columns, int errorGroup) {
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
    if (s - d - 1 <= 0) {
      // no more samples than parameters: every error is NaN, and the weights are found in the
      // samples' space (S x S) rather than the features' (d x d)
      return dual(new Centred(z, w, y, cols, zbar, ybar), alpha, dAll);
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
    DMatrixRMaj ainv = solve(gram, alpha);
    DMatrixRMaj bm = new DMatrixRMaj(d, t);
    CommonOps_DDRM.mult(ainv, rhs, bm);
    double[] b = bm.data;
    Residuals res = residuals(new Centred(z, w, y, cols, zbar, ybar), b, ainv, sw, errorGroup);
    double[] rss = res.rss();
    boolean dof = s - d - 1 > 0;
    List<ColumnFit> out = new ArrayList<>(t);
    for (int c = 0; c < t; c++) {
      double[] weights = new double[dAll];
      double[] errors = new double[dAll];
      double intercept = ybar[c];
      for (int j = 0; j < d; j++) {
        double bj = b[j * t + c];
        weights[cols[j]] = bj;
        errors[cols[j]] = dof ? Math.sqrt(res.variance()[c][j]) : Double.NaN;
        intercept -= zbar[j] * bj;
      }
      double score = tss[c] > 0 ? 1 - rss[c] / tss[c] : (rss[c] == 0 ? 1 : 0);
      out.add(new ColumnFit(weights, errors, intercept, score));
    }
    return out;
  }

  /**
   * The fit of S <= d + 1 samples, whose errors are all NaN, from the samples' Gram matrix: with X
   * = W^1/2 Zc and Y' = W^1/2 Yc, B = X' (X X' + alpha I)^-1 Y', which is (X' X + alpha I)^-1 X' Y'
   * (and with alpha = 0 the least-norm fit X^+ Y', as the d x d pseudo-inverse gives). It costs S^2
   * d + S^3 / 3 operations and S^2 doubles instead of S d^2 + d^3 / 3 and d^2: a text of 4,000
   * words fitted on 100 samples took minutes a fit, and takes milliseconds.
   */
  private static List<ColumnFit> dual(Centred x, double alpha, int dAll) {
    int s = x.z().length;
    int d = x.zbar().length;
    int t = x.ybar().length;
    double[][] rows = new double[s][d];
    DMatrixRMaj yw = new DMatrixRMaj(s, t);
    double[] yc = new double[t];
    double[] tss = new double[t];
    for (int i = 0; i < s; i++) {
      centred(x.z()[i], x.y()[i], x.cols(), x.zbar(), x.ybar(), rows[i], yc);
      double root = Math.sqrt(x.w()[i]);
      for (int j = 0; j < d; j++) {
        rows[i][j] *= root;
      }
      for (int c = 0; c < t; c++) {
        double v = root * yc[c];
        yw.unsafe_set(i, c, v);
        tss[c] += v * v;
      }
    }
    DMatrixRMaj k = masksGram(x, alpha);
    if (k == null) {
      k = samplesGram(rows, alpha);
    }
    if (alpha == 0) {
      deflateCentring(k, x.w());
    }
    DMatrixRMaj coef = new DMatrixRMaj(s, t);
    LinearSolverDense<DMatrixRMaj> solver =
        alpha > 0
            ? LinearSolverFactory_DDRM.symmPosDef(s)
            : LinearSolverFactory_DDRM.pseudoInverse(true);
    if (!solver.setA(k.copy())) {
      solver = LinearSolverFactory_DDRM.pseudoInverse(true);
      solver.setA(k.copy());
    }
    solver.solve(yw, coef);
    double[] b = new double[d * t]; // X' coef, as the primal fit lays it out
    for (int i = 0; i < s; i++) {
      double[] row = rows[i];
      for (int c = 0; c < t; c++) {
        double ci = coef.unsafe_get(i, c);
        if (ci == 0) {
          continue;
        }
        for (int j = 0; j < d; j++) {
          b[j * t + c] += row[j] * ci;
        }
      }
    }
    double[] rss = new double[t];
    for (int i = 0; i < s; i++) {
      for (int c = 0; c < t; c++) {
        double fit = 0;
        for (int j = 0; j < d; j++) {
          fit += rows[i][j] * b[j * t + c];
        }
        double r = yw.unsafe_get(i, c) - fit;
        rss[c] += r * r;
      }
    }
    List<ColumnFit> out = new ArrayList<>(t);
    for (int c = 0; c < t; c++) {
      double[] weights = new double[dAll];
      double[] errors = new double[dAll];
      double intercept = x.ybar()[c];
      for (int j = 0; j < d; j++) {
        double bj = b[j * t + c];
        weights[x.cols()[j]] = bj;
        errors[x.cols()[j]] = Double.NaN;
        intercept -= x.zbar()[j] * bj;
      }
      double score = tss[c] > 0 ? 1 - rss[c] / tss[c] : (rss[c] == 0 ? 1 : 0);
      out.add(new ColumnFit(weights, errors, intercept, score));
    }
    return out;
  }

  /**
   * X X' + alpha I when every used value of Z is 0 or 1 (a surrogate's masks), from the rows' bits:
   * with r_i = w_i^1/2 and a_i = z_i . zbar, entry (i, l) is r_i r_l (|z_i AND z_l| - a_i - a_l +
   * zbar . zbar), 64 features a step instead of one; null when some value is neither.
   */
  private static DMatrixRMaj masksGram(Centred x, double alpha) {
    int s = x.z().length;
    int d = x.cols().length;
    int words = (d + 63) >>> 6;
    long[][] bits = new long[s][words];
    double[] a = new double[s];
    for (int i = 0; i < s; i++) {
      double[] zi = x.z()[i];
      for (int j = 0; j < d; j++) {
        double v = zi[x.cols()[j]];
        if (v == 1) {
          bits[i][j >>> 6] |= 1L << j;
          a[i] += x.zbar()[j];
        } else if (v != 0) {
          return null;
        }
      }
    }
    double c = 0;
    for (double m : x.zbar()) {
      c += m * m;
    }
    DMatrixRMaj k = new DMatrixRMaj(s, s);
    for (int i = 0; i < s; i++) {
      long[] bi = bits[i];
      double ri = Math.sqrt(x.w()[i]);
      for (int l = i; l < s; l++) {
        long[] bl = bits[l];
        int both = 0;
        for (int u = 0; u < words; u++) {
          both += Long.bitCount(bi[u] & bl[u]);
        }
        double v = ri * Math.sqrt(x.w()[l]) * (both - a[i] - a[l] + c);
        k.unsafe_set(i, l, v);
        k.unsafe_set(l, i, v);
      }
      k.add(i, i, alpha);
    }
    return k;
  }

  /**
   * Adds beta v v' / v'v to X X', v = w^1/2 and beta its largest diagonal entry. Centring makes v a
   * null vector of X X' (v'X = sum w_i zc_i = 0), which rounding turns into an eigenvalue near the
   * pseudo-inverse's threshold: inverted, it moved least-squares weights by 1e-3. The targets are
   * orthogonal to v as well (v'W^1/2 Yc = 0), so the fit is the same and v's eigenvalue is beta.
   */
  private static void deflateCentring(DMatrixRMaj k, double[] w) {
    int s = k.numRows;
    double beta = 0;
    double sw = 0;
    for (int i = 0; i < s; i++) {
      beta = Math.max(beta, k.unsafe_get(i, i));
      sw += w[i];
    }
    if (!(beta > 0)) {
      return;
    }
    for (int i = 0; i < s; i++) {
      for (int l = 0; l < s; l++) {
        k.add(i, l, beta * Math.sqrt(w[i] * w[l]) / sw);
      }
    }
  }

  /** X X' + alpha I for the rows of X. */
  private static DMatrixRMaj samplesGram(double[][] rows, double alpha) {
    int s = rows.length;
    DMatrixRMaj k = new DMatrixRMaj(s, s);
    for (int i = 0; i < s; i++) {
      double[] a = rows[i];
      for (int l = i; l < s; l++) {
        double[] b = rows[l];
        double dot = 0;
        for (int j = 0; j < a.length; j++) {
          dot += a[j] * b[j];
        }
        k.unsafe_set(i, l, dot);
        k.unsafe_set(l, i, dot);
      }
      k.add(i, i, alpha);
    }
    return k;
  }

  /** The samples of a fit with the weighted means that centre them. */
  private record Centred(
      double[][] z, double[] w, double[][] y, int[] cols, double[] zbar, double[] ybar) {}

  /**
   * Per target column: the weighted sum of squared residuals of the centred fit B, and the sandwich
   * variance of each weight (the class comment).
   *
   * @param variance [column][weight]
   */
  private record Residuals(double[] rss, double[][] variance) {}

  /** Residuals below this fraction of the largest target ({@link #exactScale}) count as exact. */
  private static final double EXACT = 1e-12;

  /** A leverage within this of 1 counts as 1. */
  private static final double LEVERAGE_ONE = 1e-9;

  private static Residuals residuals(
      Centred x, double[] b, DMatrixRMaj ainv, double sw, int errorGroup) {
    int d = x.zbar().length;
    int t = x.ybar().length;
    double[] zc = new double[d];
    double[] yc = new double[t];
    double[] u = new double[d]; // A^-1 zc_i
    double[] rss = new double[t];
    double[][] variance = new double[t][d];
    double[][] groupSum = new double[t][d]; // e_g of the current group
    double scale = exactScale(x.y());
    for (int i = 0; i < x.z().length; i++) {
      double wi = x.w()[i];
      centred(x.z()[i], x.y()[i], x.cols(), x.zbar(), x.ybar(), zc, yc);
      double h = wi / sw;
      for (int j = 0; j < d; j++) {
        double a = 0;
        for (int l = 0; l < d; l++) {
          a += ainv.unsafe_get(j, l) * zc[l];
        }
        u[j] = a;
        h += wi * zc[j] * a;
      }
      for (int c = 0; c < t; c++) {
        double fit = 0;
        for (int j = 0; j < d; j++) {
          fit += zc[j] * b[j * t + c];
        }
        double r = yc[c] - fit;
        rss[c] += wi * r * r;
        if (wi == 0) {
          continue;
        }
        // HC3: the residual over 1 - h; a sample with leverage 1 that is not fitted exactly
        // makes the weights it moves not estimable
        double e =
            Math.abs(r) <= EXACT * scale ? 0 : h < 1 - LEVERAGE_ONE ? wi * r / (1 - h) : Double.NaN;
        for (int j = 0; j < d; j++) {
          groupSum[c][j] += u[j] == 0 ? 0 : e * u[j];
        }
      }
      if ((i + 1) % errorGroup == 0 || i == x.z().length - 1) {
        for (int c = 0; c < t; c++) {
          for (int j = 0; j < d; j++) {
            variance[c][j] += groupSum[c][j] * groupSum[c][j];
            groupSum[c][j] = 0;
          }
        }
      }
    }
    return new Residuals(rss, variance);
  }

  /**
   * The scale of {@link #EXACT}: the largest |y| over every column of the fit. Targets fitted
   * together are one model's outputs (and their differences), whose rounding is relative to the
   * largest of them, so a column at the rounding level of the others (MI of a model without
   * interactions) is fitted exactly; no floor of 1, which made every residual of a model whose
   * outputs are all below about 1e-11 count as exact, its errors 0.
   */
  static double exactScale(double[][] y) {
    double m = 0;
    for (double[] row : y) {
      for (double v : row) {
        m = Math.max(m, Math.abs(v));
      }
    }
    return m;
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

  /** (G + alpha I)^-1 for the Gram matrix G = Zc' W Zc (a pseudo-inverse when singular). */
  private static DMatrixRMaj solve(DMatrixRMaj gram, double alpha) {
    int d = gram.numRows;
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
    return ainv;
  }
}
