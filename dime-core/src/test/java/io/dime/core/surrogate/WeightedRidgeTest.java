package io.dime.core.surrogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.spi.ColumnFit;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
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

  /**
   * One binary feature, unit weights, alpha 0: the weight is the difference of the two groups'
   * means, and each sample's leverage is 1 over its group's size n, so the HC3 variance is the sum
   * over the groups of sum(r^2) / n^2 / (1 - 1/n)^2: with 3 samples a group, (9/4) (2/9 + (14/3) /
   * 9) = 5/3. (The classical s^2 (Xc'Xc)^-1 gave 1.054.)
   */
  @Test
  void standardErrorsAreHc3ForOrdinaryLeastSquares() {
    double[][] z = {{0}, {1}, {0}, {1}, {1}, {0}};
    double[][] y = {{1}, {3}, {2}, {4}, {6}, {0}};
    double[] w = {1, 1, 1, 1, 1, 1};
    ColumnFit f = WeightedRidge.fit(z, w, y, 0, null).get(0);
    // group means 1 (z = 0) and 13/3 (z = 1); residuals 0, 1, -1 and -4/3, -1/3, 5/3
    assertEquals(10.0 / 3, f.weights()[0], 1e-12);
    assertEquals(Math.sqrt(5.0 / 3), f.standardErrors()[0], 1e-12);
  }

  /**
   * Weights, a ridge penalty and correlated groups against the sandwich written out on the full
   * design with its intercept column: A = X'WX + diag(0, a, ..., a), h_i = w_i x_i' A^-1 x_i, e_g =
   * sum over the group of w_i x_i r_i / (1 - h_i), Cov = A^-1 (sum_g e_g e_g') A^-1.
   */
  @Test
  void standardErrorsMatchTheSandwichOnTheFullDesign() {
    SplittableRandom rng = new SplittableRandom(8);
    int s = 90;
    int d = 4;
    double[][] z = randomMasks(s, d, rng);
    double[] w = new double[s];
    double[][] y = new double[s][1];
    for (int i = 0; i < s; i++) {
      w[i] = 0.1 + rng.nextDouble();
      y[i][0] = 1 + z[i][0] * z[i][1] - 2 * z[i][3] + (1 + 2 * z[i][2]) * rng.nextDouble();
    }
    for (double alpha : new double[] {0, 0.7}) {
      for (int group : new int[] {1, 3, 7}) {
        double[] se = sandwich(z, w, y, alpha, group);
        ColumnFit f = WeightedRidge.fit(z, w, y, alpha, null, group).get(0);
        for (int j = 0; j < d; j++) {
          assertEquals(
              1, f.standardErrors()[j] / se[j], 1e-9, "alpha " + alpha + ", group " + group);
        }
      }
    }
    assertThrows(IllegalArgumentException.class, () -> WeightedRidge.fit(z, w, y, 0, null, 0));
  }

  /** Every residual 0: every error is 0 (and NaN with no residual degree of freedom). */
  @Test
  void anExactFitHasErrorsOfZero() {
    double[][] z = {{0, 1}, {1, 0}, {1, 1}, {0, 0}, {1, 1}};
    double[][] y = new double[5][1];
    for (int i = 0; i < 5; i++) {
      y[i][0] = 2 + 3 * z[i][0] - z[i][1];
    }
    double[] w = {1, 0.5, 2, 1, 1};
    for (double e : WeightedRidge.fit(z, w, y, 0, null).get(0).standardErrors()) {
      assertEquals(0, e, 0);
    }
    double[][] few = {z[0], z[1], z[2]};
    double[] fewW = {1, 1, 1};
    for (double e :
        WeightedRidge.fit(few, fewW, new double[][] {{1}, {2}, {4}}, 0, null)
            .get(0)
            .standardErrors()) {
      assertTrue(Double.isNaN(e));
    }
  }

  private static double[] sandwich(double[][] z, double[] w, double[][] y, double alpha, int g) {
    int s = z.length;
    int p = z[0].length + 1;
    double[][] x = new double[s][p];
    double[][] a = new double[p][p];
    double[] xty = new double[p];
    for (int i = 0; i < s; i++) {
      x[i][0] = 1;
      System.arraycopy(z[i], 0, x[i], 1, p - 1);
      for (int r = 0; r < p; r++) {
        for (int c = 0; c < p; c++) {
          a[r][c] += w[i] * x[i][r] * x[i][c];
        }
        xty[r] += w[i] * x[i][r] * y[i][0];
      }
    }
    for (int r = 1; r < p; r++) {
      a[r][r] += alpha;
    }
    double[][] ainv = TestMatrices.inverse(a);
    double[] beta = TestMatrices.times(ainv, xty);
    double[][] meat = new double[p][p];
    double[] e = new double[p];
    for (int i = 0; i < s; i++) {
      TestMatrices.addHc3(x[i], w[i], y[i][0], beta, ainv, e);
      if ((i + 1) % g == 0 || i == s - 1) {
        TestMatrices.addOuterAndClear(e, meat);
      }
    }
    double[] se = new double[p - 1];
    for (int j = 1; j < p; j++) {
      double v = 0;
      for (int r = 0; r < p; r++) {
        for (int c = 0; c < p; c++) {
          v += ainv[j][r] * meat[r][c] * ainv[c][j];
        }
      }
      se[j - 1] = Math.sqrt(v);
    }
    return se;
  }

  private static double[] independent(double[][] z, double[] w, double[][] y, double alpha) {
    int p = z[0].length + 1;
    double[][] a = new double[p][p];
    double[] xty = new double[p];
    for (int i = 0; i < z.length; i++) {
      double[] x = new double[p];
      x[0] = 1;
      System.arraycopy(z[i], 0, x, 1, p - 1);
      for (int r = 0; r < p; r++) {
        for (int c = 0; c < p; c++) {
          a[r][c] += w[i] * x[r] * x[c];
        }
        xty[r] += w[i] * x[r] * y[i][0];
      }
    }
    for (int r = 1; r < p; r++) {
      a[r][r] += alpha;
    }
    return TestMatrices.times(TestMatrices.inverse(a), xty);
  }

  /**
   * With no more samples than parameters the weights are found from the samples' S x S Gram matrix:
   * the same weights, intercepts and scores as the d x d normal equations (ridge) or their
   * pseudo-inverse (least squares, the least-norm fit), computed here directly; every error NaN; a
   * least-squares fit of S <= d samples exact. Selected columns and a zero weight included.
   */
  @Test
  void fewSamplesGiveTheFitOfTheNormalEquations() {
    SplittableRandom rng = new SplittableRandom(11);
    for (int d : new int[] {20, 150}) { // one word of bits a row, and three
      fewSamples(rng, d);
    }
  }

  /**
   * Scaling every sample weight and the penalty by one factor leaves the fit as it is; with few
   * samples the weights of 1e200 (a kernel plugin's unit) overflowed the samples' Gram matrix.
   */
  @Test
  void fewSamplesFitTheSameInAnyUnitOfWeight() {
    SplittableRandom rng = new SplittableRandom(5);
    for (int d : new int[] {8, 150}) {
      for (int s : new int[] {d / 2, d + 1, 3 * d}) {
        double[][] z = randomMasks(s, d, rng);
        double[] w = new double[s];
        double[][] y = new double[s][1];
        for (int i = 0; i < s; i++) {
          w[i] = 0.2 + rng.nextDouble();
          y[i][0] = rng.nextGaussian() * 3 + z[i][0];
        }
        for (double alpha : new double[] {0, 0.5}) {
          ColumnFit unit = WeightedRidge.fit(z, w, y, alpha, null).get(0);
          for (double factor : new double[] {1e200, 1e-200, 1e300}) {
            double[] wf = new double[s];
            for (int i = 0; i < s; i++) {
              wf[i] = w[i] * factor;
            }
            ColumnFit f = WeightedRidge.fit(z, wf, y, alpha * factor, null).get(0);
            String at = "d " + d + ", S " + s + ", alpha " + alpha + ", factor " + factor;
            for (int j = 0; j < d; j++) {
              double want = unit.weights()[j];
              assertEquals(want, f.weights()[j], 1e-7 * Math.max(1, Math.abs(want)), at);
              double se = unit.standardErrors()[j];
              if (Double.isNaN(se)) {
                assertTrue(Double.isNaN(f.standardErrors()[j]), at + ", error " + j);
              } else {
                assertEquals(se, f.standardErrors()[j], 1e-7 * Math.max(1e-3, se), at);
              }
            }
            assertEquals(
                unit.intercept(),
                f.intercept(),
                1e-7 * Math.max(1, Math.abs(unit.intercept())),
                at);
            assertEquals(unit.score(), f.score(), 1e-7, at);
          }
        }
      }
    }
  }

  private static void fewSamples(SplittableRandom rng, int d) {
    for (int s : new int[] {5, 20, 21, d - 1, d + 1}) {
      for (double alpha : new double[] {0, 0.5}) {
        for (int[] cols : new int[][] {null, {0, 2, 3, 5, 7, 11, 13, 17, 18, 19}}) {
          double[][] z = randomMasks(s, d, rng);
          if (s == 20) {
            z[3][cols == null ? 4 : 5] = 0.5; // not a mask: the Gram matrix from the values
          }
          double[] w = new double[s];
          double[][] y = new double[s][2];
          for (int i = 0; i < s; i++) {
            w[i] = i == 1 ? 0 : 0.2 + rng.nextDouble();
            y[i][0] = rng.nextGaussian() * 3;
            y[i][1] = 4 - y[i][0] * y[i][0];
          }
          List<ColumnFit> f = WeightedRidge.fit(z, w, y, alpha, cols);
          int[] use = cols == null ? java.util.stream.IntStream.range(0, d).toArray() : cols;
          if (s - use.length - 1 > 0) {
            continue; // the primal path, tested above
          }
          double[][] want = normalEquations(z, w, y, alpha, use);
          for (int c = 0; c < 2; c++) {
            ColumnFit fit = f.get(c);
            String at = "d " + d + ", S " + s + ", alpha " + alpha + ", column " + c;
            for (int j = 0; j < use.length; j++) {
              double tol = 1e-8 * Math.max(1, Math.abs(want[c][j])); // S = d + 1: weights of 600
              assertEquals(want[c][j], fit.weights()[use[j]], tol, at + ", weight " + j);
              assertTrue(Double.isNaN(fit.standardErrors()[use[j]]), at);
            }
            assertEquals(
                want[c][use.length],
                fit.intercept(),
                1e-8 * Math.max(1, Math.abs(want[c][use.length])),
                at + ", intercept");
            assertEquals(want[c][use.length + 1], fit.score(), 1e-8, at + ", score");
            if (alpha == 0 && s <= use.length) {
              assertEquals(1, fit.score(), 1e-9, at + ": S <= d samples are fitted exactly");
            }
          }
        }
      }
    }
  }

  /**
   * Per column: the weights of (Zc' W Zc + alpha I)^-1 Zc' W Yc on the columns used (with alpha = 0
   * the least-norm fit, from the pseudo-inverse of W^1/2 Zc itself), the intercept and the weighted
   * R^2.
   */
  private static double[][] normalEquations(
      double[][] z, double[] w, double[][] y, double alpha, int[] use) {
    int s = z.length;
    int d = use.length;
    int t = y[0].length;
    double sw = java.util.Arrays.stream(w).sum();
    double[] zbar = new double[d];
    double[] ybar = new double[t];
    for (int i = 0; i < s; i++) {
      for (int j = 0; j < d; j++) {
        zbar[j] += w[i] * z[i][use[j]] / sw;
      }
      for (int c = 0; c < t; c++) {
        ybar[c] += w[i] * y[i][c] / sw;
      }
    }
    // A = Zc' W Zc + alpha I and R = Zc' W Yc entry by entry, B = A^+ R
    DMatrixRMaj a = new DMatrixRMaj(d, d);
    DMatrixRMaj rhs = new DMatrixRMaj(d, t);
    for (int i = 0; i < s; i++) {
      for (int j = 0; j < d; j++) {
        double zj = z[i][use[j]] - zbar[j];
        for (int l = 0; l < d; l++) {
          a.add(j, l, w[i] * zj * (z[i][use[l]] - zbar[l]));
        }
        for (int c = 0; c < t; c++) {
          rhs.add(j, c, w[i] * zj * (y[i][c] - ybar[c]));
        }
      }
    }
    for (int j = 0; j < d; j++) {
      a.add(j, j, alpha);
    }
    DMatrixRMaj b = new DMatrixRMaj(d, t);
    if (alpha > 0) {
      DMatrixRMaj pinv = new DMatrixRMaj(d, d);
      CommonOps_DDRM.pinv(a, pinv);
      CommonOps_DDRM.mult(pinv, rhs, b);
    } else { // the least-norm fit X^+ Y' of X = W^1/2 Zc, Y' = W^1/2 Yc
      DMatrixRMaj xm = new DMatrixRMaj(s, d);
      DMatrixRMaj ym = new DMatrixRMaj(s, t);
      for (int i = 0; i < s; i++) {
        double root = Math.sqrt(w[i]);
        for (int j = 0; j < d; j++) {
          xm.set(i, j, root * (z[i][use[j]] - zbar[j]));
        }
        for (int c = 0; c < t; c++) {
          ym.set(i, c, root * (y[i][c] - ybar[c]));
        }
      }
      DMatrixRMaj pinv = new DMatrixRMaj(d, s);
      CommonOps_DDRM.pinv(xm, pinv);
      CommonOps_DDRM.mult(pinv, ym, b);
    }
    double[][] out = new double[t][d + 2];
    for (int c = 0; c < t; c++) {
      double intercept = ybar[c];
      for (int j = 0; j < d; j++) {
        out[c][j] = b.get(j, c);
        intercept -= zbar[j] * b.get(j, c);
      }
      double rss = 0;
      double tss = 0;
      for (int i = 0; i < s; i++) {
        double fit = 0;
        for (int j = 0; j < d; j++) {
          fit += (z[i][use[j]] - zbar[j]) * b.get(j, c);
        }
        double yc = y[i][c] - ybar[c];
        rss += w[i] * (yc - fit) * (yc - fit);
        tss += w[i] * yc * yc;
      }
      out[c][d] = intercept;
      out[c][d + 1] = 1 - rss / tss;
    }
    return out;
  }
}
