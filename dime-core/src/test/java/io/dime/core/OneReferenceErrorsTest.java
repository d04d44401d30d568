package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.TermValue;
import io.dime.core.estimate.Estimator;
import io.dime.core.estimate.Estimators;
import io.dime.core.estimate.ReferenceSelection;
import io.dime.core.modality.VectorModality;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A fixed reference set drawn at random measures its own error by a jackknife over its references,
 * which one reference cannot give: {@code exact(1)} with random selection and {@code
 * paper_faithful(2)} (one pool reference) report every term value's standard error as NaN. Found by
 * the mathematics sweep: the explanation's warnings said nothing of it (only the provenance's
 * description of the errors did), and the fits' errors, finite, silently left that part out. Now a
 * warning names the terms and says so; two references give finite errors and no warning.
 */
class OneReferenceErrorsTest {
  private static Explanation explain(Estimator e) {
    List<Datapoint> pool = Fixtures.gaussianPoints("r", 8, 2, 3, 3);
    return Dime.builder()
        .modality(VectorModality.of("m1", 3))
        .modality(VectorModality.of("m2", 3))
        .model(Fixtures.model(1, p -> new double[] {p[0][0] + 2 * p[0][1] + p[1][0] * p[0][2]}))
        .centeredScores(false)
        .referencePool(pool)
        .estimator(e)
        .samples(100)
        .seed(1)
        .noFaithfulness()
        .build()
        .explain(Fixtures.gaussianPoints("x", 1, 2, 3, 4).get(0), Targets.all());
  }

  @Test
  void nanTermErrorsOfOneReferenceAreWarnedOf() {
    for (Estimator e :
        new Estimator[] {
          Estimators.exact(1, ReferenceSelection.RANDOM), Estimators.paperFaithful(2)
        }) {
      Explanation x = explain(e);
      for (TermValue t : x.forClass(0).decomposition()) {
        assertTrue(Double.isNaN(t.standardError()), e.name() + " " + t.key());
      }
      List<String> w = x.warnings().stream().filter(s -> s.startsWith("the term values ")).toList();
      assertEquals(
          List.of(
              "the term values gE, g1, g2, g12 have standard errors of NaN: the reference set's"
                  + " own error is estimated by a jackknife over its references, which needs at"
                  + " least 2 randomly drawn ones, so it is unknown here and the fits' standard"
                  + " errors hold only their residuals' part; use more references"),
          w,
          e.name());
    }
  }

  @Test
  void twoReferencesHaveFiniteErrorsAndNoSuchWarning() {
    for (Estimator e :
        new Estimator[] {
          Estimators.exact(2, ReferenceSelection.RANDOM), Estimators.paperFaithful(3)
        }) {
      Explanation x = explain(e);
      for (TermValue t : x.forClass(0).decomposition()) {
        assertTrue(Double.isFinite(t.standardError()), e.name() + " " + t.key());
      }
      assertFalse(x.warnings().stream().anyMatch(s -> s.contains("NaN")), x.warnings()::toString);
    }
  }
}
