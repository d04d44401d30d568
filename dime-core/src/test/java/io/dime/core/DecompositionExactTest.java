package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.SurrogateFit;
import io.dime.api.TermValue;
import io.dime.core.estimate.Estimators;
import io.dime.core.modality.VectorModality;
import io.dime.core.surrogate.Lime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exact identities of the decomposition under the exact estimator. */
class DecompositionExactTest {
  private static final double[][] EMAP_TABLE = {{-1.3, 0.3, -0.2}, {0.8, 3, 1.1}, {1.1, -0.1, 0.7}};

  /**
   * Hessel and Lee's published EMAP example: a 3 x 3 logit table; each point is explained inside
   * its own grid; the additive projections are [-0.8, 2.1, 0.5].
   */
  @Test
  void emapPublishedExample() {
    List<Datapoint> pool = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pool.add(Fixtures.point("p" + i, new double[] {i}, new double[] {i}));
    }
    Dime dime =
        Dime.builder()
            .modality(VectorModality.of("m1", 1))
            .modality(VectorModality.of("m2", 1))
            .model(Fixtures.model(1, p -> new double[] {EMAP_TABLE[(int) p[0][0]][(int) p[1][0]]}))
            .referencePool(pool)
            .estimator(Estimators.exact(3))
            .samples(8)
            .build();
    double[] expected = {-0.8, 2.1, 0.5};
    for (int i = 0; i < 3; i++) {
      ClassExplanation c = dime.explain(pool.get(i), Targets.classes("0")).forClass(0);
      double uc = 0;
      double mi = 0;
      for (TermValue t : c.decomposition()) {
        if (t.term().order() <= 1) {
          uc += t.value();
        } else {
          mi += t.value();
        }
      }
      assertEquals(expected[i], uc, 1e-12, "additive projection of point " + i);
      assertEquals(EMAP_TABLE[i][i] - expected[i], mi, 1e-12, "interaction of point " + i);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 4})
  void termsSumToTheModelOutput(int k) {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 6, k, 3, 1);
    DimeBuilder b = Dime.builder();
    for (int j = 0; j < k; j++) {
      b.modality(VectorModality.of("m" + (j + 1), 3));
    }
    Dime dime =
        b.model(
                Fixtures.model(
                    2,
                    p -> {
                      double prod = 1;
                      double sum = 0;
                      for (double[] part : p) {
                        prod *= Math.tanh(part[0] + part[1] * part[2]);
                        sum += part[1];
                      }
                      return new double[] {prod + sum, Math.exp(0.1 * sum) - prod};
                    }))
            .referencePool(pool)
            .estimator(Estimators.exact(6))
            .samples(16)
            .build();
    Datapoint x = Fixtures.gaussianPoints("x", 1, k, 3, 7).get(0);
    Explanation e = dime.explain(x, Targets.classes("0", "1"));
    for (ClassExplanation c : e.classes()) {
      double sum = c.decomposition().stream().mapToDouble(TermValue::value).sum();
      assertEquals(c.output(), sum, 1e-9, "terms must sum to M for class " + c.classIndex());
      assertEquals(1 << k, c.decomposition().size(), "one value per subset");
    }
  }

  /** A capped decomposition keeps the sum exact through the residual term. */
  @Test
  void residualAboveTheCapKeepsTheSumExact() {
    int k = 3;
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 5, k, 2, 3);
    Dime dime =
        Dime.builder()
            .modality(VectorModality.of("m1", 2))
            .modality(VectorModality.of("m2", 2))
            .modality(VectorModality.of("m3", 2))
            .model(Fixtures.model(1, p -> new double[] {p[0][0] * p[1][0] * p[2][0] + p[0][1]}))
            .referencePool(pool)
            .estimator(Estimators.exact(5))
            .maxInteractionOrder(1)
            .samples(8)
            .build();
    Datapoint x = Fixtures.gaussianPoints("x", 1, k, 2, 9).get(0);
    ClassExplanation c = dime.explain(x, Targets.classes("0")).forClass(0);
    assertEquals(5, c.decomposition().size(), "bias, three unimodal terms, residual");
    double sum = c.decomposition().stream().mapToDouble(TermValue::value).sum();
    assertEquals(c.output(), sum, 1e-9);
  }

  private static Dime twoVectorDime(
      java.util.function.Function<double[][], double[]> f, List<Datapoint> pool, double alpha) {
    return Dime.builder()
        .modality(VectorModality.of("m1", 4))
        .modality(VectorModality.of("m2", 4))
        .model(Fixtures.model(1, f))
        .referencePool(pool)
        .estimator(Estimators.exact(pool.size()))
        .surrogate(Lime.defaults().withAlpha(alpha))
        .samples(200)
        .seed(5)
        .build();
  }

  @Test
  void additiveModelHasZeroInteractionWeights() {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 8, 2, 4, 11);
    Dime dime =
        twoVectorDime(
            p ->
                new double[] {
                  Math.sin(p[0][0]) + p[0][1] * p[0][2] + Math.exp(0.3 * p[1][3]) - p[1][0]
                },
            pool,
            1.0);
    Explanation e =
        dime.explain(Fixtures.gaussianPoints("x", 1, 2, 4, 12).get(0), Targets.classes("0"));
    for (String m : List.of("m1", "m2")) {
      SurrogateFit mi = e.forClass(0).modality(m).fit("MI").orElseThrow();
      for (double w : mi.weights()) {
        assertEquals(0, w, 1e-9, "MI weight of an additive model on " + m);
      }
      SurrogateFit g12 = e.forClass(0).modality(m).fit("g12").orElseThrow();
      for (double w : g12.weights()) {
        assertEquals(0, w, 1e-9, "g12 weight of an additive model on " + m);
      }
    }
  }

  @Test
  void productOfPoolCentredInputsHasZeroUnimodalWeights() {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 8, 2, 4, 13);
    double[] mean1 = new double[4];
    double[] mean2 = new double[4];
    for (Datapoint p : pool) {
      for (int i = 0; i < 4; i++) {
        mean1[i] += ((double[]) p.value("m1"))[i] / pool.size();
        mean2[i] += ((double[]) p.value("m2"))[i] / pool.size();
      }
    }
    double[] a = {1.5, -2, 0.5, 1};
    double[] b = {0.3, 1, -1, 2};
    Dime dime =
        twoVectorDime(
            p -> {
              double u = 0;
              double v = 0;
              for (int i = 0; i < 4; i++) {
                u += a[i] * (p[0][i] - mean1[i]);
                v += b[i] * (p[1][i] - mean2[i]);
              }
              return new double[] {u * v};
            },
            pool,
            1.0);
    Explanation e =
        dime.explain(Fixtures.gaussianPoints("x", 1, 2, 4, 14).get(0), Targets.classes("0"));
    for (String m : List.of("m1", "m2")) {
      SurrogateFit uc = e.forClass(0).modality(m).fit("UC").orElseThrow();
      for (double w : uc.weights()) {
        assertEquals(0, w, 1e-9, "UC weight of a centred product on " + m);
      }
      SurrogateFit mi = e.forClass(0).modality(m).fit("MI").orElseThrow();
      assertTrue(
          java.util.Arrays.stream(mi.weights()).map(Math::abs).max().orElse(0) > 1e-3,
          "the interaction must show up in MI on " + m);
    }
  }

  /** With a zero baseline, hiding entry j removes a_j x_j: least squares recovers a_j x_j. */
  @Test
  void weightedLeastSquaresRecoversAdditiveCoefficients() {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 5, 2, 4, 15);
    double[] a = {1.5, -2, 0.5, 1};
    double[] b = {0.3, 1, -1, 2};
    Dime dime =
        twoVectorDime(
            p -> {
              double s = 3;
              for (int i = 0; i < 4; i++) {
                s += a[i] * p[0][i] + b[i] * p[1][i];
              }
              return new double[] {s};
            },
            pool,
            0.0);
    Datapoint x = Fixtures.gaussianPoints("x", 1, 2, 4, 16).get(0);
    Explanation e = dime.explain(x, Targets.classes("0"));
    double[] x1 = (double[]) x.value("m1");
    double[] x2 = (double[]) x.value("m2");
    SurrogateFit uc1 = e.forClass(0).modality("m1").fit("UC").orElseThrow();
    SurrogateFit uc2 = e.forClass(0).modality("m2").fit("UC").orElseThrow();
    SurrogateFit lime1 = e.forClass(0).modality("m1").fit("LIME").orElseThrow();
    for (int i = 0; i < 4; i++) {
      assertEquals(a[i] * x1[i], uc1.weights()[i], 1e-9);
      assertEquals(b[i] * x2[i], uc2.weights()[i], 1e-9);
      assertEquals(a[i] * x1[i], lime1.weights()[i], 1e-9);
    }
    assertEquals(1.0, uc1.score(), 1e-12);
    assertEquals(e.outputs()[0], lime1.localPrediction(), 1e-9);
  }
}
