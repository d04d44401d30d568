package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.core.estimate.Estimator;
import io.dime.core.estimate.Estimators;
import io.dime.core.modality.VectorModality;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A model wrapper that counts rows sees exactly the passes a run reports. */
class PassCountTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("sampled", 2, 10, 3),
        Arguments.of("sampled", 3, 7, 3),
        Arguments.of("exact", 2, 6, 3),
        Arguments.of("exact", 3, 4, 2),
        Arguments.of("paper_faithful", 2, 6, 3),
        // Few features: many duplicate masks, answered from the cache.
        Arguments.of("exact", 2, 6, 2),
        Arguments.of("sampled", 2, 5, 2));
  }

  @ParameterizedTest(name = "{0} k={1} n={2} d={3}")
  @MethodSource("cases")
  void countedRowsEqualReportedPasses(String estimator, int k, int n, int d) {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 12, k, d, 21);
    Fixtures.Counting counting =
        new Fixtures.Counting(
            Fixtures.model(
                2,
                p -> {
                  double s = 0;
                  for (double[] part : p) {
                    s += part[0] * part[d - 1];
                  }
                  return new double[] {s, -s};
                }));
    Dime.Builder b = Dime.builder();
    for (int j = 0; j < k; j++) {
      b.modality(VectorModality.of("m" + (j + 1), d));
    }
    Estimator est = Estimators.byName(estimator, n);
    int samples = 60;
    Dime dime =
        b.model(counting).referencePool(pool).estimator(est).samples(samples).batchSize(7).build();
    long prep = dime.preparationRows();
    assertEquals(prep, counting.rows.get(), "preparation rows");
    counting.rows.set(0);
    Datapoint x = Fixtures.gaussianPoints("x", 1, k, d, 22).get(0);
    Explanation e = dime.explain(x, Targets.predicted());
    assertEquals(counting.rows.get(), e.passes().rows(), "rows seen by the model");
    assertEquals(e.passes().formula(), e.passes().rows() + e.passes().cachedRows());
    long expected = formula(estimator, k, n, samples);
    assertEquals(expected, e.passes().formula(), "the budget formula of DESIGN.md");
    if (d == 2) {
      assertTrue(e.passes().cachedRows() > 0, "4 possible masks in 60 samples must repeat");
    }
  }

  static Stream<Arguments> capped() {
    return Stream.of(
        Arguments.of("sampled", 4, 6, 2),
        Arguments.of("sampled", 3, 5, 1),
        Arguments.of("exact", 3, 4, 1),
        Arguments.of("exact", 4, 3, 2));
  }

  /**
   * With interactions capped at order q: T ranges over subsets containing m with |T| <= q, plus the
   * full set; the point decomposition needs every |T| <= q.
   */
  @ParameterizedTest(name = "{0} k={1} n={2} q={3}")
  @MethodSource("capped")
  void cappedBudgetsFollowTheFormula(String estimator, int k, int n, int q) {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 10, k, 2, 23);
    Fixtures.Counting counting =
        new Fixtures.Counting(Fixtures.model(1, p -> new double[] {p[0][0] * p[k - 1][1]}));
    Dime.Builder b = Dime.builder();
    for (int j = 0; j < k; j++) {
      b.modality(VectorModality.of("m" + (j + 1), 2));
    }
    int samples = 20;
    Dime dime =
        b.model(counting)
            .referencePool(pool)
            .estimator(Estimators.byName(estimator, n))
            .maxInteractionOrder(q)
            .samples(samples)
            .build();
    dime.preparationRows();
    counting.rows.set(0);
    Explanation e =
        dime.explain(Fixtures.gaussianPoints("x", 1, k, 2, 24).get(0), Targets.predicted());
    assertEquals(counting.rows.get(), e.passes().rows());
    long point = 0;
    long perSample = 0;
    for (int order = 0; order <= q && order < k; order++) {
      long terms = binomial(k, order);
      long containing = order == 0 ? 0 : binomial(k - 1, order - 1);
      if (estimator.equals("sampled")) {
        point += terms * n;
        perSample += containing * n;
      } else {
        point += terms * pow(n, k - order);
        perSample += containing * pow(n, k - order);
      }
    }
    perSample += 1; // the full set: the model at the perturbed point
    assertEquals(1 + point + (long) k * samples * perSample, e.passes().formula());
    assertEquals(e.passes().formula(), e.passes().rows() + e.passes().cachedRows());
  }

  /** DESIGN.md section 4, uncapped, plus the point decomposition and the prediction. */
  static long formula(String estimator, int k, int n, int samples) {
    long point;
    long perModality;
    switch (estimator) {
      case "sampled" -> {
        point = (long) n * ((1L << k) - 1);
        perModality = (long) samples * (((1L << (k - 1)) - 1) * n + 1);
      }
      case "exact" -> {
        long p = 0;
        for (int order = 0; order < k; order++) {
          p += binomial(k, order) * pow(n, k - order);
        }
        point = p;
        perModality = (long) samples * pow(n + 1, k - 1);
      }
      default -> {
        point = 2L * n - 2;
        perModality = (long) samples * n;
      }
    }
    return 1 + point + k * perModality;
  }

  static long pow(long b, int e) {
    long r = 1;
    for (int i = 0; i < e; i++) {
      r *= b;
    }
    return r;
  }

  static long binomial(int n, int r) {
    long c = 1;
    for (int i = 0; i < r; i++) {
      c = c * (n - i) / (i + 1);
    }
    return c;
  }
}
