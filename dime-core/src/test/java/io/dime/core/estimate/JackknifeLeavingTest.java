package io.dime.core.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Jackknife#leaving}: a set less one reference, with the same groups. */
class JackknifeLeavingTest {
  @Test
  void aGroupLeftEmptyIsIgnored() {
    // five singletons less the last: the jackknife of four singletons, whatever the fifth holds
    Jackknife four = Jackknife.of(5).leaving(4);
    assertEquals(4, four.references());
    assertEquals(5, four.groups());
    assertEquals(0, four.size(4));
    double[] left = {1.5, 0.25, -2, 3};
    double expected = Jackknife.of(4).standardError(0.7, left);
    for (double fifth : new double[] {0.7, 1e9, Double.NaN}) {
      assertEquals(
          expected,
          four.standardError(0.7, new double[] {1.5, 0.25, -2, 3, fifth}),
          1e-15,
          "fifth " + fifth);
    }
  }

  @Test
  void groupsOfTwoLoseOneMember() {
    // 40 references in 20 groups of two; less reference 3, group 3 has one. Estimate: the mean,
    // whose pseudo-values are the groups' own means, so the error is the spread of those
    SplittableRandom rng = new SplittableRandom(11);
    double[] y = new double[40];
    for (int i = 0; i < y.length; i++) {
      y[i] = rng.nextGaussian();
    }
    Jackknife jk = Jackknife.of(40).leaving(3);
    assertEquals(39, jk.references());
    assertEquals(1, jk.size(3));
    assertEquals(2, jk.size(4));
    double total = 0;
    for (int i = 0; i < y.length; i++) {
      total += i == 3 ? 0 : y[i];
    }
    double full = total / 39;
    double[] left = new double[20];
    double[] groupMean = new double[20];
    for (int g = 0; g < 20; g++) {
      double sum = 0;
      int m = 0;
      for (int i = g; i < 40; i += 20) {
        if (i != 3) {
          sum += y[i];
          m++;
        }
      }
      left[g] = (total - sum) / (39 - m);
      groupMean[g] = sum / m;
    }
    // the delete-a-group jackknife written out: theta_J, then the pseudo-values tau_g
    double thetaJ = 20 * full;
    for (int g = 0; g < 20; g++) {
      thetaJ -= (1.0 - jk.size(g) / 39.0) * left[g];
    }
    double var = 0;
    for (int g = 0; g < 20; g++) {
      double h = 39.0 / jk.size(g);
      double tau = h * full - (h - 1) * left[g];
      assertEquals(groupMean[g], tau, 1e-12, "the pseudo-value of group " + g);
      var += (tau - thetaJ) * (tau - thetaJ) / (h - 1);
    }
    assertEquals(Math.sqrt(var / 20), jk.standardError(full, left), 1e-12);
  }

  @Test
  void oneReferenceLeftHasNoError() {
    Jackknife one = Jackknife.of(2).leaving(0);
    assertTrue(Double.isNaN(one.standardError(1, new double[] {1, 1})));
    assertThrows(IllegalArgumentException.class, () -> one.leaving(0));
  }
}
