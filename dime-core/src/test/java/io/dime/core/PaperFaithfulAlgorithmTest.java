package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.SurrogateFit;
import io.dime.api.TermValue;
import io.dime.core.estimate.Estimators;
import io.dime.core.modality.VectorModality;
import io.dime.core.surrogate.Lime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code paper_faithful(N)} against Algorithm 1 of the DIME paper (appendix B), written here
 * independently: the N x N table of the explained point and the N - 1 references, the perturbed
 * modality's row (or column) of the point replaced, uni = avg1 + avg2 - avg12, multi = L'[k][k] -
 * uni. The model is multilinear in each modality and hidden entries are 0, so both targets are
 * affine in the mask and LIME without a penalty recovers weight j = target(x) - target(x with entry
 * j hidden) exactly. Every standard error is the delete-one jackknife over the N - 1 = 5 pool
 * references (5 groups of one), computed here by running Algorithm 1 with each reference left out
 * (the fits' own errors are 0: their targets are affine in the mask).
 */
class PaperFaithfulAlgorithmTest {
  private static final double[] A = {1, -2, 0.5};
  private static final double[] B = {0.3, 1, -1};
  private static final double[] C = {2, 0.7, -0.4};
  private static final double[] D = {-1, 1, 1.5};

  private static double dot(double[] u, double[] v) {
    double s = 0;
    for (int i = 0; i < u.length; i++) {
      s += u[i] * v[i];
    }
    return s;
  }

  static double f(double[] x1, double[] x2) {
    return dot(A, x1) * dot(B, x2) + dot(C, x1) + dot(D, x2) + 0.2;
  }

  /**
   * {uni, multi} of Algorithm 1 for the point (x1, x2) whose modality m is replaced by z: table
   * index 0 is the point, 1..N-1 the references.
   */
  static double[] algorithm1(int m, double[] x1, double[] x2, double[] z, List<double[][]> refs) {
    int n = refs.size() + 1;
    List<double[]> ones = new ArrayList<>();
    List<double[]> twos = new ArrayList<>();
    ones.add(x1);
    twos.add(x2);
    for (double[][] r : refs) {
      ones.add(r[0]);
      twos.add(r[1]);
    }
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        l[i][j] = f(ones.get(i), twos.get(j));
      }
    }
    for (int o = 0; o < n; o++) { // L'[k][n] = M(Z[s], x2^(n)), or L'[n][k] = M(x1^(n), Z[s])
      if (m == 0) {
        l[0][o] = f(z, twos.get(o));
      } else {
        l[o][0] = f(ones.get(o), z);
      }
    }
    double avg1 = 0;
    double avg2 = 0;
    double avg12 = 0;
    for (int i = 0; i < n; i++) {
      avg1 += l[0][i] / n;
      avg2 += l[i][0] / n;
      for (int j = 0; j < n; j++) {
        avg12 += l[i][j] / ((double) n * n);
      }
    }
    double uni = avg1 + avg2 - avg12;
    return new double[] {uni, l[0][0] - uni, avg1, avg2, avg12};
  }

  /** gE, g1, g2 and g12 from Algorithm 1's outputs at the unperturbed point. */
  private static double[] terms(double[] at, double[] x1, double[] x2) {
    return new double[] {at[4], at[2] - at[4], at[3] - at[4], f(x1, x2) - at[0]};
  }

  @Test
  void theTargetsAndTheDecompositionAreAlgorithmOnes() {
    List<Datapoint> pool = Fixtures.gaussianPoints("r", 30, 2, 3, 8);
    Dime dime =
        Dime.builder()
            .modality(VectorModality.of("m1", 3))
            .modality(VectorModality.of("m2", 3))
            .model(Fixtures.model(1, p -> new double[] {f(p[0], p[1])}))
            .referencePool(pool)
            .estimator(Estimators.paperFaithful(6))
            .surrogate(Lime.defaults().withAlpha(0))
            .samples(64)
            .noFaithfulness()
            .seed(5)
            .build();
    int[] used = (int[]) ((Map<?, ?>) dime.provenance().estimator()).get("referenceIndices");
    assertEquals(5, used.length);
    List<double[][]> refs = new ArrayList<>();
    for (int i : used) {
      refs.add(
          new double[][] {(double[]) pool.get(i).value("m1"), (double[]) pool.get(i).value("m2")});
    }
    Datapoint dp = Fixtures.gaussianPoints("x", 1, 2, 3, 9).get(0);
    double[] x1 = (double[]) dp.value("m1");
    double[] x2 = (double[]) dp.value("m2");
    ClassExplanation c = dime.explain(dp, Targets.classes("0")).forClass(0);
    double[] at = algorithm1(0, x1, x2, x1, refs);
    double[] want = terms(at, x1, x2);
    List<TermValue> dec = c.decomposition();
    for (int t = 0; t < 4; t++) {
      int term = t;
      assertEquals(want[t], dec.get(t).value(), 1e-12, dec.get(t).key());
      assertEquals(
          ExactBruteForceTest.jackknife(
              refs, rs -> terms(algorithm1(0, x1, x2, x1, rs), x1, x2)[term]),
          dec.get(t).standardError(),
          1e-9,
          dec.get(t).key() + " error");
    }
    double[][] x = {x1, x2};
    for (int m = 0; m < 2; m++) {
      SurrogateFit uc = c.modalities().get(m).fit("UC").orElseThrow();
      SurrogateFit mi = c.modalities().get(m).fit("MI").orElseThrow();
      double[] full = algorithm1(m, x1, x2, x[m], refs);
      assertEquals(full[0], uc.localPrediction(), 1e-9, "UC at the point, modality " + m);
      assertEquals(full[1], mi.localPrediction(), 1e-9, "MI at the point, modality " + m);
      for (int j = 0; j < 3; j++) {
        double[] hidden = x[m].clone();
        hidden[j] = 0;
        double[] h = algorithm1(m, x1, x2, hidden, refs);
        assertEquals(full[0] - h[0], uc.weights()[j], 1e-9, "UC weight " + j + ", modality " + m);
        assertEquals(full[1] - h[1], mi.weights()[j], 1e-9, "MI weight " + j + ", modality " + m);
        int mm = m;
        for (int target = 0; target < 2; target++) {
          int tt = target;
          double se =
              ExactBruteForceTest.jackknife(
                  refs,
                  rs ->
                      algorithm1(mm, x1, x2, x[mm], rs)[tt]
                          - algorithm1(mm, x1, x2, hidden, rs)[tt]);
          SurrogateFit fit = target == 0 ? uc : mi;
          assertEquals(se, fit.standardErrors()[j], 1e-9, fit.key() + " error " + j + ", m " + m);
        }
      }
    }
  }
}
