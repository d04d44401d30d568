package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.TermValue;
import io.dime.core.estimate.Estimators;
import io.dime.core.modality.VectorModality;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What replicates measure of the fixed-set estimators, and what their provenance says of it: {@code
 * exact} chooses a set per replicate seed, so its term values spread over replicates; {@code
 * paper_faithful} fixes its set and table once per run (the paper's N points), so its term values
 * are the same in every replicate. Its provenance used to say, as exact's does, that replicates
 * with other seeds measure the set's error.
 */
class PaperFaithfulReplicatesTest {
  @ParameterizedTest
  @ValueSource(strings = {"exact", "paper_faithful"})
  void theProvenanceSaysWhetherReplicatesMeasureTheReferenceSet(String estimator) {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 40, 2, 2, 13);
    Dime dime =
        Dime.builder()
            .modality(VectorModality.of("m1", 2))
            .modality(VectorModality.of("m2", 2))
            .model(Fixtures.model(1, p -> new double[] {p[0][0] * p[1][1] + Math.sin(p[0][1])}))
            .referencePool(pool)
            .estimator(Estimators.byName(estimator, 6))
            .samples(20)
            .noFaithfulness()
            .replicates(3)
            .build();
    ClassExplanation c =
        dime.explain(Fixtures.gaussianPoints("x", 1, 2, 2, 14).get(0), Targets.classes("0"))
            .forClass(0);
    String errors = (String) ((Map<?, ?>) dime.provenance().estimator()).get("standardErrors");
    boolean shared = estimator.equals("paper_faithful");
    for (TermValue t : c.decomposition()) {
      if (shared) {
        assertEquals(0, t.replicateError(), 1e-12, t.key()); // the mean's rounding
      } else if (t.term().order() > 0) {
        assertTrue(t.replicateError() > 1e-6, t.key() + " " + t.replicateError());
      }
    }
    assertEquals(shared, errors.contains("do not measure it"), errors);
    assertFalse(shared && errors.contains("which replicates with other seeds measure"), errors);
  }
}
