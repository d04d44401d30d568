package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.ModalityExplanation;
import io.dime.api.SurrogateFit;
import io.dime.core.estimate.Estimator;
import io.dime.core.estimate.Estimators;
import io.dime.core.modality.VectorModality;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Under {@code sampled} (the default estimator) a repeated mask shares its first occurrence's
 * estimate and counts once in the errors ({@link RepeatedMasks}), so a modality of one feature,
 * whose samples hold 2 distinct masks whatever their number, leaves its UC, MI and term fits no
 * residual degrees of freedom: their standard errors are NaN. Found by the mathematics sweep: with
 * the defaults (1000 samples) every such error was NaN and the explanation warned of nothing. Every
 * NaN error is now named in a warning; a modality of three features keeps finite errors and no such
 * warning.
 */
class FewDistinctMasksTest {
  private static Explanation explain(Estimator e, int replicates) {
    List<Datapoint> pool = new ArrayList<>();
    for (Datapoint p : Fixtures.gaussianPoints("p", 40, 2, 3, 41)) {
      double[] a = (double[]) p.value("m1");
      pool.add(Fixtures.point(p.id(), new double[] {a[0]}, (double[]) p.value("m2")));
    }
    DimeBuilder b =
        Dime.builder()
            .modality(VectorModality.of("m1", 1))
            .modality(VectorModality.of("m2", 3))
            .model(
                Fixtures.model(
                    1, p -> new double[] {3 * p[0][0] * p[1][0] + p[0][0] + p[1][1] - p[1][2]}))
            .referencePool(pool)
            .estimator(e)
            .seed(5);
    if (replicates > 1) {
      b.replicates(replicates);
    }
    return b.build()
        .explain(
            Fixtures.point("x", new double[] {2}, new double[] {-1, 0.5, 1}), Targets.classes("0"));
  }

  /** The keys of the fits of one modality with a NaN standard error. */
  private static List<String> nanKeys(ModalityExplanation me) {
    List<String> keys = new ArrayList<>();
    for (SurrogateFit f : me.fits()) {
      for (double se : f.standardErrors()) {
        if (Double.isNaN(se)) {
          keys.add(f.key());
          break;
        }
      }
    }
    return keys;
  }

  @Test
  void nanErrorsOfAOneFeatureModalityUnderSampledAreWarnedOf() {
    for (int replicates : new int[] {1, 3}) {
      Explanation e = explain(Estimators.sampled(Estimators.DEFAULT_DRAWS), replicates);
      ClassExplanation c = e.forClass(0);
      List<String> nan = nanKeys(c.modality("m1"));
      assertEquals(List.of("g1", "g12", "UC", "MI"), nan, "replicates " + replicates);
      String warnings = String.join("\n", e.warnings());
      assertTrue(
          warnings.contains(
              "modality 'm1': g1, g12, UC, MI have standard errors of NaN: its 1000 samples hold 2"
                  + " distinct mask(s) for 1 feature(s), and under the sampled estimator a"
                  + " repeated mask shares its first occurrence's estimate"),
          warnings);
      assertEquals(List.of(), nanKeys(c.modality("m2")));
      assertTrue(!warnings.contains("modality 'm2': "), warnings);
    }
  }

  /** Estimators that do not merge repeated masks keep finite errors here, and warn of nothing. */
  @Test
  void otherEstimatorsHaveFiniteErrors() {
    for (Estimator est : new Estimator[] {Estimators.anchored(5), Estimators.exact(10)}) {
      Explanation e = explain(est, 1);
      for (ModalityExplanation me : e.forClass(0).modalities()) {
        assertEquals(List.of(), nanKeys(me), est.name() + " " + me.modality());
      }
      assertTrue(
          e.warnings().stream().noneMatch(w -> w.contains("NaN")),
          () -> est.name() + ": " + e.warnings());
    }
  }
}
