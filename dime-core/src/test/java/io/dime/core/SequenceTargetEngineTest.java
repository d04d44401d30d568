package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.ElementType;
import io.dime.api.Explanation;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.api.TermValue;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.EncodedModel;
import io.dime.core.infer.targets.OutputTargets;
import io.dime.core.infer.targets.Reduction;
import io.dime.core.infer.targets.SequenceScore;
import io.dime.core.modality.VectorModality;
import io.dime.spi.Modality;
import io.dime.spi.ModelSignature;
import io.dime.testkit.FunctionAdapter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A model with a step-wise class output, explained on targets: the sequence decoded at the point is
 * scored on every row of that point's explanation, and the decomposition stays exact.
 */
class SequenceTargetEngineTest {
  static final int STEPS = 5;
  static final int CLASSES = 3;

  /** Step probabilities: softmax over classes of logits that mix both modalities. */
  static double[] probs(double[] a, double[] b) {
    double[] p = new double[STEPS * CLASSES];
    for (int t = 0; t < STEPS; t++) {
      double[] z = new double[CLASSES];
      z[0] = 0.5;
      z[1] = a[0] * (t + 1) * 0.7 - b[1] * 0.3 + a[1] * b[0];
      z[2] = b[0] * (STEPS - t) * 0.6 + a[1] * 0.4 - a[0] * b[1] * 0.5;
      double m = Math.max(z[0], Math.max(z[1], z[2]));
      double s = 0;
      for (int c = 0; c < CLASSES; c++) {
        s += Math.exp(z[c] - m);
      }
      for (int c = 0; c < CLASSES; c++) {
        p[t * CLASSES + c] = (float) (Math.exp(z[c] - m) / s);
      }
    }
    return p;
  }

  static FunctionAdapter adapter() {
    return FunctionAdapter.of(
        new ModelSignature(
            List.of(
                new TensorSpec("m1", ElementType.FLOAT32, new long[] {-1, 2}),
                new TensorSpec("m2", ElementType.FLOAT32, new long[] {-1, 2})),
            List.of(new TensorSpec("steps", ElementType.FLOAT32, new long[] {-1, STEPS, CLASSES}))),
        Map.of(),
        SequenceTargetEngineTest::adapterOutputs);
  }

  /** The outputs of adapter() for one batch. */
  private static Map<String, Tensor> adapterOutputs(Map<String, Tensor> inputs) {
    float[] a = inputs.get("m1").floats();
    float[] b = inputs.get("m2").floats();
    int n = a.length / 2;
    float[] y = new float[n * STEPS * CLASSES];
    for (int i = 0; i < n; i++) {
      double[] p =
          probs(new double[] {a[2 * i], a[2 * i + 1]}, new double[] {b[2 * i], b[2 * i + 1]});
      for (int e = 0; e < p.length; e++) {
        y[i * p.length + e] = (float) p[e];
      }
    }
    return Map.of("steps", Tensor.ofFloats("steps", new long[] {n, STEPS, CLASSES}, y));
  }

  /** The CTC path of step probabilities: the class at each emitting step, -1 elsewhere. */
  static int[] path(double[] p) {
    int[] out = new int[STEPS];
    int prev = -1;
    for (int t = 0; t < STEPS; t++) {
      int best = 0;
      for (int c = 1; c < CLASSES; c++) {
        if (p[t * CLASSES + c] > p[t * CLASSES + best]) {
          best = c;
        }
      }
      out[t] = best != 0 && best != prev ? best : -1;
      prev = best;
    }
    return out;
  }

  static double score(double[] p, int[] path) {
    double s = 0;
    for (int t = 0; t < STEPS; t++) {
      if (path[t] >= 0) {
        s += Math.log(Math.max(p[t * CLASSES + path[t]], SequenceScore.FLOOR));
      }
    }
    return s;
  }

  private static float[] f(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }

  private static double[] d(float[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  private static Dime engine(List<Datapoint> pool, io.dime.core.estimate.Estimator estimator) {
    List<Modality<?>> mods = List.of(VectorModality.of("m1", 2), VectorModality.of("m2", 2));
    OutputTargets targets =
        new OutputTargets(
            List.of(
                new SequenceScore("read", "steps", "ctc", null, 0),
                new Reduction("blank", "steps", List.of(":", "0"), "mean")));
    DimeBuilder b = Dime.builder();
    mods.forEach(b::modality);
    return b.model(new EncodedModel(mods, adapter(), null, null, null, targets))
        .referencePool(pool)
        .estimator(estimator)
        .samples(40)
        .build();
  }

  @Test
  void theBiasIsThePointsSequenceScoredOnEveryReferencePair() {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 6, 2, 2, 3);
    Datapoint x = Fixtures.gaussianPoints("x", 1, 2, 2, 11).get(0);
    double[] x1 = d(f((double[]) x.value("m1")));
    double[] x2 = d(f((double[]) x.value("m2")));
    int[] at = path(probs(x1, x2));
    double gE = 0;
    double own = 0;
    for (Datapoint pi : pool) {
      for (Datapoint pj : pool) {
        double[] p = probs(d(f((double[]) pi.value("m1"))), d(f((double[]) pj.value("m2"))));
        gE += score(p, at) / 36;
        own += score(p, path(p)) / 36;
      }
    }
    assertNotEquals(gE, own, 1e-3, "the test must tell the point's path from each row's own");
    try (Dime dime = engine(pool, Estimators.exact(6))) {
      Explanation e = dime.explain(x, Targets.classes("read", "blank"));
      ClassExplanation read = e.classes().get(0);
      assertEquals("read", read.className());
      assertEquals(score(probs(x1, x2), at), read.output(), 1e-6);
      TermValue bias = read.decomposition().get(0);
      assertEquals("gE", bias.key());
      assertEquals(gE, bias.value(), 1e-6);
      for (ClassExplanation c : e.classes()) {
        double sum = c.decomposition().stream().mapToDouble(TermValue::value).sum();
        assertEquals(c.output(), sum, 1e-9);
      }
      double blank = 0;
      double[] p = probs(x1, x2);
      for (int t = 0; t < STEPS; t++) {
        blank += p[t * CLASSES] / STEPS;
      }
      assertEquals(blank, e.classes().get(1).output(), 1e-6);
    }
  }

  @Test
  void thePaperFaithfulEstimatorIsRefusedForPointBoundTargets() {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 6, 2, 2, 3);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> engine(pool, Estimators.paperFaithful(4)));
    assertTrue(e.getMessage().contains("use the sampled or exact estimator"), e.getMessage());
  }
}
