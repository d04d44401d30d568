package io.dime.core.surrogate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.OutputKind;
import io.dime.api.SurrogateFit;
import io.dime.core.Dime;
import io.dime.core.Targets;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.JavaModels;
import io.dime.core.modality.VectorModality;
import io.dime.core.plugin.CorePlugin;
import io.dime.core.plugin.PluginRegistry;
import io.dime.spi.ColumnFit;
import io.dime.spi.PluginConfig;
import io.dime.spi.SampleDesign;
import io.dime.spi.SamplingHints;
import io.dime.spi.Surrogate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KernelShapTest {
  private static final double[] X3 = {20, 50, 30};
  private static final double[] SHAPLEY3 = {76.6667, 196.6667, 116.6667};

  private static double relu(double v) {
    return Math.max(0, v);
  }

  /** ReLU(s - 10) + 3 ReLU(s + 1) - 1 of s = sum of the entries. */
  private static double reluModel(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return relu(s - 10) + 3 * relu(s + 1) - 1;
  }

  private static double[] masked(double[] x, boolean[] mask) {
    double[] out = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      out[j] = mask[j] ? x[j] : 0;
    }
    return out;
  }

  private static double[][] targets(SampleDesign design, ToDoubleFunction<boolean[]> f) {
    double[][] y = new double[design.samples()][1];
    for (int s = 0; s < y.length; s++) {
      y[s][0] = f.applyAsDouble(design.masks()[s]);
    }
    return y;
  }

  /** Shapley values by the definition: average marginal contribution over all orderings. */
  private static double[] shapleyByOrderings(int d, ToDoubleFunction<boolean[]> v) {
    double[] phi = new double[d];
    int[] perm = new int[d];
    for (int j = 0; j < d; j++) {
      perm[j] = j;
    }
    long[] count = {0};
    permute(perm, 0, v, phi, count);
    for (int j = 0; j < d; j++) {
      phi[j] /= count[0];
    }
    return phi;
  }

  private static void permute(
      int[] perm, int k, ToDoubleFunction<boolean[]> v, double[] phi, long[] count) {
    if (k == perm.length) {
      boolean[] mask = new boolean[perm.length];
      double prev = v.applyAsDouble(mask);
      for (int j : perm) {
        mask[j] = true;
        double cur = v.applyAsDouble(mask);
        phi[j] += cur - prev;
        prev = cur;
      }
      count[0]++;
      return;
    }
    for (int i = k; i < perm.length; i++) {
      swap(perm, k, i);
      permute(perm, k + 1, v, phi, count);
      swap(perm, k, i);
    }
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  private static double sum(double[] a) {
    double s = 0;
    for (double v : a) {
      s += v;
    }
    return s;
  }

  private static SampleDesign design(KernelShap k, int d, int samples, long seed) {
    return k.design(d, samples, SamplingHints.DENSE, new SplittableRandom(seed));
  }

  // 1. closed form in enumeration mode

  @Test
  void enumerationGivesTheExactShapleyValuesOfTheReluModel() {
    KernelShap k = KernelShap.defaults().withMode("enumerate");
    SampleDesign design = design(k, 3, 64, 1);
    ToDoubleFunction<boolean[]> v = m -> reluModel(masked(X3, m));
    ColumnFit fit = k.fit(design, targets(design, v)).get(0);
    double[] exact = shapleyByOrderings(3, v);
    assertArrayEquals(SHAPLEY3, fit.weights(), 1e-3);
    assertArrayEquals(exact, fit.weights(), 1e-9);
    double f0 = reluModel(new double[3]);
    double fx = reluModel(X3);
    assertEquals(2, f0, 0);
    assertEquals(fx - f0, sum(fit.weights()), 1e-9, "efficiency");
    assertEquals(f0, fit.intercept(), 0, "intercept = f(all hidden)");
    assertEquals(fx, fit.intercept() + sum(fit.weights()), 1e-9);
  }

  // 2. the same through the engine

  @Test
  void theEngineCarriesTheShapleyValuesInTheLimeFit() {
    Datapoint x = Datapoint.of("x", Map.of("x", X3.clone()));
    Datapoint other = Datapoint.of("p0", Map.of("x", new double[] {1, -2, 3}));
    Dime dime =
        Dime.builder()
            .modality(VectorModality.of("x", 3))
            .model(
                JavaModels.of(
                    "f",
                    1,
                    OutputKind.REGRESSION,
                    row -> new double[] {reluModel((double[]) row[0])}))
            .referencePool(List.of(other))
            .surrogate(KernelShap.defaults())
            .estimator(Estimators.exact(1))
            // 64 asked, but auto mode enumerates the 2^3 = 8 masks; the pass count follows.
            .samples(64)
            .build();
    Explanation e = dime.explain(x, Targets.classes("0"));
    assertEquals(e.passes().formula(), e.passes().rows() + e.passes().cachedRows());
    SurrogateFit lime = e.forClass(0).modality("x").fit("LIME").orElseThrow();
    double[] exact = shapleyByOrderings(3, m -> reluModel(masked(X3, m)));
    assertArrayEquals(exact, lime.weights(), 1e-9);
    assertArrayEquals(SHAPLEY3, lime.weights(), 1e-3);
    assertEquals(reluModel(X3), lime.localPrediction(), 1e-9);
    assertEquals(reluModel(new double[3]), lime.intercept(), 1e-9);
  }

  // 3. linear models

  private static void checkLinear(KernelShap k, int d, int samples, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] a = new double[d];
    double[] x = new double[d];
    for (int j = 0; j < d; j++) {
      a[j] = rng.nextDouble() * 4 - 2;
      x[j] = rng.nextDouble() * 10 - 5;
    }
    double b = 1.75;
    SampleDesign design = design(k, d, samples, seed);
    ColumnFit fit =
        k.fit(
                design,
                targets(
                    design,
                    m -> {
                      double s = b;
                      for (int j = 0; j < d; j++) {
                        s += m[j] ? a[j] * x[j] : 0;
                      }
                      return s;
                    }))
            .get(0);
    for (int j = 0; j < d; j++) {
      assertEquals(a[j] * x[j], fit.weights()[j], 1e-9, "phi_" + j);
      assertEquals(0, fit.standardErrors()[j], 1e-9, "standard error of an exact fit");
    }
    assertEquals(b, fit.intercept(), 1e-12);
    assertEquals(1, fit.score(), 1e-12);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 8})
  void linearModelByEnumeration(int d) {
    checkLinear(KernelShap.defaults().withMode("enumerate"), d, 2, 7);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 5, 20})
  void linearModelBySampling(int d) {
    checkLinear(KernelShap.defaults().withMode("sample"), d, 2000, 8);
  }

  @Test
  void linearModelBySamplingWithFewerSamplesThanMasks() {
    checkLinear(KernelShap.defaults(), 20, 100, 9);
  }

  // 4. efficiency under sampling

  @ParameterizedTest
  @ValueSource(doubles = {0, 0.5})
  void efficiencyHoldsUnderSampling(double alpha) {
    int d = 15;
    SplittableRandom rng = new SplittableRandom(4);
    double[] x = new double[d];
    for (int j = 0; j < d; j++) {
      x[j] = rng.nextDouble() * 2 - 1;
    }
    ToDoubleFunction<boolean[]> f =
        m -> {
          double[] z = masked(x, m);
          return Math.tanh(z[0] * z[1] + z[2])
              + Math.exp(0.3 * (z[3] - z[14])) * z[7]
              - z[5] * z[6] * z[9]
              + Math.sin(3 * z[11]);
        };
    KernelShap k = KernelShap.defaults().withMode("sample").withAlpha(alpha);
    SampleDesign design = design(k, d, 500, 5);
    assertEquals(500, design.samples());
    double[][] y = targets(design, f);
    ColumnFit fit = k.fit(design, y).get(0);
    double f0 = f.applyAsDouble(new boolean[d]);
    boolean[] all = new boolean[d];
    Arrays.fill(all, true);
    double fx = f.applyAsDouble(all);
    assertEquals(f0, fit.intercept(), 0);
    assertEquals(fx - f0, sum(fit.weights()), 1e-9);
    assertEquals(fx, fit.intercept() + sum(fit.weights()), 1e-9);
    assertTrue(fit.score() < 1, "a nonlinear model is not fitted exactly");
    for (double se : fit.standardErrors()) {
      assertTrue(se > 0 && Double.isFinite(se), "standard errors from the residuals: " + se);
    }
  }

  @Test
  void samplingApproachesTheShapleyValues() {
    int d = 8;
    double[] x = {0.5, -1, 2, 0.3, 1.5, -0.7, 1, 0.2};
    ToDoubleFunction<boolean[]> f =
        m -> {
          double[] z = masked(x, m);
          return Math.tanh(z[0] + z[1] * z[2]) + z[3] * z[4] * z[5] + Math.exp(0.5 * z[6]) * z[7];
        };
    double[] exact = shapleyByOrderings(d, f);
    KernelShap enumerated = KernelShap.defaults();
    SampleDesign all = design(enumerated, d, 256, 0);
    assertEquals(256, all.samples());
    assertArrayEquals(exact, enumerated.fit(all, targets(all, f)).get(0).weights(), 1e-9);
    KernelShap k = KernelShap.defaults().withMode("sample");
    SampleDesign design = design(k, d, 20000, 3);
    double[] phi = k.fit(design, targets(design, f)).get(0).weights();
    assertArrayEquals(exact, phi, 0.01); // measured: 0.0022
  }

  // 5. linearity in the targets

  @ParameterizedTest
  @ValueSource(strings = {"enumerate", "sample"})
  void fitIsLinearInTheTargets(String mode) {
    for (double alpha : new double[] {0, 0.3}) {
      KernelShap k = KernelShap.defaults().withMode(mode).withAlpha(alpha);
      SampleDesign design = design(k, 6, 40, 11);
      SplittableRandom rng = new SplittableRandom(12);
      double[][] y = new double[design.samples()][3];
      for (double[] row : y) {
        row[0] = rng.nextDouble() * 10 - 5;
        row[1] = rng.nextDouble() * 10 - 5;
        row[2] = row[0] + 2 * row[1];
      }
      List<ColumnFit> f = k.fit(design, y);
      assertEquals(3, f.size());
      for (int j = 0; j < 6; j++) {
        assertEquals(
            f.get(0).weights()[j] + 2 * f.get(1).weights()[j], f.get(2).weights()[j], 1e-9);
      }
      assertEquals(f.get(0).intercept() + 2 * f.get(1).intercept(), f.get(2).intercept(), 1e-9);
      // one column at a time gives the same fit as the stacked matrix
      double[][] single = new double[y.length][1];
      for (int s = 0; s < y.length; s++) {
        single[s][0] = y[s][1];
      }
      ColumnFit alone = k.fit(design, single).get(0);
      assertArrayEquals(f.get(1).weights(), alone.weights(), 1e-12);
      assertArrayEquals(f.get(1).standardErrors(), alone.standardErrors(), 1e-12);
    }
  }

  // 6. settings

  @Test
  void settingsAreReadAndCheckedAgainstUnknownKeys() {
    KernelShap k =
        KernelShap.fromConfig(PluginConfig.of("kernel_shap", "mode", "Sample", "alpha", 0.25));
    assertEquals("sample", k.mode());
    assertEquals(0.25, k.alpha());
    assertEquals("auto", KernelShap.fromConfig(PluginConfig.empty("k")).mode());
    assertEquals(0.0, KernelShap.fromConfig(PluginConfig.empty("k")).alpha());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> KernelShap.fromConfig(PluginConfig.of("kernel_shap", "modes", "sample")));
    assertTrue(e.getMessage().contains("'modes'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> KernelShap.fromConfig(PluginConfig.of("kernel_shap", "mode", "exhaustive")));
    assertTrue(e.getMessage().contains("exhaustive"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> KernelShap.defaults().withMode("all"));
    assertThrows(IllegalArgumentException.class, () -> KernelShap.defaults().withAlpha(-1));
    assertThrows(
        IllegalArgumentException.class,
        () -> KernelShap.fromConfig(PluginConfig.of("kernel_shap", "alpha", "much")));
  }

  @Test
  void enumeratingTooManyFeaturesFailsNamingBoth() {
    KernelShap k = KernelShap.defaults().withMode("enumerate");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> design(k, 13, 100_000, 1));
    assertTrue(e.getMessage().contains("13"), e.getMessage());
    assertTrue(e.getMessage().contains("12"), e.getMessage());
    assertEquals(1 << 12, design(k, 12, 10, 1).samples(), "enumeration ignores the sample count");
  }

  @Test
  void autoEnumeratesOnlyWhenItFits() {
    KernelShap k = KernelShap.defaults();
    assertTrue(k.enumerates(3, 8));
    assertFalse(k.enumerates(3, 7));
    assertFalse(k.enumerates(13, 1 << 20), "never more than 12 features");
    assertTrue(k.enumerates(12, 4096));
    assertEquals(8, design(k, 3, 64, 1).samples());
    assertEquals(7, design(k, 3, 7, 1).samples());
    assertEquals(500, design(k, 13, 500, 1).samples());
  }

  // 7. determinism

  @Test
  void sameSeedSameDesign() {
    KernelShap k = KernelShap.defaults().withMode("sample");
    SampleDesign a = design(k, 10, 301, 42);
    SampleDesign b = design(k, 10, 301, 42);
    assertTrue(Arrays.deepEquals(a.masks(), b.masks()));
    assertArrayEquals(a.weights(), b.weights(), 0);
    SampleDesign c = design(k, 10, 301, 43);
    assertFalse(Arrays.deepEquals(a.masks(), c.masks()), "another seed, other masks");
  }

  // the design

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 6})
  void enumerationListsEveryMaskOnceWithTheKernelWeights(int d) {
    SampleDesign design = design(KernelShap.defaults().withMode("enumerate"), d, 2, 1);
    assertEquals(1 << d, design.samples());
    boolean[] ones = new boolean[d];
    Arrays.fill(ones, true);
    assertArrayEquals(ones, design.masks()[0], "sample 0 is the unperturbed input");
    assertArrayEquals(new boolean[d], design.masks()[1], "sample 1 hides everything");
    assertEquals(0, design.weights()[0]);
    assertEquals(0, design.weights()[1]);
    Set<String> seen = new HashSet<>();
    double total = 0;
    for (int s = 0; s < design.samples(); s++) {
      boolean[] m = design.masks()[s];
      assertTrue(seen.add(Arrays.toString(m)), "each mask once");
      int kept = 0;
      for (boolean b : m) {
        kept += b ? 1 : 0;
      }
      if (kept > 0 && kept < d) {
        double expected = (d - 1.0) / (binomial(d, kept) * kept * (d - kept));
        assertEquals(expected, design.weights()[s], 1e-15);
      }
      total += design.weights()[s];
    }
    assertEquals(kernelMass(d), total, 1e-12);
  }

  private static double binomial(int n, int k) {
    double c = 1;
    for (int i = 1; i <= k; i++) {
      c = c * (n - k + i) / i;
    }
    return c;
  }

  private static double kernelMass(int d) {
    double m = 0;
    for (int s = 1; s < d; s++) {
      m += (d - 1.0) / (s * (double) (d - s));
    }
    return m;
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 7, 30})
  void samplingDrawsComplementaryPairsWithEqualWeights(int d) {
    int samples = 203; // 201 sampled masks: 100 pairs and one single
    SampleDesign design = design(KernelShap.defaults().withMode("sample"), d, samples, 5);
    assertEquals(samples, design.samples());
    boolean[] ones = new boolean[d];
    Arrays.fill(ones, true);
    assertArrayEquals(ones, design.masks()[0]);
    assertArrayEquals(new boolean[d], design.masks()[1]);
    assertEquals(0, design.weights()[0]);
    assertEquals(0, design.weights()[1]);
    double total = 0;
    for (int s = 2; s < samples; s++) {
      boolean[] m = design.masks()[s];
      int kept = 0;
      for (boolean b : m) {
        kept += b ? 1 : 0;
      }
      assertTrue(kept > 0 && kept < d, "no end mask among the sampled ones");
      assertEquals(design.weights()[2], design.weights()[s], 0);
      if (s % 2 == 1) {
        for (int j = 0; j < d; j++) {
          assertEquals(
              !design.masks()[s - 1][j], m[j], "sample " + s + " is its pair's complement");
        }
      }
      total += design.weights()[s];
    }
    assertEquals(kernelMass(d), total, 1e-12, "the same total weight as under enumeration");
  }

  @Test
  void sampledSizesFollowTheKernelMass() {
    int d = 6;
    int samples = 60_002;
    SampleDesign design = design(KernelShap.defaults().withMode("sample"), d, samples, 17);
    int[] count = new int[d + 1];
    for (int s = 2; s < samples; s++) {
      int kept = 0;
      for (boolean b : design.masks()[s]) {
        kept += b ? 1 : 0;
      }
      count[kept]++;
    }
    double mass = kernelMass(d);
    for (int s = 1; s < d; s++) {
      double p = (d - 1.0) / (s * (double) (d - s)) / mass;
      assertEquals(p, count[s] / (double) (samples - 2), 0.01, "share of size " + s);
    }
  }

  // degenerate cases

  @Test
  void oneFeatureGetsTheWholeDifference() {
    for (String mode : List.of("auto", "enumerate", "sample")) {
      KernelShap k = KernelShap.defaults().withMode(mode);
      SampleDesign design = design(k, 1, 50, 1);
      assertEquals(2, design.samples());
      ColumnFit fit = k.fit(design, new double[][] {{7, -1}, {3, 2}}).get(0);
      assertArrayEquals(new double[] {4}, fit.weights(), 0);
      assertEquals(3, fit.intercept(), 0);
      assertArrayEquals(new double[] {0}, fit.standardErrors(), 0);
      assertEquals(1, fit.score());
      assertEquals(-3, k.fit(design, new double[][] {{7, -1}, {3, 2}}).get(1).weights()[0], 0);
    }
  }

  @Test
  void tooFewMasksGiveTheMinimumNormSolutionWithUnknownErrors() {
    KernelShap k = KernelShap.defaults().withMode("sample");
    SampleDesign design = design(k, 5, 2, 1);
    assertEquals(2, design.samples());
    ColumnFit fit = k.fit(design, new double[][] {{10}, {0}}).get(0);
    assertArrayEquals(new double[] {2, 2, 2, 2, 2}, fit.weights(), 1e-12);
    for (double se : fit.standardErrors()) {
      assertTrue(Double.isNaN(se));
    }
    // three sampled masks for five features: not identified, efficiency still exact
    SampleDesign few = design(k, 5, 5, 2);
    double[][] y = {{10}, {1}, {4}, {3}, {2}};
    ColumnFit f2 = k.fit(few, y).get(0);
    assertEquals(9, sum(f2.weights()), 1e-12);
    assertTrue(Double.isNaN(f2.standardErrors()[0]));
  }

  /**
   * Exactly as many sampled masks as free weights (two features, one mask besides the two ends):
   * the fit goes through that mask whatever the target, so its residual of 0 says nothing, and the
   * errors are NaN, as for fewer masks. Before: 0, an exact fit claimed, though the fit gives 3 and
   * 2 where this target's Shapley values are 2 and 3 (they depend on the mask never sampled).
   */
  @Test
  void asManyMasksAsFreeWeightsGiveUnknownErrors() {
    KernelShap k = KernelShap.defaults().withMode("sample");
    SampleDesign design = design(k, 2, 3, 1);
    assertEquals(3, design.samples());
    ToDoubleFunction<boolean[]> v = m -> (m[0] ? 1 : 0) + (m[1] ? 2 : 0) + (m[0] && m[1] ? 2 : 0);
    ColumnFit fit = k.fit(design, targets(design, v)).get(0);
    assertArrayEquals(new double[] {3, 2}, fit.weights(), 1e-12);
    for (double se : fit.standardErrors()) {
      assertTrue(Double.isNaN(se), "error " + se + " of weights " + Arrays.toString(fit.weights()));
    }
  }

  @Test
  void ridgePenaltyIsSymmetricInTheFeatures() {
    int d = 5;
    KernelShap k = KernelShap.defaults().withMode("enumerate").withAlpha(0.7);
    SampleDesign design = design(k, d, 2, 1);
    double[] x = {1, -2, 0.5, 3, -1};
    ToDoubleFunction<boolean[]> f =
        m -> {
          double[] z = masked(x, m);
          return z[0] * z[1] + Math.tanh(z[2] + z[3]) - z[4] * z[4];
        };
    ColumnFit fit = k.fit(design, targets(design, f)).get(0);
    int[] perm = {4, 2, 0, 3, 1}; // new feature i is old feature perm[i]
    boolean[][] masks = new boolean[design.samples()][d];
    for (int s = 0; s < masks.length; s++) {
      for (int i = 0; i < d; i++) {
        masks[s][i] = design.masks()[s][perm[i]];
      }
    }
    SampleDesign permuted = new SampleDesign(masks, design.weights());
    ColumnFit pf = k.fit(permuted, targets(design, f)).get(0);
    for (int i = 0; i < d; i++) {
      assertEquals(fit.weights()[perm[i]], pf.weights()[i], 1e-12);
      assertEquals(fit.standardErrors()[perm[i]], pf.standardErrors()[i], 1e-12);
    }
    assertEquals(f.applyAsDouble(masks[0]), pf.intercept() + sum(pf.weights()), 1e-12);
    // the penalty shrinks towards equal shares without breaking efficiency
    ColumnFit plain = KernelShap.defaults().fit(design, targets(design, f)).get(0);
    assertNotEquals(plain.weights()[0], fit.weights()[0], 1e-6);
  }

  @Test
  void fitRejectsDesignsWithoutTheEndMasks() {
    KernelShap k = KernelShap.defaults();
    SampleDesign noZero =
        new SampleDesign(new boolean[][] {{true, true}, {true, false}}, new double[] {0, 1});
    assertThrows(IllegalArgumentException.class, () -> k.fit(noZero, new double[][] {{1}, {2}}));
    SampleDesign noOnes =
        new SampleDesign(new boolean[][] {{false, true}, {false, false}}, new double[] {1, 0});
    assertThrows(IllegalArgumentException.class, () -> k.fit(noOnes, new double[][] {{1}, {2}}));
  }

  @Test
  void provenanceAndRegistration() {
    Map<String, Object> p = KernelShap.defaults().withAlpha(0.5).provenance();
    assertEquals("kernel_shap", p.get("surrogate"));
    assertEquals("auto", p.get("mode"));
    assertEquals(0.5, p.get("alpha"));
    assertEquals(true, p.get("efficiency"));
    assertTrue(p.get("kernel").toString().contains("Shapley kernel"));
    PluginRegistry r = PluginRegistry.of(List.of(new CorePlugin()));
    assertTrue(r.surrogates().containsKey("kernel_shap"), r.describe());
    Surrogate s =
        r.surrogates()
            .get("kernel_shap")
            .create(PluginConfig.of("kernel_shap", "mode", "enumerate"));
    assertEquals("kernel_shap", s.name());
    assertEquals("enumerate", s.provenance().get("mode"));
    assertTrue(
        PluginRegistry.load(getClass().getClassLoader()).surrogates().containsKey("kernel_shap"));
  }
}
