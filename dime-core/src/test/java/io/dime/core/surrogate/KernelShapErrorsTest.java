package io.dime.core.surrogate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.spi.ColumnFit;
import io.dime.spi.SampleDesign;
import io.dime.spi.SamplingHints;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * KernelSHAP's standard errors against the HC3 sandwich written out here on the reduced problem
 * (the last feature eliminated through the efficiency constraint), with and without a penalty and
 * with groups of samples that share their error.
 */
class KernelShapErrorsTest {
  @Test
  void standardErrorsMatchTheSandwichOnTheReducedProblem() {
    int d = 5;
    for (double alpha : new double[] {0, 0.5}) {
      KernelShap k = KernelShap.defaults().withMode("sample").withAlpha(alpha);
      SampleDesign design = k.design(d, 120, SamplingHints.DENSE, new SplittableRandom(3));
      SplittableRandom rng = new SplittableRandom(4);
      double[][] y = new double[design.samples()][1];
      for (int s = 0; s < y.length; s++) {
        boolean[] z = design.masks()[s];
        double noise = (z[0] ? 3 : 1) * (rng.nextDouble() - 0.5);
        y[s][0] = 1 + (z[0] ? 2 : 0) - (z[2] ? 1 : 0) + (z[1] && z[3] ? 1.5 : 0) + noise;
      }
      for (int group : new int[] {1, 4}) {
        ColumnFit f = k.fit(design.withErrorGroup(group), y).get(0);
        double[] se = sandwich(design, y, alpha, group);
        for (int j = 0; j < d; j++) {
          assertEquals(1, f.standardErrors()[j] / se[j], 1e-9, "alpha " + alpha + ", " + group);
        }
      }
    }
  }

  /** The errors by the class comment of {@link KernelShap}, from matrices built here. */
  private static double[] sandwich(SampleDesign design, double[][] y, double alpha, int g) {
    boolean[][] z = design.masks();
    double[] w = design.weights();
    int d = design.features();
    int p = d - 1;
    int zero = -1;
    for (int s = 0; s < z.length && zero < 0; s++) {
      boolean none = true;
      for (boolean b : z[s]) {
        none &= !b;
      }
      zero = none ? s : -1;
    }
    double base = y[zero][0];
    double delta = y[0][0] - base;
    double[][] a = new double[p][p];
    double[] rhs = new double[p];
    double[][] x = new double[z.length][p];
    double[] yt = new double[z.length];
    boolean[] used = new boolean[z.length];
    for (int s = 0; s < z.length; s++) {
      int kept = 0;
      for (boolean b : z[s]) {
        kept += b ? 1 : 0;
      }
      used[s] = kept > 0 && kept < d && w[s] > 0;
      double zl = z[s][p] ? 1 : 0;
      for (int j = 0; j < p; j++) {
        x[s][j] = (z[s][j] ? 1 : 0) - zl;
      }
      yt[s] = y[s][0] - base - zl * delta;
      if (used[s]) {
        for (int i = 0; i < p; i++) {
          for (int j = 0; j < p; j++) {
            a[i][j] += w[s] * x[s][i] * x[s][j];
          }
          rhs[i] += w[s] * x[s][i] * yt[s];
        }
      }
    }
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < p; j++) {
        a[i][j] += alpha * (i == j ? 2 : 1);
      }
      rhs[i] += alpha * delta;
    }
    double[][] ainv = TestMatrices.inverse(a);
    double[] b = TestMatrices.times(ainv, rhs);
    double[][] meat = new double[p][p];
    double[] e = new double[p];
    for (int s = 0; s < z.length; s++) {
      if (used[s]) {
        TestMatrices.addHc3(x[s], w[s], yt[s], b, ainv, e);
      }
      if ((s + 1) % g == 0 || s == z.length - 1) {
        TestMatrices.addOuterAndClear(e, meat);
      }
    }
    double[] se = new double[d];
    double total = 0;
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < p; j++) {
        double c = 0;
        for (int r = 0; r < p; r++) {
          for (int q = 0; q < p; q++) {
            c += ainv[i][r] * meat[r][q] * ainv[q][j];
          }
        }
        total += c;
        if (i == j) {
          se[i] = Math.sqrt(c);
        }
      }
    }
    se[p] = Math.sqrt(total);
    return se;
  }
}
