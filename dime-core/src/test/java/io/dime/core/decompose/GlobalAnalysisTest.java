package io.dime.core.decompose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.api.Term;
import io.dime.core.infer.JavaModels;
import io.dime.core.infer.OutputTransform;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GlobalAnalysisTest {
  private static double[][] randomGrid(int n, int k, int c, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int cells = (int) Math.pow(n, k);
    double[][] grid = new double[cells][c];
    for (double[] row : grid) {
      for (int i = 0; i < c; i++) {
        row[i] = rng.nextDouble() * 4 - 2;
      }
    }
    return grid;
  }

  /** Every g_S has zero mean over any modality in S, and the terms sum to the grid value. */
  @Test
  void termsHaveZeroMeanAlongTheirOwnAxesAndSumToTheModel() {
    for (int k = 2; k <= 4; k++) {
      int n = 4;
      double[][] grid = randomGrid(n, k, 2, k);
      double[][][] g = GlobalAnalysis.terms(grid, n, k);
      for (int cell = 0; cell < grid.length; cell++) {
        for (int cls = 0; cls < 2; cls++) {
          double sum = 0;
          for (int s = 0; s < (1 << k); s++) {
            sum += g[cell][s][cls];
          }
          assertEquals(grid[cell][cls], sum, 1e-12);
        }
      }
      for (Term s : Term.all(k)) {
        for (int axis : s.modalities()) {
          // Average over axis `axis` with every other coordinate fixed.
          int stride = (int) Math.pow(n, axis);
          for (int cell = 0; cell < grid.length; cell++) {
            if ((cell / stride) % n != 0) {
              continue;
            }
            double mean = 0;
            for (int i = 0; i < n; i++) {
              mean += g[cell + i * stride][(int) s.bits()][0] / n;
            }
            assertEquals(0, mean, 1e-12, "g" + s + " over axis " + axis + ", k=" + k);
          }
        }
      }
    }
  }

  @Test
  void additiveModelHasAllItsVarianceInUnimodalTermsAndTheSameAccuracy() {
    int n = 6;
    Object[][] refs = new Object[n][2];
    int[] labels = new int[n];
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < n; i++) {
      refs[i][0] = new double[] {rng.nextDouble() - 0.5};
      refs[i][1] = new double[] {rng.nextDouble() - 0.5};
      labels[i] = i % 2;
    }
    var model =
        JavaModels.of(
            "additive",
            2,
            io.dime.api.OutputKind.LOGITS,
            row -> {
              double s = ((double[]) row[0])[0] + 2 * ((double[]) row[1])[0];
              return new double[] {-s, s};
            });
    io.dime.api.run.GlobalShares r =
        GlobalAnalysis.run(
            model, refs, labels, List.of("0", "1"), new OutputTransform(false, 2), 7);
    assertEquals(36, r.rows());
    assertEquals(1.0, r.additiveShare(), 1e-12);
    assertEquals(r.modelAccuracy(), r.additiveAccuracy(), 0);
    for (Map<String, Double> shares : r.shares().values()) {
      assertEquals(1.0, shares.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-12);
      assertEquals(0.0, shares.get("g12"), 1e-12);
    }
  }

  /**
   * Pool labels are read as a record's label is for its explanation: an output name, else an output
   * index ("label": 1 in a manifest), so that such a pool still gives the accuracies.
   */
  @Test
  void labelsAreOutputNamesOrOutputIndices() {
    List<java.util.Optional<String>> labels =
        List.of(
            java.util.Optional.of("positive"),
            java.util.Optional.of("1"),
            java.util.Optional.of("0"),
            java.util.Optional.of("2"),
            java.util.Optional.of("maybe"),
            java.util.Optional.empty());
    assertEquals(
        List.of(1, 1, 0, -1, -1, -1),
        java.util.Arrays.stream(
                GlobalAnalysis.labelIndices(labels, List.of("negative", "positive")))
            .boxed()
            .toList());
    // a class named "1" is read by its name first
    assertEquals(
        List.of(0, 1),
        java.util.Arrays.stream(
                GlobalAnalysis.labelIndices(
                    List.of(java.util.Optional.of("1"), java.util.Optional.of("0")),
                    List.of("1", "0")))
            .boxed()
            .toList());
  }

  /** EMAP's published 3 x 3 example: the additive projections at the diagonal. */
  @Test
  void emapExampleOnTheGrid() {
    double[][] table = {{-1.3, 0.3, -0.2}, {0.8, 3, 1.1}, {1.1, -0.1, 0.7}};
    double[][] grid = new double[9][1];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        grid[i + 3 * j][0] = table[i][j]; // axis 0 is modality 1
      }
    }
    double[][][] g = GlobalAnalysis.terms(grid, 3, 2);
    double[] expected = {-0.8, 2.1, 0.5};
    for (int i = 0; i < 3; i++) {
      int cell = i + 3 * i;
      double additive = g[cell][0][0] + g[cell][1][0] + g[cell][2][0];
      assertEquals(expected[i], additive, 1e-12);
    }
  }
}
