package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.TermValue;
import io.dime.core.estimate.Estimator;
import io.dime.core.estimate.Estimators;
import io.dime.core.modality.VectorModality;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The standard error of the residual above the interaction cap. The estimators share their draws
 * between terms, so the terms' errors are correlated (g_E and g_1 = v(1) - v(E) move against each
 * other draw by draw); the residual's error is that of M - (the other terms) taken draw by draw,
 * not the root sum of squares of the terms' errors.
 */
class ResidualErrorTest {
  private static double s(double v) {
    return Math.sin(2 * v) + v * v;
  }

  private static Dime engine(
      Estimator e, Function<double[][], double[]> f, List<Datapoint> pool, int q, long seed) {
    return Dime.builder()
        .modality(VectorModality.of("m1", 1))
        .modality(VectorModality.of("m2", 1))
        .modality(VectorModality.of("m3", 1))
        .model(Fixtures.model(1, f))
        .referencePool(pool)
        .estimator(e)
        .maxInteractionOrder(q)
        .samples(2)
        .noFaithfulness()
        .seed(seed)
        .build();
  }

  private static TermValue residual(Dime dime, Datapoint dp) {
    List<TermValue> dec = dime.explain(dp, Targets.classes("0")).forClass(0).decomposition();
    TermValue r = dec.get(dec.size() - 1);
    assertEquals("residual", r.key());
    return r;
  }

  /**
   * An additive model has no term above order 1: the residual is 0 in every draw, so its value and
   * its error are 0 to rounding (before: the error was sqrt(se(g_E)^2 + se(g_1)^2 + ...), about 0.5
   * here, for a value of 1e-16).
   */
  @ParameterizedTest
  @ValueSource(strings = {"sampled", "anchored"})
  void anAdditiveModelsResidualIsZeroWithAnErrorOfZero(String estimator) {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 40, 3, 1, 5);
    Datapoint dp = Fixtures.gaussianPoints("x", 1, 3, 1, 6).get(0);
    Function<double[][], double[]> additive =
        p -> new double[] {s(p[0][0]) + 2 * s(p[1][0]) - s(p[2][0])};
    for (int q : new int[] {1, 2}) {
      TermValue r = residual(engine(Estimators.byName(estimator, 20), additive, pool, q, 1), dp);
      assertEquals(0, r.value(), 1e-12, "residual above order " + q);
      assertEquals(0, r.standardError(), 1e-12, "its error, above order " + q);
    }
  }

  /**
   * Calibration over seeds: the residual of a model with a small three-way interaction on top of
   * large main effects. Its reported error is compared with the spread of its value over 200 seeds
   * (draws with replacement from a pool of 3000, R = 40, so the draws are independent as the error
   * assumes). The ratio rms(error) / sd(values) has a sampling spread of about 5% from the 200
   * seeds' sd; the bounds [0.8, 1.25] are more than 4 of those spreads away (false failure below
   * 1e-4); the old error, dominated by the main effects, gave a ratio of 5.3.
   */
  @org.junit.jupiter.api.Test
  void theResidualsErrorMatchesItsSpreadOverSeeds() {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 3000, 3, 1, 11);
    Datapoint dp = Fixtures.point("x", new double[] {0.8}, new double[] {-1.1}, new double[] {0.6});
    Function<double[][], double[]> f =
        p ->
            new double[] {s(p[0][0]) + s(p[1][0]) + s(p[2][0]) + 0.3 * p[0][0] * p[1][0] * p[2][0]};
    int seeds = 200;
    double[] values = new double[seeds];
    double errSq = 0;
    for (int seed = 0; seed < seeds; seed++) {
      TermValue r = residual(engine(Estimators.sampled(40), f, pool, 1, seed), dp);
      values[seed] = r.value();
      errSq += r.standardError() * r.standardError();
    }
    double ratio = Math.sqrt(errSq / seeds) / Replicates.sd(values);
    assertTrue(ratio > 0.8 && ratio < 1.25, "rms(error) / sd over seeds = " + ratio);
  }
}
