package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.TermValue;
import io.dime.api.run.GlobalShares;
import io.dime.core.estimate.Estimators;
import io.dime.core.modality.VectorModality;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finite outputs of any size: the variance shares and the standard errors are the same in any unit
 * (an output scaled by s has its errors scaled by s and the same shares), whether the squares of
 * the outputs would overflow (1e200) or underflow (1e-160), and a level far above the spread (1e12
 * + a spread of about 1) or no spread at all keeps its error.
 */
class ExtremeOutputsTest {
  private static final List<Datapoint> POOL = Fixtures.gaussianPoints("p", 30, 3, 2, 21);
  private static final Datapoint POINT = Fixtures.gaussianPoints("x", 1, 3, 2, 22).get(0);

  private static double f(double[][] p) {
    return Math.sin(p[0][0]) + p[1][0] * p[2][1] + 0.5 * p[0][1] * p[1][1] * p[2][0];
  }

  /** Three modalities of two entries each, the model and the pool. */
  private static DimeBuilder threeModalities(Function<double[][], double[]> model) {
    return Dime.builder()
        .modality(VectorModality.of("m1", 2))
        .modality(VectorModality.of("m2", 2))
        .modality(VectorModality.of("m3", 2))
        .model(Fixtures.model(1, model))
        .referencePool(POOL);
  }

  private static Dime engine(Function<double[][], double[]> model, int replicates) {
    return threeModalities(model)
        .estimator(Estimators.sampled(10))
        .samples(20)
        .noFaithfulness()
        .replicates(replicates)
        .seed(4)
        .build();
  }

  /**
   * Before: NaN at 1e200; at 1e-160 the squares were subnormal, with a few digits left (g1's share
   * 0.34809 for 0.34802), and below 1e-162 they are 0 (every share 0, as if the output did not
   * vary).
   */
  @ParameterizedTest
  @ValueSource(doubles = {1e-160, 1e200})
  void globalSharesAreTheSameInAnyUnit(double scale) {
    GlobalShares unit = engine(p -> new double[] {f(p)}, 1).globalAnalysis(4);
    GlobalShares scaled = engine(p -> new double[] {scale * f(p)}, 1).globalAnalysis(4);
    Map<String, Double> want = unit.shares().get("0");
    Map<String, Double> got = scaled.shares().get("0");
    assertEquals(want.keySet(), got.keySet());
    double sum = 0;
    for (String key : want.keySet()) {
      assertEquals(want.get(key), got.get(key), 1e-9, key + " at scale " + scale);
      sum += got.get(key);
    }
    assertEquals(1, sum, 1e-9);
    assertEquals(unit.additiveShare(), scaled.additiveShare(), 1e-9);
  }

  /**
   * The sampled estimator's term errors and the replicates' errors scale with the output (same
   * seeds, same draws). Before: NaN at 1e200, and 3e-4 off at 1e-160 (subnormal squares).
   */
  @ParameterizedTest
  @ValueSource(doubles = {1e-160, 1e200})
  void termErrorsScaleWithTheOutput(double scale) {
    ClassExplanation unit =
        engine(p -> new double[] {f(p)}, 2).explain(POINT, Targets.classes("0")).forClass(0);
    ClassExplanation scaled =
        engine(p -> new double[] {scale * f(p)}, 2)
            .explain(POINT, Targets.classes("0"))
            .forClass(0);
    for (int t = 0; t < unit.decomposition().size(); t++) {
      TermValue want = unit.decomposition().get(t);
      TermValue got = scaled.decomposition().get(t);
      assertTrue(want.standardError() > 0 && want.replicateError() > 0, want.key());
      assertEquals(1, got.standardError() / scale / want.standardError(), 1e-9, want.key());
      assertEquals(1, got.replicateError() / scale / want.replicateError(), 1e-9, want.key());
    }
  }

  /**
   * KernelSHAP's weights, errors, intercepts and scores scale with the output like WeightedRidge's
   * (exact estimator, three features enumerated, errors from the lack of fit). Before: errors of 0
   * and scores of 1 at 1e-160 (the residual sums underflowed, which read as an exact fit), infinite
   * errors at 1e200; and errors of 0 at 1e-30 (residuals below 1e-12 in absolute terms counted as
   * exact).
   */
  @ParameterizedTest
  @ValueSource(doubles = {1e-160, 1e-30, 1e200})
  void kernelShapFitsScaleWithTheOutput(double scale) {
    ClassExplanation unit = shap(p -> new double[] {within(p)});
    ClassExplanation scaled = shap(p -> new double[] {scale * within(p)});
    int withErrors = 0;
    for (int m = 0; m < 3; m++) {
      for (int i = 0; i < unit.modalities().get(m).fits().size(); i++) {
        io.dime.api.SurrogateFit want = unit.modalities().get(m).fits().get(i);
        io.dime.api.SurrogateFit got = scaled.modalities().get(m).fits().get(i);
        String at = "modality " + m + " " + want.key();
        if (Math.abs(want.weights()[0]) + Math.abs(want.weights()[1]) < 1e-9) {
          continue; // a term that is 0 here: its targets are rounding, another at another scale
        }
        assertEquals(want.score(), got.score(), 1e-9, at);
        assertEquals(want.intercept(), got.intercept() / scale, 1e-9 * Math.abs(want.intercept()));
        for (int j = 0; j < 2; j++) {
          assertEquals(want.weights()[j], got.weights()[j] / scale, 1e-9, at + " weight " + j);
          double se = want.standardErrors()[j];
          if (se > 1e-9) {
            assertEquals(1, got.standardErrors()[j] / scale / se, 1e-9, at);
            withErrors++;
          } else {
            assertEquals(se, got.standardErrors()[j] / scale, 1e-9, at); // fits without error
          }
        }
      }
    }
    assertTrue(withErrors >= 6, withErrors + " weights with errors");
  }

  /**
   * LIME's (the default surrogate's) weights, errors and scores, in sample and held out, are the
   * same in any unit, the extremes included. Before: at 1e-13 and 1e-30 every weight's error was 0
   * and at 1e-30 every held-out R^2 was 1, since a residual or a spread below 1e-12 in absolute
   * terms counted as an exact fit; at 1e200 every held-out R^2 was 1 (its sums of squares
   * overflowed).
   */
  @ParameterizedTest
  @ValueSource(doubles = {1e-13, 1e-30, 1e200})
  void limeFitsScaleWithTheOutput(double scale) {
    ClassExplanation unit = lime(p -> new double[] {f(p)});
    ClassExplanation scaled = lime(p -> new double[] {scale * f(p)});
    int checked = 0;
    for (int m = 0; m < 3; m++) {
      for (int i = 0; i < unit.modalities().get(m).fits().size(); i++) {
        io.dime.api.SurrogateFit want = unit.modalities().get(m).fits().get(i);
        io.dime.api.SurrogateFit got = scaled.modalities().get(m).fits().get(i);
        String at = "modality " + m + " " + want.key() + " at scale " + scale;
        assertEquals(want.score(), got.score(), 1e-9, at);
        double wantHeldOut = want.faithfulness().orElseThrow().heldOutR2();
        assertTrue(wantHeldOut < 0.999, at + ": held-out R^2 " + wantHeldOut);
        assertEquals(wantHeldOut, got.faithfulness().orElseThrow().heldOutR2(), 1e-9, at);
        for (int j = 0; j < 2; j++) {
          double se = want.standardErrors()[j];
          assertTrue(se > 0, at + " weight " + j + " has error " + se);
          assertEquals(1, got.standardErrors()[j] / scale / se, 1e-9, at + " weight " + j);
          checked++;
        }
      }
    }
    assertTrue(checked >= 24, checked + " weights checked");
  }

  private static ClassExplanation lime(Function<double[][], double[]> model) {
    return threeModalities(model)
        .estimator(Estimators.sampled(10))
        .samples(40)
        .seed(4)
        .build()
        .explain(POINT, Targets.classes("0"))
        .forClass(0);
  }

  /** Features that interact within each modality, so that no fit is exact. */
  private static double within(double[][] p) {
    return Math.sin(2 * p[0][0] * p[0][1])
        + p[1][0] * p[1][1] * p[2][0]
        + Math.cos(p[2][0] - p[2][1]);
  }

  private static ClassExplanation shap(Function<double[][], double[]> model) {
    return threeModalities(model)
        .estimator(Estimators.exact(3))
        .surrogate(io.dime.core.surrogate.KernelShap.defaults())
        .samples(20)
        .noFaithfulness()
        .build()
        .explain(POINT, Targets.classes("0"))
        .forClass(0);
  }

  /**
   * A level of 1e12 adds nothing to the draws' spread: the bias term's error is the one without the
   * level, to the level's rounding (ulp(1e12) = 1.2e-4). Before: the one-pass variance of values
   * near 1e12 kept only its rounding (an error of 0 for 0.213).
   */
  @Test
  void aLevelFarAboveTheSpreadKeepsTheBiasError() {
    TermValue without =
        engine(p -> new double[] {f(p)}, 1)
            .explain(POINT, Targets.classes("0"))
            .forClass(0)
            .decomposition()
            .get(0);
    TermValue with =
        engine(p -> new double[] {1e12 + f(p)}, 1)
            .explain(POINT, Targets.classes("0"))
            .forClass(0)
            .decomposition()
            .get(0);
    assertEquals("gE", with.key());
    assertTrue(without.standardError() > 0.05, "error without the level " + without);
    assertEquals(without.standardError(), with.standardError(), 1e-3);
  }

  /**
   * A pool of one datapoint: every draw is the same, every term's error is exactly 0. Before: the
   * one-pass variance left sqrt(eps) times the value, 1.8e-8 here.
   */
  @Test
  void noSpreadGivesAnErrorOfExactlyZero() {
    List<Datapoint> one = Fixtures.gaussianPoints("q", 1, 2, 3, 5);
    Datapoint dp = Fixtures.gaussianPoints("y", 1, 2, 3, 77).get(0);
    ClassExplanation c =
        Dime.builder()
            .modality(VectorModality.of("m1", 3))
            .modality(VectorModality.of("m2", 3))
            .model(
                Fixtures.model(
                    1, p -> new double[] {p[0][0] * p[1][0] + p[0][1] + Math.abs(p[1][2])}))
            .referencePool(one)
            .estimator(Estimators.sampled(10))
            .samples(20)
            .noFaithfulness()
            .seed(1)
            .build()
            .explain(dp, Targets.classes("0"))
            .forClass(0);
    for (TermValue t : c.decomposition()) {
      assertEquals(0, t.standardError(), 0, t.key());
    }
  }
}
