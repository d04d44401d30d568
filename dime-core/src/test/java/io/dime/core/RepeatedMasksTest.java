package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.MultimodalModel;
import io.dime.api.SurrogateFit;
import io.dime.core.estimate.Estimator;
import io.dime.core.estimate.Estimators;
import io.dime.core.modality.VectorModality;
import io.dime.core.surrogate.Lime;
import io.dime.spi.ColumnFit;
import io.dime.spi.SampleDesign;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The standard errors of {@code sampled}, whose repeated masks share one estimate ({@link
 * RepeatedMasks}), against the spread of the weights over seeds.
 */
class RepeatedMasksTest {
  private static final int D = 4;

  /** An additive model: every MI weight is 0 in truth, so a weight over its error is a z-score. */
  private static final MultimodalModel ADDITIVE =
      Fixtures.model(
          1,
          p -> {
            double s = 0;
            for (int j = 0; j < D; j++) {
              s += Math.sin(2 * p[0][j]) * (j + 1) + Math.exp(0.5 * p[1][j]);
            }
            return new double[] {s};
          });

  private static ClassExplanation explain(Estimator e, long seed) {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 30, 2, D, 11);
    Datapoint x = Fixtures.gaussianPoints("x", 1, 2, D, 12).get(0);
    Dime dime =
        Dime.builder()
            .modality(VectorModality.of("m1", D))
            .modality(VectorModality.of("m2", D))
            .model(ADDITIVE)
            .referencePool(pool)
            .estimator(e)
            .samples(300)
            .seed(seed)
            .noFaithfulness()
            .build();
    return dime.explain(x, Targets.classes("0")).forClass(0);
  }

  private static SurrogateFit fit(ClassExplanation c, int m, String key) {
    return c.modalities().get(m).fits().stream()
        .filter(f -> f.key().equals(key))
        .findFirst()
        .orElseThrow();
  }

  /**
   * With 4 features per modality nearly every one of the 300 samples repeats one of 16 masks. Over
   * 40 seeds the MI weights (truly 0) divided by their errors must look like z-scores: before the
   * errors counted distinct masks, their root mean square was 7.3.
   */
  @Test
  void sampledErrorsCoverTheSpreadOfTheWeightsOverSeeds() {
    double sumZ2 = 0;
    int n = 0;
    int inside = 0;
    for (long seed = 0; seed < 40; seed++) {
      ClassExplanation c = explain(Estimators.sampled(20), seed);
      for (int m = 0; m < 2; m++) {
        SurrogateFit mi = fit(c, m, "MI");
        for (int j = 0; j < D; j++) {
          double z = mi.weights()[j] / mi.standardErrors()[j];
          sumZ2 += z * z;
          inside += Math.abs(z) < 1.96 ? 1 : 0;
          n++;
        }
      }
    }
    double rms = Math.sqrt(sumZ2 / n);
    double coverage = (double) inside / n;
    // 320 z-scores; t with about 10 degrees of freedom has an RMS of 1.1 and 92% within 1.96 (the
    // masks are not equally frequent, so the errors are approximate: RMS 1.3, 85% here)
    assertTrue(rms > 0.7 && rms < 1.6, "RMS of w / se " + rms);
    assertTrue(coverage > 0.8, "share within 1.96 standard errors " + coverage);
  }

  /**
   * Only the errors change: the weights are the fit's to every sample, and LIME's are as before.
   */
  @Test
  void theWeightsAndTheModelsOwnFitAreUnchanged() {
    Lime lime = Lime.defaults();
    boolean[][] masks = {
      {true, true}, {true, false}, {false, true}, {true, false}, {true, false}, {false, false}
    };
    double[] w = {1, 0.5, 0.5, 0.5, 0.5, 0.2};
    double[][] y = {{3, 3}, {1, 1}, {2, 2}, {1, 1}, {1, 1}, {0.5, 0.5}};
    SampleDesign design = new SampleDesign(masks, w);
    List<ColumnFit> all = lime.fit(design, y);
    FitTargets.ColumnSpec drawn =
        new FitTargets.ColumnSpec(
            "UC", io.dime.api.TargetKind.UC, null, 0, new double[] {0, 1, 0, 0});
    FitTargets.ColumnSpec model =
        new FitTargets.ColumnSpec(
            "LIME", io.dime.api.TargetKind.MODEL, null, 0, new double[] {0, 0, 0, 1});
    int[] slotOf = {-1, 0, -1, 1}; // v({m}) and M vary with the mask
    List<ColumnFit> out =
        RepeatedMasks.distinctMaskErrors(lime, design, y, all, List.of(drawn, model), slotOf, 3);
    assertArrayEquals(all.get(0).weights(), out.get(0).weights(), 0.0);
    assertEquals(all.get(0).intercept(), out.get(0).intercept(), 0.0);
    assertTrue(out.get(0).standardErrors()[0] > all.get(0).standardErrors()[0]);
    assertTrue(out.get(1) == all.get(1), "the model's own output has no draw error");
    // the distinct masks with summed weights give the same weights (to rounding)
    SampleDesign once =
        new SampleDesign(
            new boolean[][] {{true, true}, {true, false}, {false, true}, {false, false}},
            new double[] {1, 1.5, 0.5, 0.2});
    double[][] y4 = {{3, 3}, {1, 1}, {2, 2}, {0.5, 0.5}};
    assertArrayEquals(all.get(0).weights(), lime.fit(once, y4).get(0).weights(), 1e-12);
    assertArrayEquals(lime.fit(once, y4).get(0).standardErrors(), out.get(0).standardErrors(), 0.0);
  }

  /**
   * exact's values have no draw error of their own: its errors are the fit's residuals, as ever.
   */
  @Test
  void exactAndAnchoredKeepTheirResidualErrors() {
    assertEquals(false, Estimators.exact(5).repeatsShareDrawError());
    assertEquals(false, Estimators.anchored(5).repeatsShareDrawError());
    assertEquals(false, Estimators.paperFaithful(5).repeatsShareDrawError());
    assertEquals(true, Estimators.sampled(5).repeatsShareDrawError());
  }
}
