package io.dime.core.estimate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReferenceSelectionTest {
  private static final int K = 3;
  private static final int D = 10;

  /** n datapoints of k Gaussian vectors; modality j has mean j and standard deviation j + 1. */
  private static Pool gaussianPool(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Object[][] values = new Object[n][K];
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add("p" + i);
      for (int j = 0; j < K; j++) {
        double[] v = new double[D];
        for (int e = 0; e < D; e++) {
          double u1 = 1 - rng.nextDouble();
          double u2 = rng.nextDouble();
          v[e] = j + (j + 1) * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }
        values[i][j] = v;
      }
    }
    return new Pool(ids, values, K);
  }

  /**
   * Per coordinate of the summaries: the chosen set's mean minus the pool's, in pool standard
   * deviations, then the chosen set's variance over the pool's minus 1 (second moments about the
   * pool mean).
   */
  private static double[][] momentErrors(Pool pool, int[] chosen) {
    int d = pool.summary(0).length;
    double[] mean = new double[d];
    double[] var = new double[d];
    for (int i = 0; i < pool.size(); i++) {
      double[] s = pool.summary(i);
      for (int c = 0; c < d; c++) {
        mean[c] += s[c] / pool.size();
      }
    }
    for (int i = 0; i < pool.size(); i++) {
      double[] s = pool.summary(i);
      for (int c = 0; c < d; c++) {
        var[c] += (s[c] - mean[c]) * (s[c] - mean[c]) / pool.size();
      }
    }
    double[][] err = new double[2][d];
    for (int c = 0; c < d; c++) {
      double m = 0;
      double v = 0;
      for (int i : chosen) {
        double x = pool.summary(i)[c] - mean[c];
        m += x / chosen.length;
        v += x * x / chosen.length;
      }
      err[0][c] = m / Math.sqrt(var[c]);
      err[1][c] = v / var[c] - 1;
    }
    return err;
  }

  private static double sumSq(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v * v;
    }
    return s;
  }

  @Test
  void representativeReferencesMatchThePoolsFirstTwoMomentsFarBetterThanRandomOnes() {
    Pool pool = gaussianPool(3000, 11);
    int n = 50;
    ReferenceSelection.Choice rep = ReferenceSelection.REPRESENTATIVE.choose(pool, n, 0);
    assertEquals("representative", rep.applied());
    double[][] e = momentErrors(pool, rep.indices());
    for (int c = 0; c < e[0].length; c++) {
      // A random set of 50 has mean errors of sd 1/sqrt(50) = 0.14 and variance-ratio errors of
      // sd sqrt(2/50) = 0.2 per coordinate (largest of 30: about 0.3 and 0.5).
      assertTrue(Math.abs(e[0][c]) < 0.08, "mean error of coordinate " + c + ": " + e[0][c]);
      assertTrue(Math.abs(e[1][c]) < 0.12, "variance error of coordinate " + c + ": " + e[1][c]);
    }
    double repTotal = sumSq(e[0]) + sumSq(e[1]);
    for (long seed = 0; seed < 10; seed++) {
      int[] random = ReferenceSelection.RANDOM.choose(pool, n, seed).indices();
      double[][] r = momentErrors(pool, random);
      double randomTotal = sumSq(r[0]) + sumSq(r[1]);
      // Expected about 30 x (0.02 + 0.04) = 1.8 for random sets; greedy matching gets about 0.08.
      assertTrue(
          randomTotal > 5 * repTotal,
          "seed " + seed + ": random " + randomTotal + " against representative " + repTotal);
    }
  }

  @Test
  void theChoiceIsReproducibleFromTheSeedDistinctSortedAndInsideThePool() {
    Pool pool = gaussianPool(400, 3);
    int[] a = ReferenceSelection.REPRESENTATIVE.choose(pool, 30, 7).indices();
    int[] b = ReferenceSelection.REPRESENTATIVE.choose(pool, 30, 7).indices();
    int[] c = ReferenceSelection.REPRESENTATIVE.choose(pool, 30, 8).indices();
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c), "another seed starts from another datapoint");
    assertEquals(30, a.length);
    for (int i = 0; i < a.length; i++) {
      assertTrue(a[i] >= 0 && a[i] < pool.size());
      if (i > 0) {
        assertTrue(a[i] > a[i - 1], "sorted and distinct");
      }
    }
  }

  @Test
  void aPoolNoLargerThanNIsTakenWholeInOrder() {
    Pool pool = gaussianPool(12, 5);
    ReferenceSelection.Choice c = ReferenceSelection.REPRESENTATIVE.choose(pool, 12, 0);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, c.indices());
  }

  @Test
  void withoutNumbersToMatchItFallsBackToRandomAndSaysSo() {
    List<String> ids = new ArrayList<>();
    Object[][] values = new Object[50][1];
    for (int i = 0; i < 50; i++) {
      ids.add("t" + i);
      values[i][0] = "text " + i;
    }
    Pool pool = new Pool(ids, values, 1);
    ReferenceSelection.Choice c = ReferenceSelection.REPRESENTATIVE.choose(pool, 10, 4);
    assertEquals("random (no float encodings)", c.applied());
    assertArrayEquals(ReferenceSelection.RANDOM.choose(pool, 10, 4).indices(), c.indices());
  }

  /**
   * The choice does not depend on the unit of the encodings: a pool scaled by 1e-15 (a power of
   * two, so that its moments are the same numbers in other units) gets the same references as the
   * pool itself. Before: every coordinate's spread was below 1e-12 in absolute terms, the choice
   * fell back to random and the provenance said there were no float encodings. A pool whose
   * encodings do not vary at all still falls back, and says that.
   */
  @Test
  void theChoiceDoesNotDependOnTheUnitOfTheEncodings() {
    Pool pool = gaussianPool(200, 6);
    double unit = Math.scalb(1.0, -50); // about 8.9e-16
    Object[][] scaled = new Object[200][K];
    Object[][] constant = new Object[200][K];
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add("p" + i);
      for (int j = 0; j < K; j++) {
        double[] v = ((double[]) pool.value(i, j)).clone();
        for (int e = 0; e < v.length; e++) {
          v[e] *= unit;
        }
        scaled[i][j] = v;
        constant[i][j] = new double[] {unit, 2 * unit};
      }
    }
    ReferenceSelection.Choice want = ReferenceSelection.REPRESENTATIVE.choose(pool, 10, 3);
    ReferenceSelection.Choice got =
        ReferenceSelection.REPRESENTATIVE.choose(new Pool(ids, scaled, K), 10, 3);
    assertEquals("representative", got.applied());
    assertArrayEquals(want.indices(), got.indices());
    ReferenceSelection.Choice flat =
        ReferenceSelection.REPRESENTATIVE.choose(new Pool(ids, constant, K), 10, 3);
    assertEquals("random (no float encoding varies over the pool)", flat.applied());
  }

  @Test
  void constantCoordinatesAreLeftOutAndTheOthersStillMatched() {
    SplittableRandom rng = new SplittableRandom(1);
    List<String> ids = new ArrayList<>();
    Object[][] values = new Object[500][2];
    for (int i = 0; i < 500; i++) {
      ids.add("p" + i);
      values[i][0] = new double[] {4.0, 4.0};
      values[i][1] = new double[] {rng.nextDouble(), rng.nextDouble() * 10};
    }
    Pool pool = new Pool(ids, values, 2);
    int[] chosen = ReferenceSelection.REPRESENTATIVE.choose(pool, 20, 0).indices();
    assertEquals(20, chosen.length);
    double[][] err = momentErrors(pool, chosen);
    for (int c = 2; c < 4; c++) {
      assertTrue(Math.abs(err[0][c]) < 0.05, "coordinate " + c + ": " + err[0][c]);
    }
  }

  @Test
  void summariesOfDifferentSizesAreRefusedNamingBothDatapoints() {
    List<String> ids = List.of("a", "b", "c");
    Object[][] values = {{new double[] {1, 2}}, {new double[] {1, 2, 3}}, {new double[] {0, 1}}};
    Pool pool = new Pool(ids, values, 1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ReferenceSelection.REPRESENTATIVE.choose(pool, 2, 0));
    assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("'a'"), e.getMessage());
  }

  @Test
  void longEncodingsAreSummarisedByContiguousBlockMeans() {
    double[] x = new double[2 * Pool.SUMMARY_WIDTH + 1];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    double[] b = Pool.blockMeans(x, x.length);
    assertEquals(Pool.SUMMARY_WIDTH, b.length);
    // Blocks [floor(b L / W), floor((b + 1) L / W)) with L = 2W + 1: {0, 1}, {2, 3}, ... and the
    // last block {2W - 2, 2W - 1, 2W}.
    assertEquals(0.5, b[0], 0.0);
    assertEquals(2.5, b[1], 0.0);
    assertEquals((2.0 * Pool.SUMMARY_WIDTH - 1), b[Pool.SUMMARY_WIDTH - 1], 0.0);
    assertArrayEquals(new double[] {1, 2, 3}, Pool.blockMeans(new double[] {1, 2, 3, 9}, 3));
  }

  @Test
  void namesParseAndUnknownOnesListTheAvailable() {
    assertEquals(ReferenceSelection.RANDOM, ReferenceSelection.of(" Random "));
    assertEquals(ReferenceSelection.REPRESENTATIVE, ReferenceSelection.of("representative"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReferenceSelection.of("kmeans"));
    assertTrue(e.getMessage().contains("[random, representative]"), e.getMessage());
    IllegalArgumentException f =
        assertThrows(
            IllegalArgumentException.class,
            () -> Estimators.byName("sampled", 10, ReferenceSelection.REPRESENTATIVE));
    assertTrue(f.getMessage().contains("exact estimator only"), f.getMessage());
  }

  @Test
  void aLargePoolIsSummarisedOnceOnAMomentSampleAndStillMatched() {
    Pool big = gaussianPool(ReferenceSelection.MOMENT_SAMPLE + 2000, 17);
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    Object[][] values = new Object[big.size()][K];
    for (int i = 0; i < big.size(); i++) {
      for (int j = 0; j < K; j++) {
        values[i][j] = big.value(i, j);
      }
    }
    Pool counted =
        new Pool(
            big.ids(),
            values,
            K,
            i -> {
              calls.incrementAndGet();
              return big.summary(i);
            });
    int[] chosen = ReferenceSelection.REPRESENTATIVE.choose(counted, 50, 0).indices();
    assertEquals(ReferenceSelection.MOMENT_SAMPLE, calls.get(), "each sampled summary once");
    double[][] e = momentErrors(big, chosen);
    for (int c = 0; c < e[0].length; c++) {
      // against the whole pool's moments: the sample's own error is 1/sqrt(10,000) = 0.01
      assertTrue(Math.abs(e[0][c]) < 0.08, "mean error of coordinate " + c + ": " + e[0][c]);
      assertTrue(Math.abs(e[1][c]) < 0.12, "variance error of coordinate " + c + ": " + e[1][c]);
    }
  }
}
