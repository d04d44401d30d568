package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.SurrogateFit;
import io.dime.api.Term;
import io.dime.core.decompose.Moebius;
import io.dime.core.estimate.Estimators;
import io.dime.core.estimate.ReferenceSelection;
import io.dime.core.modality.VectorModality;
import io.dime.core.surrogate.Lime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * With the exact estimator and ridge alpha 0, a multilinear function of three modalities gets
 * weights equal to the closed-form empirical-ANOVA weights of the reference set: with a zero
 * baseline, g_S(m * x1, x2, x3) is affine in the mask m, so weight j = g_S(x) - g_S(x with entry j
 * of the explained modality set to 0), with g_S computed here directly from the references.
 */
class MultilinearExactTest {
  static final int D = 3;

  /** f = sum x1 + (a.x1)(b.x2) + (c.x2)(e.x3) + sum_i x1_i x2_i x3_i + 0.5. */
  static double f(double[][] p) {
    double[] a = {1, -2, 0.5};
    double[] b = {0.3, 1, -1};
    double[] c = {2, 0.7, -0.4};
    double[] e = {-1, 1, 1.5};
    double s = 0.5;
    double ax = 0;
    double bx = 0;
    double cx = 0;
    double ex = 0;
    for (int i = 0; i < D; i++) {
      s += p[0][i] + p[0][i] * p[1][i] * p[2][i];
      ax += a[i] * p[0][i];
      bx += b[i] * p[1][i];
      cx += c[i] * p[1][i];
      ex += e[i] * p[2][i];
    }
    return s + ax * bx + cx * ex;
  }

  /** v_x(T) over all combinations of the references, computed independently of the engine. */
  static double v(double[][] x, Term t, List<Datapoint> refs) {
    int n = refs.size();
    double sum = 0;
    int combos = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int l = 0; l < n; l++) {
          if ((t.contains(0) && i > 0) || (t.contains(1) && j > 0) || (t.contains(2) && l > 0)) {
            continue;
          }
          double[][] p = {
            t.contains(0) ? x[0] : (double[]) refs.get(i).value("m1"),
            t.contains(1) ? x[1] : (double[]) refs.get(j).value("m2"),
            t.contains(2) ? x[2] : (double[]) refs.get(l).value("m3")
          };
          sum += f(p);
          combos++;
        }
      }
    }
    return sum / combos;
  }

  static double g(double[][] x, Term s, List<Datapoint> refs) {
    double out = 0;
    for (Term t : Moebius.subsets(s)) {
      out += Moebius.sign(s, t) * v(x, t, refs);
    }
    return out;
  }

  /**
   * The whole pool as references (5 of 5), and 5 of a pool of 40 chosen either way: the identity
   * holds for whichever references the estimator reports it used.
   */
  @ParameterizedTest
  @CsvSource({"5, representative", "40, representative", "40, random"})
  void weightsEqualTheClosedFormEmpiricalAnovaWeights(int poolSize, String selection) {
    List<Datapoint> pool = Fixtures.gaussianPoints("r", poolSize, 3, D, 51);
    Function<double[][], double[]> model = p -> new double[] {f(p)};
    Dime dime =
        Dime.builder()
            .modality(VectorModality.of("m1", D))
            .modality(VectorModality.of("m2", D))
            .modality(VectorModality.of("m3", D))
            .model(Fixtures.model(1, model))
            .referencePool(pool)
            .estimator(Estimators.exact(5, ReferenceSelection.of(selection)))
            .surrogate(Lime.defaults().withAlpha(0))
            .samples(64)
            .seed(3)
            .build();
    Map<?, ?> est = (Map<?, ?>) dime.provenance().estimator();
    int[] used = (int[]) est.get("referenceIndices");
    assertEquals(5, used.length);
    assertEquals(poolSize == 5 ? "whole pool" : selection, est.get("referenceSelection"));
    List<Datapoint> refs = java.util.Arrays.stream(used).mapToObj(pool::get).toList();
    Datapoint dp = Fixtures.gaussianPoints("x", 1, 3, D, 52).get(0);
    double[][] x = {
      (double[]) dp.value("m1"), (double[]) dp.value("m2"), (double[]) dp.value("m3")
    };
    ClassExplanation c = dime.explain(dp, Targets.classes("0")).forClass(0);
    for (int m = 0; m < 3; m++) {
      for (SurrogateFit fit : c.modalities().get(m).fits()) {
        if (fit.term().isEmpty()) {
          continue;
        }
        Term s = fit.term().get();
        for (int j = 0; j < D; j++) {
          double[][] hidden = {x[0].clone(), x[1].clone(), x[2].clone()};
          hidden[m][j] = 0;
          double expected = g(x, s, refs) - g(hidden, s, refs);
          assertEquals(
              expected,
              fit.weights()[j],
              1e-9,
              "term " + s + " on modality " + (m + 1) + " j=" + j);
        }
        assertEquals(g(x, s, refs), fit.localPrediction(), 1e-9, "local prediction of " + s);
      }
    }
    // And the value decomposition matches the independent terms.
    for (var tv : c.decomposition()) {
      assertEquals(g(x, tv.term(), refs), tv.value(), 1e-9, tv.key());
    }
  }
}
