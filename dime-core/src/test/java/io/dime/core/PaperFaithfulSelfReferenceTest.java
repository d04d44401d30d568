package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.ModalityExplanation;
import io.dime.api.SurrogateFit;
import io.dime.api.TermValue;
import io.dime.core.estimate.Estimator;
import io.dime.core.estimate.Estimators;
import io.dime.core.modality.VectorModality;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code paper_faithful(N)} explaining a datapoint that is itself one of its N - 1 pool references
 * (the CLI's default pool is the data): the paper's N datapoints hold the point once, so the result
 * is the one over a pool without it, with the other references the same. Before, the point's N x N
 * table held it twice (found by the mathematics sweep: g1 -0.5237 against -0.6473).
 */
class PaperFaithfulSelfReferenceTest {
  private static Explanation explain(List<Datapoint> pool, Estimator estimator, Datapoint x) {
    Dime dime =
        Dime.builder()
            .modality(VectorModality.of("m1", 2))
            .modality(VectorModality.of("m2", 2))
            .model(
                Fixtures.model(
                    1,
                    p ->
                        new double[] {
                          p[0][0] * p[1][1] + Math.sin(3 * p[0][1]) + p[1][0] * p[1][0]
                        }))
            .centeredScores(false)
            .referencePool(pool)
            .estimator(estimator)
            .samples(60)
            .seed(5)
            .build();
    return (Explanation) dime.explain(x, Targets.all());
  }

  @Test
  void aPointAmongTheReferencesIsInItsTableOnce() {
    List<Datapoint> pool = Fixtures.gaussianPoints("r", 5, 2, 2, 3);
    Datapoint x = Datapoint.of("x", pool.get(2).values());
    List<Datapoint> others = new ArrayList<>(pool);
    others.remove(2);
    // all five pool datapoints are references, x among them; the same four others without it
    Explanation among = explain(pool, Estimators.paperFaithful(6), x);
    Explanation apart = explain(others, Estimators.paperFaithful(5), x);

    ClassExplanation a = among.classes().get(0);
    ClassExplanation b = apart.classes().get(0);
    assertEquals(b.decomposition().size(), a.decomposition().size());
    for (int t = 0; t < a.decomposition().size(); t++) {
      TermValue ta = a.decomposition().get(t);
      TermValue tb = b.decomposition().get(t);
      assertEquals(tb.value(), ta.value(), 1e-12, ta.key());
      assertEquals(tb.standardError(), ta.standardError(), 1e-12, ta.key());
    }
    int fits = 0;
    for (ModalityExplanation ma : a.modalities()) {
      ModalityExplanation mb = b.modality(ma.modality());
      for (SurrogateFit fa : ma.fits()) {
        SurrogateFit fb = mb.fit(fa.key()).orElseThrow();
        for (int i = 0; i < fa.weights().length; i++) {
          String what = ma.modality() + " " + fa.key() + " weight " + i;
          assertEquals(fb.weights()[i], fa.weights()[i], 1e-9, what);
          assertEquals(fb.standardErrors()[i], fa.standardErrors()[i], 1e-9, what);
        }
        fits++;
      }
    }
    assertTrue(fits >= 8, "UC, MI, LIME and the terms of both modalities: " + fits);
  }

  @Test
  void withOneOtherReferenceTheSetsErrorIsNotEstimable() {
    List<Datapoint> pool = Fixtures.gaussianPoints("r", 2, 2, 2, 4);
    Datapoint x = Datapoint.of("x", pool.get(0).values());
    Explanation e = explain(pool, Estimators.paperFaithful(3), x);
    Explanation alone = explain(pool.subList(1, 2), Estimators.paperFaithful(2), x);
    ClassExplanation a = e.classes().get(0);
    ClassExplanation b = alone.classes().get(0);
    for (int t = 0; t < a.decomposition().size(); t++) {
      assertEquals(b.decomposition().get(t).value(), a.decomposition().get(t).value(), 1e-12);
      assertEquals(
          Double.isNaN(b.decomposition().get(t).standardError()),
          Double.isNaN(a.decomposition().get(t).standardError()),
          a.decomposition().get(t).key());
    }
  }
}
