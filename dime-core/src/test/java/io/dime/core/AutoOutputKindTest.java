package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.ModelException;
import io.dime.api.OutputKind;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.JavaModels;
import io.dime.core.modality.VectorModality;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link OutputKind#AUTO} is decided once per run from the model's output on the first
 * reference-pool datapoint (every point gets the same transform), not at the explained point, as
 * {@code OutputTransform}'s Javadoc and its error message used to say.
 */
class AutoOutputKindTest {
  private static final List<Datapoint> POOL = Fixtures.gaussianPoints("p", 6, 2, 2, 1);

  /** Probabilities (a softmax of two scores) on pool datapoint 0 only, or everywhere else only. */
  private static Dime engine(boolean probabilitiesOnTheFirst) {
    double first = ((double[]) POOL.get(0).value("m1"))[0];
    return Dime.builder()
        .modality(VectorModality.of("m1", 2))
        .modality(VectorModality.of("m2", 2))
        .model(
            JavaModels.of(
                "auto",
                2,
                OutputKind.AUTO,
                row -> {
                  double[] a = (double[]) row[0];
                  double[] b = (double[]) row[1];
                  double s = a[0] * b[1] + a[1];
                  boolean isFirst = a[0] == first;
                  if (isFirst == probabilitiesOnTheFirst) {
                    double p = 1 / (1 + Math.exp(-s));
                    return new double[] {p, 1 - p};
                  }
                  return new double[] {s, -2 - s * s}; // not probabilities: the second is < 0
                }))
        .referencePool(POOL)
        .estimator(Estimators.exact(3))
        .samples(10)
        .noFaithfulness()
        .build();
  }

  @Test
  void theFirstPoolDatapointDecides() {
    Datapoint dp = Fixtures.gaussianPoints("x", 1, 2, 2, 2).get(0);
    // probabilities at the explained point, logits on the first pool datapoint: explained as logits
    assertFalse(engine(false).scoreTransform().isLog());
    assertFalse(
        engine(false)
            .explain(dp, Targets.predicted())
            .warnings()
            .toString()
            .contains("probabilities"));
    // the other way round: logarithms of negative scores, refused with the reason
    Dime dime = engine(true);
    assertTrue(dime.scoreTransform().isLog());
    ModelException e =
        assertThrows(ModelException.class, () -> dime.explain(dp, Targets.predicted()));
    assertTrue(e.getMessage().contains("first reference-pool datapoint"), e.getMessage());
  }
}
