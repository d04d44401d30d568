package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.SurrogateFit;
import io.dime.core.estimate.Estimators;
import io.dime.core.modality.VectorModality;
import io.dime.core.surrogate.Lime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A modality of one feature: its LIME samples are the input itself or the input with the feature
 * hidden, which lies at distance 1 and weighs exp(-8) = 3.4e-4, so the ridge penalty (alpha 1)
 * nearly decides the fit. The explanation says so; alpha 0 fits the two masks exactly. Before: no
 * word of it, and a LIME weight of 2% of the effect with an R^2 of 0.01.
 */
class FewEffectiveSamplesTest {
  private static final List<Datapoint> POOL = Fixtures.gaussianPoints("p", 20, 2, 3, 41);

  /** m1 has one entry, m2 three; the model is linear, 3 m1 + sum(m2). */
  private static Explanation explain(Lime lime) {
    return explain(lime, 50);
  }

  private static Explanation explain(Lime lime, int samples) {
    Datapoint x = Fixtures.point("x", new double[] {2}, new double[] {1, -1, 0.5});
    List<Datapoint> pool =
        POOL.stream()
            .map(
                p ->
                    Fixtures.point(
                        p.id(),
                        new double[] {((double[]) p.value("m1"))[0]},
                        (double[]) p.value("m2")))
            .toList();
    return Dime.builder()
        .modality(VectorModality.of("m1", 1))
        .modality(VectorModality.of("m2", 3))
        .model(Fixtures.model(1, p -> new double[] {3 * p[0][0] + p[1][0] + p[1][1] + p[1][2]}))
        .referencePool(pool)
        .estimator(Estimators.exact(pool.size()))
        .surrogate(lime)
        .samples(samples)
        .seed(5)
        .build()
        .explain(x, Targets.classes("0"));
  }

  @Test
  void aOneFeatureModalityIsWarnedOfAndAlphaZeroFitsIt() {
    Explanation shrunk = explain(Lime.defaults());
    String warnings = String.join("\n", shrunk.warnings());
    assertTrue(
        warnings.contains(
            "modality 'm1': the ridge penalty (alpha 1.0) outweighs the samples' kernel-weighted"
                + " spread on 1 of 1 feature(s), whose weights it shrinks by up to 9"),
        warnings);
    assertFalse(warnings.contains("modality 'm2': the ridge penalty"), warnings);
    // the vector modality hides an entry as 0: the effect of m1 = 2 is 3 * 2
    double effect = 6;
    SurrogateFit lime = shrunk.forClass(0).modality("m1").fit("LIME").orElseThrow();
    assertTrue(Math.abs(lime.weights()[0]) < 0.5 * Math.abs(effect), lime.weights()[0] + "");

    Explanation exact = explain(Lime.defaults().withAlpha(0));
    assertFalse(
        String.join("\n", exact.warnings()).contains("kernel weights"), exact.warnings()::toString);
    SurrogateFit fit = exact.forClass(0).modality("m1").fit("LIME").orElseThrow();
    assertEquals(effect, fit.weights()[0], 1e-9);
    assertEquals(1, fit.score(), 1e-9);
  }

  /**
   * At most d + 1 samples leave a fit of d weights and an intercept nothing to estimate its errors
   * from (they are NaN) and the weights to the penalty: said, as an outside tester asked (S = 2 for
   * 10 features looked confident, R^2 0.84).
   */
  @Test
  void samplesThatDoNotExceedTheFeaturesAreWarnedOf() {
    String few = String.join("\n", explain(Lime.defaults(), 4).warnings());
    assertTrue(
        few.contains(
            "modality 'm2': 4 samples for 3 features leave its fits no residual degrees of"
                + " freedom"),
        few);
    // one feature: the penalty's warning speaks for it
    assertFalse(few.contains("modality 'm1': 4 samples"), few);
    assertFalse(String.join("\n", explain(Lime.defaults(), 5).warnings()).contains("5 samples"));
  }

  /**
   * alpha / (G_jj + alpha): masks {1, 0, 0} of weight 1 spread 2/3 about their mean 1/3, so alpha 1
   * shrinks by 1 / (2/3 + 1) = 0.6; weights 1, 0.01, 0.01 leave about 0.01 of spread (99%).
   */
  @Test
  void theShrinkageOfEachFeature() {
    boolean[][] masks = {{true, true}, {false, true}, {false, false}};
    FitWarnings.Shrinkage even =
        FitWarnings.shrinkage(new io.dime.spi.SampleDesign(masks, new double[] {1, 1, 1}), 1);
    assertEquals(0.6, even.largest(), 1e-12);
    assertEquals(2, even.overHalf()); // column 2, {1, 1, 0}, spreads 2/9 + 4/9 = 2/3 as well
    FitWarnings.Shrinkage far =
        FitWarnings.shrinkage(new io.dime.spi.SampleDesign(masks, new double[] {1, 0.01, 0.01}), 1);
    // column 2, {1, 1, 0}: mean 1.01 / 1.02, spread 1.01 (1 - mean)^2 + 0.01 mean^2
    double m = 1.01 / 1.02;
    double g = 1.01 * (1 - m) * (1 - m) + 0.01 * m * m;
    assertEquals(1 / (g + 1), far.largest(), 1e-12);
    assertEquals(2, far.overHalf());
    assertEquals(
        0,
        FitWarnings.shrinkage(new io.dime.spi.SampleDesign(masks, new double[] {1, 1, 1}), 0)
            .overHalf());
  }
}
