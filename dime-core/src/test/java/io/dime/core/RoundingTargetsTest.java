package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.ModalityExplanation;
import io.dime.api.SurrogateFit;
import io.dime.api.run.GlobalShares;
import io.dime.core.estimate.Estimators;
import io.dime.core.modality.VectorModality;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Targets and outputs that vary only by floating-point rounding have no R^2 and no variance shares
 * to report: NaN (not defined), with a warning, instead of a number that measures the rounding.
 * Before: an exactly additive model's MI fits scored R^2 of 0.76 to 0.9987 (float64) and 0.93 with
 * a held-out R^2 of 0.95 (float32), and a constant model's shares and additive share were 0.
 */
class RoundingTargetsTest {
  private static final List<Datapoint> POOL = Fixtures.gaussianPoints("p", 20, 2, 3, 31);
  private static final Datapoint POINT = Fixtures.gaussianPoints("x", 1, 2, 3, 32).get(0);

  private static double sum(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s;
  }

  /** Additive: 2 sum(m1) - 3 sum(m2) + 4, no interaction at all. */
  private static double additive(double[][] p) {
    return 2 * sum(p[0]) - 3 * sum(p[1]) + 4;
  }

  private static Explanation explain(Function<double[][], double[]> model) {
    return Dime.builder()
        .modality(VectorModality.of("m1", 3))
        .modality(VectorModality.of("m2", 3))
        .model(Fixtures.model(1, model))
        .referencePool(POOL)
        .estimator(Estimators.exact(POOL.size()))
        .samples(40)
        .seed(3)
        .build()
        .explain(POINT, Targets.classes("0"));
  }

  private static SurrogateFit fit(ClassExplanation c, int m, String key) {
    ModalityExplanation me = c.modalities().get(m);
    return me.fit(key).orElseThrow();
  }

  private static void assertFlatMi(Explanation e) {
    ClassExplanation c = e.forClass(0);
    for (int m = 0; m < 2; m++) {
      SurrogateFit mi = fit(c, m, "MI");
      for (double w : mi.weights()) {
        assertEquals(0, w, 1e-4, "MI weight of modality " + m);
      }
      assertTrue(Double.isNaN(mi.score()), "MI score " + mi.score());
      assertTrue(Double.isNaN(mi.faithfulness().orElseThrow().heldOutR2()), "held-out R^2");
      assertTrue(Double.isNaN(mi.faithfulness().orElseThrow().heldOutWeightedR2()));
      // UC of a linear model is linear in the mask (the ridge penalty keeps its fit from exact)
      SurrogateFit uc = fit(c, m, "UC");
      assertTrue(uc.score() > 0.9, "UC score of modality " + m + ": " + uc.score());
      assertTrue(uc.faithfulness().orElseThrow().heldOutR2() > 0.8);
    }
    String warnings = String.join("\n", e.warnings());
    assertTrue(warnings.contains("modality 'm1', class '0': g12, MI do not vary"), warnings);
    assertTrue(warnings.contains("modality 'm2', class '0': g12, MI do not vary"), warnings);
  }

  @Test
  void anAdditiveModelsMiHasNoScore() {
    assertFlatMi(explain(p -> new double[] {additive(p)}));
  }

  /** The same model computed in float32, as an ONNX model's outputs are: rounding of 1e-6. */
  @Test
  void anAdditiveFloat32ModelsMiHasNoScore() {
    assertFlatMi(explain(p -> new double[] {(float) additive(p)}));
  }

  /**
   * A real interaction far below the output's level keeps its scores where double precision
   * resolves it (1e9 + x1 x2: rounding 1.2e-7), and is rounding in float32 (ulp(1e9) = 64).
   */
  @Test
  void anInteractionFarBelowTheLevelIsRoundingOnlyInFloat32() {
    Function<double[][], Double> f = p -> 1e9 + p[0][0] * p[1][0] + sum(p[0]);
    Explanation wide = explain(p -> new double[] {f.apply(p)});
    SurrogateFit mi = fit(wide.forClass(0), 0, "MI");
    assertTrue(mi.score() > 0.5, "MI score " + mi.score());
    assertFalse(
        String.join("\n", wide.warnings()).contains("do not vary"), wide.warnings()::toString);
    Explanation narrow = explain(p -> new double[] {(float) (double) f.apply(p)});
    assertTrue(Double.isNaN(fit(narrow.forClass(0), 0, "MI").score()));
    assertTrue(Double.isNaN(fit(narrow.forClass(0), 0, "UC").score()), "UC is rounding too");
  }

  /**
   * A modality whose hidden values equal the input where the model reads it (the point's entries
   * are the zero baseline; for a series, a constant channel or a straight stretch under {@code
   * interpolate}) has flat targets although it matters (g1 far from 0): the warning said "the model
   * shows no such effect here", which the term values contradict.
   */
  @Test
  void aFlatTargetWhoseHidingChangesNothingSaysSo() {
    Datapoint zero = Datapoint.of("z", Map.of("m1", new double[3], "m2", new double[] {1, 2, 3}));
    Explanation e =
        Dime.builder()
            .modality(VectorModality.of("m1", 3))
            .modality(VectorModality.of("m2", 3))
            .model(Fixtures.model(1, p -> new double[] {sum(p[0]) * sum(p[1]) + 2 * sum(p[0])}))
            .referencePool(POOL)
            .estimator(Estimators.exact(POOL.size()))
            .samples(40)
            .seed(3)
            .build()
            .explain(zero, Targets.classes("0"));
    double g1 = e.forClass(0).decomposition().get(1).value();
    assertTrue(Math.abs(g1) > 0.1, "m1 matters at the point: g1 = " + g1);
    for (double w : fit(e.forClass(0), 0, "UC").weights()) {
      assertEquals(0, w, 1e-9, "hiding m1 changes nothing");
    }
    String warning =
        e.warnings().stream().filter(w -> w.startsWith("modality 'm1'")).findFirst().orElseThrow();
    assertTrue(warning.contains("g1, g12, UC, MI, LIME do not vary"), warning);
    assertTrue(
        warning.contains("or the hidden values equal the input where the model reads them"),
        warning);
  }

  private static GlobalShares global(Function<double[][], double[]> model) {
    return Dime.builder()
        .modality(VectorModality.of("m1", 3))
        .modality(VectorModality.of("m2", 3))
        .model(Fixtures.model(1, model))
        .referencePool(POOL)
        .build()
        .globalAnalysis(10);
  }

  @Test
  void aConstantModelHasNoVarianceShares() {
    GlobalShares g = global(p -> new double[] {3});
    Map<String, Double> shares = g.shares().get("0");
    assertEquals(List.of("g1", "g2", "g12"), List.copyOf(shares.keySet()));
    shares.values().forEach(v -> assertTrue(Double.isNaN(v), "share " + v));
    assertTrue(Double.isNaN(g.additiveShare()), "additive share " + g.additiveShare());
  }

  /** 1000 + 1e-6 x in float32 is 1000 up to its rounding (ulp 6.1e-5): nothing to share. */
  @Test
  void aFloat32ModelConstantToRoundingHasNoVarianceShares() {
    GlobalShares g = global(p -> new double[] {(float) (1000 + 1e-6 * p[0][0] * p[1][1])});
    g.shares().get("0").values().forEach(v -> assertTrue(Double.isNaN(v), "share " + v));
    assertTrue(Double.isNaN(g.additiveShare()));
    // the same in float64 is resolved: the shares of x y itself
    GlobalShares wide = global(p -> new double[] {1000 + 1e-6 * p[0][0] * p[1][1]});
    GlobalShares unit = global(p -> new double[] {p[0][0] * p[1][1]});
    for (String key : List.of("g1", "g2", "g12")) {
      assertEquals(unit.shares().get("0").get(key), wide.shares().get("0").get(key), 1e-6, key);
    }
    assertEquals(unit.additiveShare(), wide.additiveShare(), 1e-6);
    assertTrue(unit.shares().get("0").get("g12") > 0.1);
  }
}
