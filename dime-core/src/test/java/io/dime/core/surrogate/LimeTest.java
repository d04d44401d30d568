package io.dime.core.surrogate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.spi.ColumnFit;
import io.dime.spi.PluginConfig;
import io.dime.spi.SampleDesign;
import io.dime.spi.SamplingHints;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LimeTest {
  @Test
  void firstSampleIsUnperturbedAndKernelFollowsTheCosineDistance() {
    SampleDesign d = Lime.defaults().design(9, 200, SamplingHints.DENSE, new SplittableRandom(1));
    for (boolean b : d.masks()[0]) {
      assertTrue(b);
    }
    assertEquals(1.0, d.weights()[0], 0);
    for (int s = 0; s < d.samples(); s++) {
      int kept = 0;
      for (boolean b : d.masks()[s]) {
        kept += b ? 1 : 0;
      }
      double dist = kept == 0 ? 1 : 1 - Math.sqrt(kept / 9.0);
      assertEquals(Math.sqrt(Math.exp(-dist * dist / 0.0625)), d.weights()[s], 1e-15);
    }
  }

  @Test
  void textMasksHideAUniformNumberOfFeatures() {
    SampleDesign d = Lime.defaults().design(5, 5001, SamplingHints.TEXT, new SplittableRandom(2));
    int[] hiddenCounts = new int[6];
    for (int s = 1; s < d.samples(); s++) {
      int hidden = 0;
      for (boolean b : d.masks()[s]) {
        hidden += b ? 0 : 1;
      }
      hiddenCounts[hidden]++;
    }
    assertEquals(0, hiddenCounts[0], "at least one word is hidden");
    for (int h = 1; h <= 5; h++) {
      // 1000 expected per count; 5 sd of a binomial(5000, 0.2) is about 141.
      assertEquals(1000, hiddenCounts[h], 141, "count " + h);
    }
    // distance x 100 with width 25: a mask hiding 1 of 5 words.
    double dist = 100 * (1 - Math.sqrt(4 / 5.0));
    for (int s = 1; s < d.samples(); s++) {
      int kept = 0;
      for (boolean b : d.masks()[s]) {
        kept += b ? 1 : 0;
      }
      if (kept == 4) {
        assertEquals(Math.sqrt(Math.exp(-dist * dist / 625)), d.weights()[s], 1e-15);
      }
    }
  }

  private static double[][] targets(SampleDesign d, double[] coef) {
    double[][] y = new double[d.samples()][1];
    for (int s = 0; s < d.samples(); s++) {
      for (int j = 0; j < coef.length; j++) {
        y[s][0] += d.masks()[s][j] ? coef[j] : 0;
      }
    }
    return y;
  }

  @Test
  void featureSelectionModesKeepTheStrongFeatures() {
    double[] coef = {0.01, 5, -0.02, 0, -4, 0.03, 3, 0};
    for (String mode : List.of("highest_weights", "forward_selection", "lasso_path", "auto")) {
      Lime lime = Lime.defaults().withAlpha(0).withFeatureSelection(mode, 3);
      SampleDesign d = lime.design(8, 400, SamplingHints.DENSE, new SplittableRandom(3));
      ColumnFit f = lime.fit(d, targets(d, coef)).get(0);
      int nonzero = 0;
      for (double w : f.weights()) {
        nonzero += w != 0 ? 1 : 0;
      }
      assertEquals(3, nonzero, mode);
      assertEquals(5, f.weights()[1], 0.1, mode);
      assertEquals(-4, f.weights()[4], 0.1, mode);
      assertEquals(3, f.weights()[6], 0.1, mode);
      assertEquals(0, f.standardErrors()[0], 0, mode + ": unselected features have no error");
    }
  }

  /**
   * Feature selection does not depend on the unit of the target: every mode keeps the same
   * features, and the weights scale with the target, for targets scaled by 2^-100 (about 8e-31; a
   * power of two, so that the sums are the same numbers in other units). Before: the lasso path's
   * coordinate descent stopped once no weight moved by 1e-9 in absolute terms, after one sweep for
   * such a target, and kept other features than at scale 1 (for the targets of seeds 101 and 108).
   */
  @Test
  void featureSelectionDoesNotDependOnTheUnitOfTheTarget() {
    double unit = Math.scalb(1.0, -100);
    for (String mode : List.of("highest_weights", "forward_selection", "lasso_path")) {
      for (int seed = 100; seed < 110; seed++) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] coef = new double[12];
        for (int j = 0; j < coef.length; j++) {
          coef[j] = r.nextGaussian();
        }
        Lime lime = Lime.defaults().withFeatureSelection(mode, 4);
        SampleDesign d = lime.design(12, 300, SamplingHints.DENSE, new SplittableRandom(seed));
        double[][] y = targets(d, coef);
        double[][] tiny = new double[y.length][1];
        for (int s = 0; s < y.length; s++) {
          y[s][0] += 0.5 * r.nextGaussian();
          tiny[s][0] = y[s][0] * unit;
        }
        ColumnFit want = lime.fit(d, y).get(0);
        ColumnFit got = lime.fit(d, tiny).get(0);
        for (int j = 0; j < coef.length; j++) {
          String at = mode + ", seed " + seed + ", weight " + j;
          assertEquals(want.weights()[j] == 0, got.weights()[j] == 0, at + " selected");
          assertEquals(want.weights()[j], got.weights()[j] / unit, 1e-12, at);
        }
      }
    }
  }

  @Test
  void noSelectionKeepsEveryFeatureAndRecoversLinearTargetsExactly() {
    double[] coef = {1, -2, 3, 0.5};
    Lime lime = Lime.defaults().withAlpha(0);
    SampleDesign d = lime.design(4, 100, SamplingHints.DENSE, new SplittableRandom(4));
    ColumnFit f = lime.fit(d, targets(d, coef)).get(0);
    assertArrayEquals(coef, f.weights(), 1e-12);
    assertEquals(0, f.intercept(), 1e-12);
    assertEquals(1, f.score(), 1e-12);
  }

  @Test
  void configIsValidated() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Lime.fromConfig(PluginConfig.of("surrogate lime", "alpah", 1)));
    assertTrue(e.getMessage().contains("unknown setting 'alpah'"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> Lime.fromConfig(PluginConfig.of("surrogate lime", "featureSelection", "magic")));
    assertEquals(
        0.5, Lime.fromConfig(PluginConfig.of("lime", "alpha", 0.5)).provenance().get("alpha"));
    for (double w : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException bad =
          assertThrows(IllegalArgumentException.class, () -> Lime.defaults().withKernelWidth(w));
      assertEquals("kernelWidth must be a positive finite number, found " + w, bad.getMessage());
    }
    assertEquals(
        "ridge alpha must be finite, found Infinity",
        assertThrows(
                IllegalArgumentException.class,
                () -> Lime.defaults().withAlpha(Double.POSITIVE_INFINITY))
            .getMessage());
    assertEquals(
        "feature selection mode is null",
        assertThrows(
                NullPointerException.class, () -> Lime.defaults().withFeatureSelection(null, 3))
            .getMessage());
  }
}
