package io.dime.core.decompose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.dime.api.OutputKind;
import io.dime.api.run.GlobalShares;
import io.dime.core.infer.JavaModels;
import io.dime.core.infer.OutputTransform;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The global analysis of a job with six modalities (a grid of 10 references a modality, 10^6 cells,
 * as {@code ExplanationJob.globalGrid} gives for k &gt;= 4) takes seconds, not minutes: each term
 * is computed once per coordinate of its own axes, not once per cell from 2^|S| marginals (3^k
 * look-ups a cell over all terms, over a minute at k = 6 on two cores, several at k = 7). The
 * limit, 150 s, guards against that way back, not a speed target: the test takes about 30 s on a
 * 2-core machine busy with other builds, where a limit of 30 s failed it twice.
 */
class GlobalAnalysisScaleTest {
  @Test
  void sevenModalitiesTakeSecondsAndGiveTheClosedFormShares() {
    int n = 6;
    int k = 7;
    Object[][] refs = new Object[n][k];
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        refs[i][j] = new double[] {rng.nextDouble() * 2 - 0.5};
      }
    }
    // y = a1 a2 + a3: over the product of the references' marginals its terms are
    // g1 = (a1 - m1) m2, g2 = m1 (a2 - m2), g12 = (a1 - m1)(a2 - m2), g3 = a3 - m3
    var model =
        JavaModels.of(
            "a1 a2 + a3",
            2,
            OutputKind.REGRESSION,
            row -> {
              double y = ((double[]) row[0])[0] * ((double[]) row[1])[0] + ((double[]) row[2])[0];
              return new double[] {y, -y};
            });
    GlobalShares r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(150),
            () ->
                GlobalAnalysis.run(
                    model, refs, null, List.of("y", "minus"), new OutputTransform(false, 2), 4096));
    assertEquals(279_936, r.rows());
    double[] mean = new double[3];
    double[] var = new double[3];
    for (int j = 0; j < 3; j++) {
      for (Object[] ref : refs) {
        mean[j] += ((double[]) ref[j])[0] / n;
      }
      for (Object[] ref : refs) {
        double d = ((double[]) ref[j])[0] - mean[j];
        var[j] += d * d / n;
      }
    }
    double v1 = var[0] * mean[1] * mean[1];
    double v2 = mean[0] * mean[0] * var[1];
    double v12 = var[0] * var[1];
    double v3 = var[2];
    double total = v1 + v2 + v12 + v3;
    for (Map<String, Double> shares : r.shares().values()) {
      assertEquals(127, shares.size());
      assertEquals(v1 / total, shares.get("g1"), 1e-9);
      assertEquals(v2 / total, shares.get("g2"), 1e-9);
      assertEquals(v12 / total, shares.get("g12"), 1e-9);
      assertEquals(v3 / total, shares.get("g3"), 1e-9);
      assertEquals(0, shares.get("g1234567"), 1e-9);
      assertEquals(0, shares.get("g4"), 1e-9);
    }
    assertEquals((v1 + v2 + v3) / total, r.additiveShare(), 1e-9);
  }
}
