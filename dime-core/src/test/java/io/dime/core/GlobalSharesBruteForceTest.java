package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.api.Datapoint;
import io.dime.api.Term;
import io.dime.api.run.GlobalShares;
import io.dime.core.decompose.Moebius;
import io.dime.core.modality.VectorModality;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The global analysis against a brute-force computation written here: with a pool of n datapoints
 * and a grid of n references the grid is the whole pool (in whatever order), so each term's share
 * is the variance of g_S over the n^k cells (g_S from the cell by Moebius inversion of the means
 * over the grid) over the total, and the accuracies are those of the model's argmax and of the
 * additive projection's (bias plus the order-1 terms) at the n labelled datapoints. Three
 * modalities, three classes (shares of the centred scores), a max, a threshold and a three-way
 * product.
 */
class GlobalSharesBruteForceTest {
  private static final int N = 5;
  private static final int K = 3;

  static double[] model(double[][] p) {
    double a = p[0][0];
    double b = p[1][0] - p[1][1];
    double c = p[2][0];
    double[] y = {a + Math.max(b, c), (a * b * c > 0 ? 1 : 0) + b, c - a * b};
    double mean = (y[0] + y[1] + y[2]) / 3; // the engine explains centred scores
    return new double[] {y[0] - mean, y[1] - mean, y[2] - mean};
  }

  /** The mean of the model over the grid with the modalities in t fixed at cell x. */
  static double v(double[][][] refs, int[] x, Term t, int cls) {
    double sum = 0;
    int count = 0;
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++) {
        for (int l = 0; l < N; l++) {
          int[] at = {t.contains(0) ? x[0] : i, t.contains(1) ? x[1] : j, t.contains(2) ? x[2] : l};
          sum += model(new double[][] {refs[at[0]][0], refs[at[1]][1], refs[at[2]][2]})[cls];
          count++;
        }
      }
    }
    return sum / count;
  }

  static double g(double[][][] refs, int[] x, Term s, int cls) {
    double out = 0;
    for (Term t : Moebius.subsets(s)) {
      out += Moebius.sign(s, t) * v(refs, x, t, cls);
    }
    return out;
  }

  static int argmax(double[] y) {
    int best = 0;
    for (int i = 1; i < y.length; i++) {
      best = y[i] > y[best] ? i : best;
    }
    return best;
  }

  @Test
  void sharesAndAccuraciesAreTheBruteForceOnes() {
    List<Datapoint> raw = Fixtures.gaussianPoints("p", N, K, 2, 61);
    List<Datapoint> pool = new ArrayList<>();
    double[][][] refs = new double[N][K][];
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < K; j++) {
        refs[i][j] = (double[]) raw.get(i).value("m" + (j + 1));
      }
      String label = String.valueOf(i % 3);
      pool.add(new Datapoint(raw.get(i).id(), raw.get(i).values(), Optional.of(label)));
    }
    GlobalShares shares =
        Dime.builder()
            .modality(VectorModality.of("m1", 2))
            .modality(VectorModality.of("m2", 2))
            .modality(VectorModality.of("m3", 2))
            .model(Fixtures.model(3, GlobalSharesBruteForceTest::model))
            .centeredScores(false)
            .referencePool(pool)
            .build()
            .globalAnalysis(N);
    assertEquals(N * N * N, shares.rows());
    double additiveShare = 0;
    for (int cls = 0; cls < 3; cls++) {
      double[] var = new double[1 << K];
      double total = 0;
      for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
          for (int l = 0; l < N; l++) {
            for (Term s : Term.all(K)) {
              if (s.order() > 0) {
                double gs = g(refs, new int[] {i, j, l}, s, cls);
                var[(int) s.bits()] += gs * gs / (N * N * N);
                total += gs * gs / (N * N * N);
              }
            }
          }
        }
      }
      Map<String, Double> got = shares.shares().get(String.valueOf(cls));
      for (Term s : Term.all(K)) {
        if (s.order() > 0) {
          assertEquals(var[(int) s.bits()] / total, got.get(s.key()), 1e-9, s + " class " + cls);
          additiveShare += s.order() == 1 ? var[(int) s.bits()] / total / 3 : 0;
        }
      }
    }
    assertEquals(additiveShare, shares.additiveShare(), 1e-9);
    double model = 0;
    double additive = 0;
    for (int i = 0; i < N; i++) {
      int[] x = {i, i, i};
      double[] proj = new double[3];
      for (int cls = 0; cls < 3; cls++) {
        proj[cls] = v(refs, x, Term.EMPTY, cls);
        for (int j = 0; j < K; j++) {
          proj[cls] += g(refs, x, Term.of(j), cls);
        }
      }
      model += argmax(model(refs[i])) == i % 3 ? 1.0 / N : 0;
      additive += argmax(proj) == i % 3 ? 1.0 / N : 0;
    }
    assertEquals(model, shares.modelAccuracy(), 1e-12);
    assertEquals(additive, shares.additiveAccuracy(), 1e-12);
  }
}
