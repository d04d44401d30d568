package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.dime.api.Datapoint;
import io.dime.core.estimate.Estimators;
import io.dime.core.modality.VectorModality;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code paper_faithful(N)} over a pool of fewer than N - 1 datapoints uses them all: N is then the
 * pool's size plus the point. Its provenance said {@code references: 10} and nothing else (only the
 * length of {@code referenceIndices} told), though the paper's leak of about 2/N of M depends on
 * the N actually used; {@code exact} says {@code referencesUsed}. Found by the mathematics sweep.
 */
class PaperFaithfulPoolSizeTest {
  private static Map<?, ?> estimatorProvenance(int n, List<Datapoint> pool) {
    Dime dime =
        Dime.builder()
            .modality(VectorModality.of("m1", 2))
            .modality(VectorModality.of("m2", 2))
            .model(Fixtures.model(1, p -> new double[] {p[0][0] * p[1][1] + p[0][1]}))
            .centeredScores(false)
            .referencePool(pool)
            .estimator(Estimators.paperFaithful(n))
            .samples(10)
            .seed(1)
            .build();
    dime.explain(Fixtures.gaussianPoints("x", 1, 2, 2, 9).get(0), Targets.all());
    return (Map<?, ?>) dime.provenance().estimator();
  }

  @Test
  void aPoolSmallerThanNIsSaidInTheProvenance() {
    List<Datapoint> pool = Fixtures.gaussianPoints("r", 5, 2, 2, 3);
    Map<?, ?> small = estimatorProvenance(10, pool);
    assertEquals(10, small.get("references"));
    assertEquals(5, ((int[]) small.get("referenceIndices")).length);
    assertEquals(6, small.get("referencesUsed"), "the point and the 5 pool datapoints");
    assertEquals(5, small.get("jackknifeGroups"));

    Map<?, ?> fits = estimatorProvenance(6, pool);
    assertEquals(5, ((int[]) fits.get("referenceIndices")).length);
    assertFalse(fits.containsKey("referencesUsed"), fits::toString);
  }
}
