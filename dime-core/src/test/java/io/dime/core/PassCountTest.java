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

/**
 * A model wrapper that counts rows sees exactly the passes a run reports, faithfulness measures
 * (curves and held-out masks) included.
 */
class PassCountTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        // default faithfulness: 10 steps (T = d here), 100 held-out masks, one class
        Arguments.of("sampled", 2, 10, 3, 10, 100, 1),
        Arguments.of("sampled", 3, 7, 3, 10, 100, 1),
        Arguments.of("exact", 2, 6, 3, 10, 100, 1),
        Arguments.of("exact", 3, 4, 2, 10, 100, 1),
        Arguments.of("paper_faithful", 2, 6, 3, 10, 100, 1),
        // Few features: many duplicate masks, answered from the cache.
        Arguments.of("exact", 2, 6, 2, 10, 100, 1),
        Arguments.of("sampled", 2, 5, 2, 10, 100, 1),
        // faithfulness off: no extra passes
        Arguments.of("sampled", 2, 10, 3, 0, 0, 1),
        Arguments.of("exact", 3, 4, 2, 0, 0, 2),
        Arguments.of("paper_faithful", 2, 6, 3, 0, 0, 1),
        // curves only, held-out only, fewer steps than features, two classes
        Arguments.of("sampled", 2, 4, 12, 4, 0, 2),
        Arguments.of("exact", 2, 3, 12, 5, 0, 1),
        Arguments.of("sampled", 2, 4, 3, 0, 9, 1),
        Arguments.of("paper_faithful", 2, 5, 7, 3, 11, 2),
        Arguments.of("exact", 3, 3, 5, 2, 6, 2));
  }

  @ParameterizedTest(name = "{0} k={1} n={2} d={3} steps={4} heldOut={5} classes={6}")
  @MethodSource("cases")
  void countedRowsEqualReportedPasses(
      String estimator, int k, int n, int d, int steps, int heldOut, int classes) {
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
    DimeBuilder b = Dime.builder();
    for (int j = 0; j < k; j++) {
      b.modality(VectorModality.of("m" + (j + 1), d));
    }
    Estimator est = Estimators.byName(estimator, n);
    int samples = 60;
    Dime dime =
        b.model(counting)
            .referencePool(pool)
            .estimator(est)
            .samples(samples)
            .batchSize(7)
            .faithfulness(steps, heldOut)
            .build();
    long prep = dime.preparationRows();
    assertEquals(prep, counting.rows.get(), "preparation rows");
    counting.rows.set(0);
    Datapoint x = Fixtures.gaussianPoints("x", 1, k, d, 22).get(0);
    Explanation e = dime.explain(x, classes == 1 ? Targets.predicted() : Targets.classes("0", "1"));
    assertEquals(classes, e.classes().size());
    assertEquals(counting.rows.get(), e.passes().rows(), "rows seen by the model");
    assertEquals(e.passes().formula(), e.passes().rows() + e.passes().cachedRows());
    long fits = (1L << (k - 1)) + 3; // terms containing m, UC, MI, LIME
    long expected =
        formula(estimator, k, n, samples)
            + k * faithfulnessMasks(steps, heldOut, d, classes * fits) * perSample(estimator, k, n);
    assertEquals(expected, e.passes().formula(), "the budget formula of DESIGN.md");
    if (d >= steps) {
      assertEquals(expected, dime.passFormula(classes), "the engine's formula");
    }
    if (d == 2) {
      assertTrue(e.passes().cachedRows() > 0, "4 possible masks in 60 samples must repeat");
    }
    if (steps > 0) {
      assertTrue(
          e.passes().cachedRows() >= 2L * k * perSample(estimator, k, n),
          "the curves' shared end points are evaluated once");
    }
    e.classes()
        .forEach(
            c ->
                c.modalities()
                    .forEach(
                        mod ->
                            mod.fits()
                                .forEach(
                                    f -> {
                                      assertEquals(
                                          steps > 0 || heldOut > 0, f.faithfulness().isPresent());
                                      f.faithfulness()
                                          .ifPresent(
                                              fa -> {
                                                assertEquals(Math.min(d, steps), fa.steps());
                                                assertEquals(heldOut, fa.heldOutSamples());
                                              });
                                    })));
  }

  /**
   * Faithfulness masks per modality: H held-out masks plus, for each fit of each class, a deletion
   * and an insertion curve of T + 1 points, T = min(d, steps).
   */
  static long faithfulnessMasks(int steps, int heldOut, int d, long fits) {
    int t = Math.min(d, steps);
    return heldOut + (t == 0 ? 0 : fits * 2 * (t + 1));
  }

  /** Rows per perturbation sample, k modalities, uncapped. */
  static long perSample(String estimator, int k, int n) {
    return switch (estimator) {
      case "sampled" -> ((1L << (k - 1)) - 1) * n + 1;
      case "exact" -> pow(n + 1, k - 1);
      default -> n;
    };
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"sampled", "exact", "paper_faithful"})
  void faithfulnessAddsItsRowsAndChangesNoFit(String estimator) {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 12, 2, 4, 25);
    Datapoint x = Fixtures.gaussianPoints("x", 1, 2, 4, 26).get(0);
    long[] rows = new long[2];
    Explanation[] out = new Explanation[2];
    for (int on = 0; on < 2; on++) {
      Fixtures.Counting counting =
          new Fixtures.Counting(
              Fixtures.model(1, p -> new double[] {p[0][0] * p[1][1] + p[0][2] - p[1][3]}));
      DimeBuilder b =
          Dime.builder()
              .modality(VectorModality.of("m1", 4))
              .modality(VectorModality.of("m2", 4))
              .model(counting)
              .referencePool(pool)
              .estimator(Estimators.byName(estimator, 5))
              .samples(40)
              .batchSize(9);
      Dime dime = (on == 1 ? b.faithfulness(3, 13) : b.noFaithfulness()).build();
      dime.preparationRows();
      counting.rows.set(0);
      out[on] = dime.explain(x, Targets.predicted());
      rows[on] = counting.rows.get();
      assertEquals(rows[on], out[on].passes().rows());
    }
    long per = perSample(estimator, 2, 5);
    long fits = 5; // g_m, g12, UC, MI, LIME
    assertEquals(
        out[0].passes().formula() + 2 * faithfulnessMasks(3, 13, 4, fits) * per,
        out[1].passes().formula());
    assertTrue(rows[1] > rows[0]);
    for (String m : List.of("m1", "m2")) {
      var off = out[0].forClass(0).modality(m);
      var on = out[1].forClass(0).modality(m);
      for (int f = 0; f < off.fits().size(); f++) {
        assertTrue(off.fits().get(f).faithfulness().isEmpty());
        org.junit.jupiter.api.Assertions.assertArrayEquals(
            off.fits().get(f).weights(), on.fits().get(f).weights(), 0, "weights do not change");
        assertEquals(off.fits().get(f).intercept(), on.fits().get(f).intercept(), 0);
      }
    }
    assertEquals(0, out[0].provenance().faithfulness().get("steps"));
    assertEquals(13, out[1].provenance().faithfulness().get("heldOut"));
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
    DimeBuilder b = Dime.builder();
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
            .faithfulness(3, 5)
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
        point += terms * Math.max(n, 50); // the point takes at least 50 draws
        perSample += containing * n;
      } else {
        point += terms * pow(n, k - order);
        perSample += containing * pow(n, k - order);
      }
    }
    perSample += 1; // the full set: the model at the perturbed point
    long fits = 0; // terms containing m up to order q, UC, MI, residual, LIME
    for (int order = 1; order <= q; order++) {
      fits += binomial(k - 1, order - 1);
    }
    fits += q < k ? 4 : 3;
    long masks = samples + faithfulnessMasks(3, 5, 2, fits);
    assertEquals(1 + point + (long) k * masks * perSample, e.passes().formula());
    assertEquals(e.passes().formula(), e.passes().rows() + e.passes().cachedRows());
  }

  /** DESIGN.md section 4, uncapped, plus the point decomposition and the prediction. */
  /**
   * A fixed reference set larger than the pool uses the whole pool: exact(30) and
   * paper_faithful(30) over 12 pool points count, check their budget with, and send exactly what
   * exact(12) and paper_faithful(13) do (before this, the formula counted 30, so a large N over a
   * small pool was refused by the budget although it needed little).
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource({"exact, 12", "paper_faithful, 13"})
  void aReferenceSetLargerThanThePoolCountsThePool(String estimator, int used) {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 12, 2, 3, 21);
    Datapoint x = Fixtures.gaussianPoints("x", 1, 2, 3, 22).get(0);
    long[] formula = new long[2];
    long[] rows = new long[2];
    int i = 0;
    for (int n : new int[] {30, used}) {
      Fixtures.Counting counting =
          new Fixtures.Counting(
              Fixtures.model(2, p -> new double[] {p[0][0] * p[1][2] + p[0][1], -p[1][0]}));
      Dime dime =
          Dime.builder()
              .modality(VectorModality.of("m1", 3))
              .modality(VectorModality.of("m2", 3))
              .model(counting)
              .referencePool(pool)
              .estimator(Estimators.byName(estimator, n))
              .samples(40)
              .faithfulness(0, 0)
              .build();
      formula[i] = dime.passFormula(1);
      dime.preparationRows();
      counting.rows.set(0);
      Explanation e = dime.explain(x, Targets.predicted());
      assertEquals(formula[i], e.passes().formula(), "the formula before and after preparing");
      rows[i] = counting.rows.get();
      i++;
    }
    assertEquals(formula[1], formula[0], estimator + "(30) over 12 points");
    assertEquals(rows[1], rows[0]);
    assertEquals(formula(estimator, 2, used, 40), formula[0]);
  }

  /**
   * Settings that would fail every record are refused by {@code build()}, before any model call:
   * paper_faithful on three modalities, and exact(200) on four (200^4 combinations, over its
   * budget). Before, the engine was built and each record then failed with stage "input", so a job
   * wrote one error per record instead of stopping.
   */
  @ParameterizedTest(name = "{0}({1}) k={2}")
  @org.junit.jupiter.params.provider.CsvSource({
    "paper_faithful, 5, 3, the paper's two-modality algorithm; this model has 3 modalities",
    "exact, 200, 4, over the budget of"
  })
  void settingsThatFailEveryRecordAreRefusedByBuild(
      String estimator, int n, int k, String message) {
    Fixtures.Counting counting =
        new Fixtures.Counting(Fixtures.model(1, p -> new double[] {p[0][0]}));
    DimeBuilder b =
        Dime.builder()
            .model(counting)
            .referencePool(Fixtures.gaussianPoints("p", 200, k, 2, 23))
            .estimator(Estimators.byName(estimator, n));
    for (int m = 0; m < k; m++) {
      b.modality(VectorModality.of("m" + (m + 1), 2));
    }
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, b::build);
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(message), e.getMessage());
    assertEquals(0, counting.rows.get(), "no model call");
  }

  static long formula(String estimator, int k, int n, int samples) {
    long point;
    long perModality;
    switch (estimator) {
      case "sampled" -> {
        point = (long) Math.max(n, 50) * ((1L << k) - 1); // the point: at least 50 draws
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
