package io.dime.core.surrogate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.spi.ColumnFit;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightedRidgeTest {
  private static double[][] randomMasks(int s, int d, SplittableRandom rng) {
    double[][] z = new double[s][d];
    for (int i = 0; i < s; i++) {
      for (int j = 0; j < d; j++) {
        z[i][j] = rng.nextBoolean() ? 1 : 0;
      }
    }
    return z;
  }

  @Test
  void fitIsLinearInTheTargets() {
    SplittableRandom rng = new SplittableRandom(3);
    int s = 300;
    int d = 8;
    double[][] z = randomMasks(s, d, rng);
    double[] w = new double[s];
    double[][] y = new double[s][3];
    for (int i = 0; i < s; i++) {
      w[i] = rng.nextDouble();
      y[i][0] = rng.nextDouble() * 10 - 5;
      y[i][1] = rng.nextDouble() * 10 - 5;
      y[i][2] = y[i][0] + 2 * y[i][1];
    }
    for (double alpha : new double[] {0, 1}) {
      List<ColumnFit> f = WeightedRidge.fit(z, w, y, alpha, null);
      for (int j = 0; j < d; j++) {
        assertEquals(
            f.get(0).weights()[j] + 2 * f.get(1).weights()[j], f.get(2).weights()[j], 1e-9);
      }
      assertEquals(f.get(0).intercept() + 2 * f.get(1).intercept(), f.get(2).intercept(), 1e-9);
    }
  }

  /**
   * Targets of 1e200 or 1e-200 give the weights, errors and intercepts of targets of 1 times their
   * scale, and the same score: their squares in the residual sums neither overflow nor underflow.
   */
  @Test
  void hugeAndTinyTargetsScaleLikeTheirUnitFit() {
    SplittableRandom rng = new SplittableRandom(5);
    int s = 200;
    int d = 4;
    double[][] z = randomMasks(s, d, rng);
    double[] w = new double[s];
    double[][] y = new double[s][2];
    for (int i = 0; i < s; i++) {
      w[i] = 0.1 + rng.nextDouble();
      y[i][0] = 1 + z[i][1] - 2 * z[i][3] + rng.nextDouble();
      y[i][1] = rng.nextDouble() - 0.5;
    }
    List<ColumnFit> unit = WeightedRidge.fit(z, w, y, 1, null);
    for (double scale : new double[] {1e200, 1e-200, 1e160}) {
      double[][] ys = new double[s][2];
      for (int i = 0; i < s; i++) {
        ys[i][0] = y[i][0] * scale;
        ys[i][1] = y[i][1]; // a column of ordinary size next to it keeps its own units
      }
      List<ColumnFit> f = WeightedRidge.fit(z, w, ys, 1, null);
      for (int j = 0; j < d; j++) {
        assertEquals(1, f.get(0).weights()[j] / (unit.get(0).weights()[j] * scale), 1e-12);
        assertEquals(
            1, f.get(0).standardErrors()[j] / (unit.get(0).standardErrors()[j] * scale), 1e-12);
        assertEquals(unit.get(1).weights()[j], f.get(1).weights()[j], 1e-15);
        assertEquals(unit.get(1).standardErrors()[j], f.get(1).standardErrors()[j], 1e-15);
      }
      assertEquals(1, f.get(0).intercept() / (unit.get(0).intercept() * scale), 1e-12);
      assertEquals(unit.get(0).score(), f.get(0).score(), 1e-12);
    }
  }

  /**
   * Independent fixture: solve [X'WX + diag(0, a, ..., a)] beta = X'Wy with an intercept column by
   * Gauss-Jordan elimination written here, and compare.
   */
  @Test
  void matchesAnIndependentWeightedLeastSquaresSolution() {
    SplittableRandom rng = new SplittableRandom(4);
    int s = 120;
    int d = 5;
    double[][] z = randomMasks(s, d, rng);
    double[] w = new double[s];
    double[][] y = new double[s][1];
    for (int i = 0; i < s; i++) {
      w[i] = 0.1 + rng.nextDouble();
      y[i][0] = 2 - z[i][0] + 3 * z[i][2] + 0.5 * rng.nextDouble();
    }
    for (double alpha : new double[] {0, 0.7}) {
      double[] beta = independent(z, w, y, alpha);
      ColumnFit f = WeightedRidge.fit(z, w, y, alpha, null).get(0);
      assertEquals(beta[0], f.intercept(), 1e-9, "intercept, alpha " + alpha);
      for (int j = 0; j < d; j++) {
        assertEquals(beta[j + 1], f.weights()[j], 1e-9, "weight " + j + ", alpha " + alpha);
      }
    }
  }

  @Test
  void standardErrorsMatchTheClassicalFormulaForOrdinaryLeastSquares() {
    // Unit weights, alpha 0: Var(b) = s^2 (Xc'Xc)^-1 with s^2 = RSS / (n - d - 1).
    double[][] z = {{0}, {1}, {0}, {1}, {1}, {0}};
    double[][] y = {{1}, {3}, {2}, {4}, {6}, {0}};
    double[] w = {1, 1, 1, 1, 1, 1};
    ColumnFit f = WeightedRidge.fit(z, w, y, 0, null).get(0);
    // Group means: 1 (z=0) and 13/3 (z=1); b = 10/3; RSS = 2 + 4.6667 = 6.6667; Sxx = 1.5.
    assertEquals(10.0 / 3, f.weights()[0], 1e-12);
    double rss = 2 + (1.0 / 9 + 16.0 / 9 + 25.0 / 9);
    double se = Math.sqrt(rss / 4 / 1.5);
    assertEquals(se, f.standardErrors()[0], 1e-12);
  }

  private static double[] independent(double[][] z, double[] w, double[][] y, double alpha) {
    int s = z.length;
    int p = z[0].length + 1;
    double[][] a = new double[p][p + 1];
    for (int i = 0; i < s; i++) {
      double[] x = new double[p];
      x[0] = 1;
      System.arraycopy(z[i], 0, x, 1, p - 1);
      for (int r = 0; r < p; r++) {
        for (int c = 0; c < p; c++) {
          a[r][c] += w[i] * x[r] * x[c];
        }
        a[r][p] += w[i] * x[r] * y[i][0];
      }
    }
    for (int r = 1; r < p; r++) {
      a[r][r] += alpha;
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
      for (int r = 0; r < p; r++) {
        if (r != col) {
          double f = a[r][col] / a[col][col];
          for (int c = col; c <= p; c++) {
            a[r][c] -= f * a[col][c];
          }
        }
      }
    }
    double[] beta = new double[p];
    for (int r = 0; r < p; r++) {
      beta[r] = a[r][p] / a[r][r];
    }
    return beta;
  }
}
