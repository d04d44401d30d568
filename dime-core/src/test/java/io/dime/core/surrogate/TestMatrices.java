package io.dime.core.surrogate;

/** Small dense matrix helpers for the tests' independent computations. */
final class TestMatrices {
  private TestMatrices() {}

  static double[] times(double[][] m, double[] v) {
    double[] out = new double[m.length];
    for (int r = 0; r < m.length; r++) {
      for (int c = 0; c < v.length; c++) {
        out[r] += m[r][c] * v[c];
      }
    }
    return out;
  }

  /** Gauss-Jordan inverse with partial pivoting. */
  static double[][] inverse(double[][] m) {
    int p = m.length;
    double[][] a = new double[p][2 * p];
    for (int r = 0; r < p; r++) {
      System.arraycopy(m[r], 0, a[r], 0, p);
      a[r][p + r] = 1;
    }
    for (int col = 0; col < p; col++) {
      int piv = col;
      for (int r = col + 1; r < p; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
          piv = r;
        }
      }
      double[] tmp = a[col];
      a[col] = a[piv];
      a[piv] = tmp;
      double lead = a[col][col];
      for (int c = 0; c < 2 * p; c++) {
        a[col][c] /= lead;
      }
      for (int r = 0; r < p; r++) {
        if (r != col) {
          double f = a[r][col];
          for (int c = 0; c < 2 * p; c++) {
            a[r][c] -= f * a[col][c];
          }
        }
      }
    }
    double[][] out = new double[p][p];
    for (int r = 0; r < p; r++) {
      System.arraycopy(a[r], p, out[r], 0, p);
    }
    return out;
  }

  /** meat += e e', then e = 0. */
  static void addOuterAndClear(double[] e, double[][] meat) {
    for (int r = 0; r < e.length; r++) {
      for (int c = 0; c < e.length; c++) {
        meat[r][c] += e[r] * e[c];
      }
    }
    java.util.Arrays.fill(e, 0);
  }

  /**
   * One sample's HC3 term of the sandwich's meat: e += w x r / (1 - h), with the residual r = y -
   * x'beta and the leverage h = w x' A^-1 x.
   */
  static void addHc3(double[] x, double w, double y, double[] beta, double[][] ainv, double[] e) {
    double[] u = times(ainv, x);
    double h = 0;
    double fit = 0;
    for (int j = 0; j < x.length; j++) {
      h += w * x[j] * u[j];
      fit += x[j] * beta[j];
    }
    for (int j = 0; j < x.length; j++) {
      e[j] += w * x[j] * (y - fit) / (1 - h);
    }
  }
}
