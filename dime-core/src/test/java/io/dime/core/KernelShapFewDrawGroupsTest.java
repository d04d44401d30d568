package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.SurrogateFit;
import io.dime.core.estimate.Estimator;
import io.dime.core.estimate.Estimators;
import io.dime.core.modality.VectorModality;
import io.dime.core.surrogate.KernelShap;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * KernelSHAP enumerates the 2^d masks of a modality of few features, and under the fast preset's
 * {@code anchored(5)} groups of 5 consecutive samples share their reference draws, so the fit's
 * standard errors take each group as one error (a cluster). With 2 features the 2 fitted masks lie
 * in one group, with 3 features the 6 in two: no more clusters than free weights (d - 1), where the
 * clustered sandwich has nothing left to measure the spread by and comes out near 0 whatever the
 * draws did. Measured over 200 seeds (k = 2, pool of 400): with 2 features every UC, MI and term
 * weight had an error of exactly 0 while it missed its value under exact over the whole pool by
 * 0.06 to 0.42 (root mean square); with 3 features 0.72 to 0.76 of them lay within 1.96 errors.
 * Such errors are unknown: they are now NaN (the explanation's warning says so and suggests
 * replicates), unless the fit reproduces its targets exactly. Under {@code sampled} (no groups)
 * they stay.
 */
class KernelShapFewDrawGroupsTest {
  private static double[] model(double[][] p) {
    return new double[] {
      2 * p[0][0] - p[0][1] + p[0][0] * (p[1][0] - p[1][2]) + p[1][1] * p[0][1] + p[1][1]
    };
  }

  private static Explanation explain(Estimator e, long seed) {
    List<Datapoint> pool =
        Fixtures.gaussianPoints("p", 80, 2, 3, 8).stream()
            .map(
                d -> {
                  double[] a = (double[]) d.value("m1");
                  return Fixtures.point(
                      d.id(), new double[] {a[0], a[1]}, (double[]) d.value("m2"));
                })
            .toList();
    Datapoint x = Fixtures.point("x", new double[] {0.9, -0.4}, new double[] {0.3, -1.1, 0.5});
    return Dime.builder()
        .modality(VectorModality.of("m1", 2))
        .modality(VectorModality.of("m2", 3))
        .model(Fixtures.model(1, KernelShapFewDrawGroupsTest::model))
        .referencePool(pool)
        .estimator(e)
        .surrogate(KernelShap.defaults())
        .samples(400)
        .noFaithfulness()
        .seed(seed)
        .build()
        .explain(x, Targets.classes("0"));
  }

  @Test
  void noMoreDrawGroupsThanFreeWeightsGiveUnknownErrors() {
    Explanation fast = explain(Estimators.anchored(5), 2);
    Explanation whole = explain(Estimators.exact(80), 2);
    for (String m : List.of("m1", "m2")) {
      for (String key : List.of("UC", "MI", "g12")) {
        SurrogateFit f = fast.forClass(0).modality(m).fit(key).orElseThrow();
        SurrogateFit truth = whole.forClass(0).modality(m).fit(key).orElseThrow();
        double off = 0;
        for (int j = 0; j < f.weights().length; j++) {
          off = Math.max(off, Math.abs(f.weights()[j] - truth.weights()[j]));
          assertTrue(
              Double.isNaN(f.standardErrors()[j]),
              m + " " + key + " weight " + j + ": error " + f.standardErrors()[j] + ", not NaN");
        }
        assertTrue(off > 1e-6, m + " " + key + ": the drawn weights have an error");
      }
      assertEquals(
          1,
          fast.warnings().stream()
              .filter(w -> w.startsWith("modality '" + m + "'") && w.contains("replicates"))
              .count(),
          fast.warnings().toString());
    }
    // no draw groups (sampled): the same designs keep finite errors
    Explanation sampled = explain(Estimators.sampled(50), 2);
    for (String m : List.of("m1", "m2")) {
      SurrogateFit uc = sampled.forClass(0).modality(m).fit("UC").orElseThrow();
      for (double se : uc.standardErrors()) {
        assertTrue(se > 0 && Double.isFinite(se), m + ": " + se);
      }
    }
  }
}
