package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.ModalityExplanation;
import io.dime.api.SurrogateFit;
import io.dime.api.TermValue;
import io.dime.core.estimate.Estimators;
import io.dime.core.modality.VectorModality;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A constant model: every term but the bias is 0, the bias is the constant, and every fit has
 * weights of 0 with errors of 0 (a perfect fit), under every estimator. Before, {@code sampled}
 * reported NaN errors: its distinct-mask refit ({@link RepeatedMasks}) took the exact zeros of a
 * perfect fit for features that a selection had left out.
 */
class ConstantModelTest {
  @ParameterizedTest
  @ValueSource(strings = {"sampled", "anchored", "exact", "paper_faithful"})
  void everyTermButTheBiasAndEveryWeightIsZeroWithAnErrorOfZero(String estimator) {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 20, 2, 3, 3);
    Datapoint dp = Fixtures.gaussianPoints("x", 1, 2, 3, 4).get(0);
    ClassExplanation c =
        Dime.builder()
            .modality(VectorModality.of("m1", 3))
            .modality(VectorModality.of("m2", 3))
            .model(Fixtures.model(1, p -> new double[] {3.5}))
            .referencePool(pool)
            .estimator(Estimators.byName(estimator, 10))
            .samples(100)
            .noFaithfulness()
            .seed(1)
            .build()
            .explain(dp, Targets.classes("0"))
            .forClass(0);
    for (TermValue t : c.decomposition()) {
      assertEquals(t.term().order() == 0 ? 3.5 : 0, t.value(), 1e-12, t.key());
      assertEquals(0, t.standardError(), 1e-12, t.key());
    }
    for (ModalityExplanation m : c.modalities()) {
      for (SurrogateFit f : m.fits()) {
        for (int j = 0; j < f.weights().length; j++) {
          String at = m.modality() + " " + f.key() + " feature " + j;
          assertEquals(0, f.weights()[j], 1e-12, at);
          assertEquals(0, f.standardErrors()[j], 1e-12, at);
        }
      }
    }
  }
}
