package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.MultimodalModel;
import io.dime.api.SurrogateFit;
import io.dime.api.TermValue;
import io.dime.core.estimate.Estimators;
import io.dime.core.estimate.ReferenceSelection;
import io.dime.core.modality.VectorModality;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Presets#fast()}: the numbers it sets, its exact identities, its unbiasedness against the
 * pool's product measure (the exact estimator over the whole pool, same masks), and its passes.
 */
class FastPresetTest {
  private static final int R = Presets.FAST_DRAWS;
  private static final double[] U = {0.7, -1.2, 0.4, 1.5};
  private static final double[] V = {-0.3, 0.9, 1.1, -0.8};

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** (u . x1)(v . x2): a product whose terms have a closed form under the product measure. */
  private static final Function<double[][], double[]> PRODUCT =
      p -> new double[] {dot(U, p[0]) * dot(V, p[1])};

  /** u . x1 + tanh(v . x2): additive, so every interaction term is 0. */
  private static final Function<double[][], double[]> ADDITIVE =
      p -> new double[] {dot(U, p[0]) + Math.tanh(dot(V, p[1]))};

  private static DimeBuilder builder(int k, MultimodalModel model, List<Datapoint> pool) {
    DimeBuilder b = Dime.builder();
    for (int j = 0; j < k; j++) {
      b.modality(VectorModality.of("m" + (j + 1), 4));
    }
    return b.model(model).referencePool(pool).centeredScores(false).noFaithfulness().batchSize(512);
  }

  private static double term(ClassExplanation c, String key) {
    return c.decomposition().stream()
        .filter(t -> t.key().equals(key))
        .findFirst()
        .orElseThrow()
        .value();
  }

  private static double termError(ClassExplanation c, String key) {
    return c.decomposition().stream()
        .filter(t -> t.key().equals(key))
        .findFirst()
        .orElseThrow()
        .standardError();
  }

  @Test
  void presetsSetTheirNumbersAndExplicitSettingsOverrideThem() {
    Presets.Preset fast = Presets.fast();
    assertEquals(
        Estimators.anchored(5).parameters(), fast.estimatorInstance().parameters(), "anchored(5)");
    assertEquals(700, fast.samples());
    Presets.Preset def = Presets.defaults();
    assertEquals(Estimators.sampled(50).parameters(), def.estimatorInstance().parameters());
    assertEquals(1000, def.samples());
    assertEquals(fast, Presets.byName("FAST"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Presets.byName("quick"));
    assertEquals("no preset 'quick'; available: [default, fast]", e.getMessage());

    List<Datapoint> pool = Fixtures.gaussianPoints("p", 20, 2, 4, 1);
    Datapoint x = Fixtures.gaussianPoints("x", 1, 2, 4, 2).get(0);
    Explanation viaFast =
        builder(2, Fixtures.model(1, PRODUCT), pool)
            .preset(Presets.fast())
            .samples(40)
            .build()
            .explain(x, Targets.predicted());
    assertEquals(40, viaFast.provenance().samples(), "an explicit samples overrides the preset");
    assertEquals(5, viaFast.provenance().estimator().get("draws"));
    assertEquals("anchored", viaFast.provenance().estimator().get("estimator"));
    assertEquals("fast", viaFast.provenance().run().get(Presets.PROVENANCE_KEY));
    Explanation viaDefault =
        builder(2, Fixtures.model(1, PRODUCT), pool)
            .preset(Presets.defaults())
            .samples(40)
            .build()
            .explain(x, Targets.predicted());
    assertFalse(
        viaDefault.provenance().run().containsKey(Presets.PROVENANCE_KEY),
        "the default preset leaves today's provenance as it is");
    Explanation plain =
        builder(2, Fixtures.model(1, PRODUCT), pool)
            .samples(40)
            .build()
            .explain(x, Targets.predicted());
    assertEquals(plain.provenance().toMap(), viaDefault.provenance().toMap());
  }

  /**
   * An additive model: at the point every draw's interaction g12 = M - M(x1, r2) - M(r1, x2) +
   * M(r1, r2) is 0 to rounding (all terms share the draws), so the reported g12 and its standard
   * error are 0. Per sample the control variate cancels the other modality's part draw by draw, so
   * the UC target is exactly the model's own change and the MI target a constant: MI weights are 0
   * and UC weights equal those of the exact estimator over the whole pool (same seed, same masks).
   */
  @Test
  void additiveModelHasNoInteraction() {
    int n = 50;
    List<Datapoint> pool = Fixtures.gaussianPoints("p", n, 2, 4, 3);
    Datapoint x = Fixtures.gaussianPoints("x", 1, 2, 4, 4).get(0);
    Explanation e =
        builder(2, Fixtures.model(1, ADDITIVE), pool)
            .preset(Presets.fast())
            .build()
            .explain(x, Targets.predicted());
    Explanation exact =
        builder(2, Fixtures.model(1, ADDITIVE), pool)
            .estimator(Estimators.exact(n, ReferenceSelection.RANDOM))
            .samples(Presets.FAST_SAMPLES_TWO)
            .build()
            .explain(x, Targets.predicted());
    ClassExplanation c = e.forClass(0);
    assertEquals(0, term(c, "g12"), 1e-12);
    assertEquals(0, termError(c, "g12"), 1e-12);
    assertTrue(termError(c, "g1") > 0, "g1 carries the sampling error of R = 5 draws");
    for (String m : List.of("m1", "m2")) {
      double[] mi = c.modality(m).fit("MI").orElseThrow().weights();
      double[] uc = c.modality(m).fit("UC").orElseThrow().weights();
      double[] ucExact = exact.forClass(0).modality(m).fit("UC").orElseThrow().weights();
      double largest = 0;
      for (int j = 0; j < mi.length; j++) {
        assertEquals(0, mi[j], 1e-9, m + " MI weight " + j);
        assertEquals(ucExact[j], uc[j], 1e-9, m + " UC weight " + j);
        largest = Math.max(largest, Math.abs(uc[j]));
      }
      assertTrue(largest > 0.1, "the UC weights are not trivially 0");
    }
  }

  /**
   * Additivity, exact under sampling: the decomposition sums to the output, and the UC and MI
   * targets sum to the model's output sample by sample, so UC + MI weights equal LIME's.
   */
  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void decompositionAndTargetsAddUp(int k) {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 30, k, 4, 5);
    Datapoint x = Fixtures.gaussianPoints("x", 1, k, 4, 6).get(0);
    Function<double[][], double[]> f =
        p -> {
          double prod = 1;
          for (double[] part : p) {
            prod *= Math.tanh(dot(U, part));
          }
          return new double[] {prod + dot(V, p[0])};
        };
    Explanation e =
        builder(k, Fixtures.model(1, f), pool)
            .preset(Presets.fast())
            .samples(200)
            .build()
            .explain(x, Targets.predicted());
    ClassExplanation c = e.forClass(0);
    double sum = c.decomposition().stream().mapToDouble(TermValue::value).sum();
    assertEquals(c.output(), sum, 1e-12);
    assertEquals(1 << k, c.decomposition().size());
    for (int m = 1; m <= k; m++) {
      var mod = c.modality("m" + m);
      double[] uc = mod.fit("UC").orElseThrow().weights();
      double[] mi = mod.fit("MI").orElseThrow().weights();
      double[] lime = mod.fit("LIME").orElseThrow().weights();
      for (int j = 0; j < lime.length; j++) {
        assertEquals(lime[j], uc[j] + mi[j], 1e-9, "m" + m + " feature " + j);
      }
    }
  }

  /**
   * Unbiasedness: over 60 seeds, the fast preset's UC and MI weights and intercepts minus those of
   * the exact estimator over the whole pool (the product measure sampled draws from) with the same
   * seed, so the same masks, average to 0 within 4.5 standard errors of that mean; the point's g12
   * averages to its closed form (u . x1 - u . mean1)(v . x2 - v . mean2) likewise.
   */
  @Test
  void unbiasedAgainstTheProductMeasureOverSeeds() {
    int n = 24;
    List<Datapoint> pool = Fixtures.gaussianPoints("p", n, 2, 4, 7);
    Datapoint x = Fixtures.gaussianPoints("x", 1, 2, 4, 8).get(0);
    double[] mean1 = new double[4];
    double[] mean2 = new double[4];
    for (Datapoint p : pool) {
      for (int i = 0; i < 4; i++) {
        mean1[i] += ((double[]) p.values().get("m1"))[i] / n;
        mean2[i] += ((double[]) p.values().get("m2"))[i] / n;
      }
    }
    double[] x1 = (double[]) x.values().get("m1");
    double[] x2 = (double[]) x.values().get("m2");
    double g12Truth = (dot(U, x1) - dot(U, mean1)) * (dot(V, x2) - dot(V, mean2));

    int seeds = 60;
    int samples = 60;
    String[] fits = {"UC", "MI"};
    // [modality][fit][feature]: sum and sum of squares of the differences
    double[][][] sum = new double[2][2][5];
    double[][][] sumSq = new double[2][2][5];
    double g12Sum = 0;
    double g12SumSq = 0;
    for (int s = 0; s < seeds; s++) {
      Explanation fast =
          builder(2, Fixtures.model(1, PRODUCT), pool)
              .preset(Presets.fast())
              .samples(samples)
              .seed(s)
              .build()
              .explain(x, Targets.predicted());
      Explanation exact =
          builder(2, Fixtures.model(1, PRODUCT), pool)
              .estimator(Estimators.exact(n, ReferenceSelection.RANDOM))
              .samples(samples)
              .seed(s)
              .build()
              .explain(x, Targets.predicted());
      double g12 = term(fast.forClass(0), "g12");
      assertEquals(g12Truth, term(exact.forClass(0), "g12"), 1e-9, "exact over the whole pool");
      g12Sum += g12;
      g12SumSq += g12 * g12;
      for (int m = 0; m < 2; m++) {
        for (int f = 0; f < 2; f++) {
          SurrogateFit ff = fast.forClass(0).modality("m" + (m + 1)).fit(fits[f]).orElseThrow();
          SurrogateFit fe = exact.forClass(0).modality("m" + (m + 1)).fit(fits[f]).orElseThrow();
          for (int j = 0; j < 5; j++) {
            // the four weights, then the intercept (the point's constants added back)
            double d = j < 4 ? ff.weights()[j] - fe.weights()[j] : ff.intercept() - fe.intercept();
            sum[m][f][j] += d;
            sumSq[m][f][j] += d * d;
          }
        }
      }
    }
    double g12Mean = g12Sum / seeds;
    double g12Se = Math.sqrt((g12SumSq / seeds - g12Mean * g12Mean) / (seeds - 1));
    assertTrue(g12Se > 0);
    assertTrue(
        Math.abs(g12Mean - g12Truth) < 4.5 * g12Se,
        "g12 mean " + g12Mean + " against " + g12Truth + " +- " + g12Se);
    double spread = 0;
    for (int m = 0; m < 2; m++) {
      for (int f = 0; f < 2; f++) {
        for (int j = 0; j < 5; j++) {
          double mean = sum[m][f][j] / seeds;
          double se = Math.sqrt((sumSq[m][f][j] / seeds - mean * mean) / (seeds - 1));
          spread += se;
          assertTrue(
              Math.abs(mean) < 4.5 * se,
              "m" + (m + 1) + " " + fits[f] + " feature " + j + ": " + mean + " +- " + se);
        }
      }
    }
    assertTrue(spread > 0, "fresh draws differ from the fixed pool sample by sample");
  }

  /**
   * The model sees exactly the formula's passes less the cached ones: 1 + R (2^k - 1) at the point,
   * plus S (2 (2^(k-1) - 1) R + 1) per modality (each draw twice: perturbed and at the point); per
   * sample that grows with the terms containing m, and nothing depends on the pool's size (no N^k).
   */
  @ParameterizedTest
  @ValueSource(ints = {2, 3, 4})
  void passesFollowTheFormulaAndGrowWithTheTerms(int k) {
    explicitSamplesOverrideThePresets(k);
    long[] formulas = new long[2];
    int[] poolSizes = {12, 40};
    for (int i = 0; i < 2; i++) {
      List<Datapoint> pool = Fixtures.gaussianPoints("p", poolSizes[i], k, 4, 9);
      Fixtures.Counting counting =
          new Fixtures.Counting(
              Fixtures.model(
                  1,
                  p -> {
                    double prod = 1;
                    for (double[] part : p) {
                      prod *= dot(U, part);
                    }
                    return new double[] {prod};
                  }));
      Dime dime = builder(k, counting, pool).preset(Presets.fast()).build();
      dime.preparationRows();
      counting.rows.set(0);
      Explanation e =
          dime.explain(Fixtures.gaussianPoints("x", 1, k, 4, 10).get(0), Targets.predicted());
      int samples = k == 2 ? Presets.FAST_SAMPLES_TWO : Presets.FAST_SAMPLES;
      assertEquals(samples, e.provenance().samples(), "the preset's S for k = " + k);
      int g = k == 2 ? Estimators.ANCHORED_GROUP_TWO : Estimators.ANCHORED_GROUP;
      assertEquals(g, e.provenance().estimator().get("samplesPerDrawGroup"), "k = " + k);
      long perSample = 2 * ((1L << (k - 1)) - 1) * R + 1;
      // the point's own values take 50 draws (SampledEstimator.POINT_DRAWS), the samples R
      long expected = 1 + 50L * ((1L << k) - 1) + (long) k * samples * perSample;
      assertEquals(expected, e.passes().formula(), "k = " + k);
      assertEquals(expected, dime.passFormula(1));
      assertEquals(counting.rows.get(), e.passes().rows(), "rows the model saw");
      assertEquals(e.passes().formula(), e.passes().rows() + e.passes().cachedRows());
      formulas[i] = e.passes().formula();
      // Samples share draws in groups of G: a group sends its control rows once, so every sample
      // but the first of its group reuses R rows per term other than the full set; the same masks
      // with no groups (G = 1) cache only the repeated masks' full-set rows.
      Explanation ungrouped =
          builder(k, counting, pool)
              .preset(Presets.fast())
              .estimator(Estimators.anchored(R, 1))
              .build()
              .explain(Fixtures.gaussianPoints("x", 1, k, 4, 10).get(0), Targets.predicted());
      long groups = (samples + g - 1) / g;
      long reused = (long) k * (samples - groups) * R * ((1L << (k - 1)) - 1);
      assertEquals(reused, e.passes().cachedRows() - ungrouped.passes().cachedRows(), "k = " + k);
      assertEquals(expected, ungrouped.passes().formula());
    }
    assertEquals(formulas[0], formulas[1], "the pool's size does not enter the passes");
    if (k == 2) {
      assertEquals(8_951, formulas[0]); // 8,816 before the point took 50 draws (3 x 45 more)
    }
  }

  /** An explicit S after the preset (or before it, then replaced) is the one used. */
  private static void explicitSamplesOverrideThePresets(int k) {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 12, k, 4, 9);
    Fixtures.Counting counting = new Fixtures.Counting(Fixtures.model(1, p -> new double[] {1}));
    assertEquals(
        64,
        builder(k, counting, pool)
            .preset(Presets.fast())
            .samples(64)
            .build()
            .explain(Fixtures.gaussianPoints("x", 1, k, 4, 10).get(0), Targets.predicted())
            .provenance()
            .samples());
    assertEquals(
        Presets.fast().samplesFor(k),
        builder(k, counting, pool)
            .samples(64)
            .preset(Presets.fast())
            .build()
            .explain(Fixtures.gaussianPoints("x", 1, k, 4, 10).get(0), Targets.predicted())
            .provenance()
            .samples());
  }
}
