package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.ModalityExplanation;
import io.dime.api.SurrogateFit;
import io.dime.api.TermValue;
import io.dime.core.estimate.Estimators;
import io.dime.core.estimate.ReferenceSelection;
import io.dime.core.modality.VectorModality;
import io.dime.core.surrogate.KernelShap;
import io.dime.core.surrogate.Lime;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code exact(N)}'s jackknife over random configurations (k 1 to 4, 1 to 5 features per modality,
 * N 1 to 25 from pools of 1 to 40, 1 to 3 outputs at scales 1e-3 to 1e5, LIME and KernelSHAP,
 * interaction caps, replicates): the decomposition still sums to the output, every error is finite
 * and not negative (NaN only for the term values of a random set of one reference, whose error
 * cannot be estimated), and for an additive model every interaction term and every MI weight is 0
 * with an error of 0, since each leave-group-out set is itself a reference set over which exact's
 * identities hold.
 */
class ExactJackknifePropertyTest {
  @Test
  void randomConfigurationsKeepTheIdentitiesAndGiveFiniteErrors() {
    SplittableRandom rng = new SplittableRandom(20261206);
    int additiveChecked = 0;
    for (int config = 0; config < 150; config++) {
      int k = 1 + rng.nextInt(4);
      int[] sizes = new int[k];
      for (int j = 0; j < k; j++) {
        sizes[j] = 1 + rng.nextInt(5);
      }
      int poolSize = 1 + rng.nextInt(40);
      int n = 1 + rng.nextInt(k >= 3 ? 8 : 25);
      int outputs = 1 + rng.nextInt(3);
      double scale = Math.pow(10, -3 + 8 * rng.nextDouble());
      boolean additive = rng.nextBoolean();
      long seed = rng.nextLong();
      String at =
          "config "
              + config
              + ": k "
              + k
              + ", N "
              + n
              + ", pool "
              + poolSize
              + ", outputs "
              + outputs
              + (additive ? ", additive" : "");
      List<Datapoint> pool = points("p", poolSize, sizes, rng.nextLong());
      DimeBuilder b = Dime.builder();
      for (int j = 0; j < k; j++) {
        b.modality(VectorModality.of("m" + (j + 1), sizes[j]));
      }
      if (k >= 3 && rng.nextBoolean()) {
        b.maxInteractionOrder(1 + rng.nextInt(k - 1));
      }
      if (rng.nextInt(4) == 0) {
        b.replicates(2);
      }
      Dime dime =
          b.model(Fixtures.model(outputs, p -> model(p, outputs, scale, additive)))
              .surrogate(rng.nextBoolean() ? Lime.defaults() : KernelShap.defaults())
              .referencePool(pool)
              .estimator(Estimators.exact(n, ReferenceSelection.of("random")))
              .samples(10 + rng.nextInt(60))
              .noFaithfulness()
              .seed(seed)
              .build();
      Explanation e = dime.explain(points("x", 1, sizes, seed).get(0), Targets.all());
      boolean oneReference = Math.min(n, poolSize) == 1 && poolSize > 1;
      for (ClassExplanation c : e.classes()) {
        double sum = 0;
        for (TermValue t : c.decomposition()) {
          sum += t.value();
          if (oneReference) {
            assertTrue(Double.isNaN(t.standardError()), at + ": " + t);
          } else {
            assertTrue(t.standardError() >= 0 && Double.isFinite(t.standardError()), at + ": " + t);
          }
          if (additive && t.term().order() >= 2) {
            assertEquals(0, t.value(), 1e-9 * scale, at + ": " + t);
            if (!oneReference) {
              assertEquals(0, t.standardError(), 1e-9 * scale, at + ": " + t);
            }
          }
        }
        assertEquals(c.output(), sum, 1e-9 * Math.max(1, Math.abs(c.output())), at);
        for (ModalityExplanation m : c.modalities()) {
          for (SurrogateFit f : m.fits()) {
            for (int i = 0; i < f.weights().length; i++) {
              double se = f.standardErrors()[i];
              assertTrue(Double.isNaN(se) || se >= 0, at + ": " + f.key() + " " + se);
              assertTrue(Double.isFinite(f.weights()[i]), at + ": " + f.key());
              if (additive && f.key().equals("MI")) {
                assertEquals(0, f.weights()[i], 1e-9 * scale, at + ": MI weight");
                assertEquals(0, Double.isNaN(se) ? 0 : se, 1e-9 * scale, at + ": MI error");
              }
            }
          }
        }
      }
      additiveChecked += additive && k >= 2 ? 1 : 0;
    }
    assertTrue(
        additiveChecked > 40, "additive configurations with interactions: " + additiveChecked);
  }

  /** Nonlinear in every modality; with {@code additive}, a sum of per-modality functions. */
  static double[] model(double[][] p, int outputs, double scale, boolean additive) {
    double[] per = new double[p.length];
    for (int j = 0; j < p.length; j++) {
      double s = 0;
      for (int i = 0; i < p[j].length; i++) {
        s += Math.sin((i + 1) * p[j][i]) + 0.3 * p[j][i] * p[j][i];
      }
      per[j] = s;
    }
    double[] y = new double[outputs];
    for (int o = 0; o < outputs; o++) {
      double v = 0;
      for (int j = 0; j < p.length; j++) {
        v += (o + 1) * per[j];
        if (!additive && j > 0) {
          v += Math.tanh(per[j - 1] * per[j] + o);
        }
      }
      y[o] = scale * v;
    }
    return y;
  }

  static List<Datapoint> points(String prefix, int count, int[] sizes, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Datapoint> out = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      double[][] parts = new double[sizes.length][];
      for (int j = 0; j < sizes.length; j++) {
        parts[j] = new double[sizes[j]];
        for (int e = 0; e < sizes[j]; e++) {
          parts[j][e] = Fixtures.gaussian(rng);
        }
      }
      out.add(Fixtures.point(prefix + i, parts));
    }
    return out;
  }
}
