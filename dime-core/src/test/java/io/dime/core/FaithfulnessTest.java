package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.Faithfulness;
import io.dime.api.ModalityExplanation;
import io.dime.api.SurrogateFit;
import io.dime.core.estimate.Estimators;
import io.dime.core.io.Json;
import io.dime.core.modality.VectorModality;
import io.dime.core.surrogate.KernelShap;
import io.dime.core.surrogate.Lime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deletion and insertion curves and held-out R^2 of every fit. */
class FaithfulnessTest {
  // f(x1, x2) = a . x1 + h(x2): linear in modality 1's features, additive across modalities.
  private static final double[] A = {1.5, -0.7, 2.2, 0.4, -1.9, 0.9};
  private static final double[] X1 = {1.1, 2.0, -0.3, 1.7, -0.8, 0.5};
  private static final double[] X2 = {0.6, -1.2, 0.3, 0.8, -0.5, 1.4};

  private static double h(double[] x2) {
    return 0.5 * x2[0] * x2[1] + 0.3 + Math.sin(x2[2]);
  }

  private static double linear(double[][] p) {
    double s = h(p[1]);
    for (int j = 0; j < A.length; j++) {
      s += A[j] * p[0][j];
    }
    return s;
  }

  private static DimeBuilder linearEngine() {
    return Dime.builder()
        .modality(VectorModality.of("m1", 6))
        .modality(VectorModality.of("m2", 6))
        .model(Fixtures.model(1, p -> new double[] {linear(p)}))
        .referencePool(Fixtures.gaussianPoints("p", 8, 2, 6, 41))
        .estimator(Estimators.exact(5))
        .surrogate(Lime.defaults().withAlpha(0))
        .samples(200)
        .seed(3);
  }

  /** The closed-form curve of a linear target c + w . z: hide or reveal the top features. */
  private static double[] curve(double[] w, double constant, int[] counts, boolean deletion) {
    int[] order = FaithfulnessMeasure.byWeightDescending(w);
    double[] y = new double[counts.length];
    for (int t = 0; t < counts.length; t++) {
      double s = constant;
      for (int r = 0; r < w.length; r++) {
        boolean top = r < counts[t];
        if (top != deletion) { // deletion keeps the rest, insertion keeps the top
          s += w[order[r]];
        }
      }
      y[t] = s;
    }
    return y;
  }

  @Test
  void limeCurvesOfALinearModelAreExactlyPredictable() {
    Dime dime = linearEngine().faithfulness(4, 50).build();
    Explanation e = dime.explain(Fixtures.point("x", X1, X2), Targets.classes("0"));
    ModalityExplanation m1 = e.forClass(0).modality("m1");
    double[] w = new double[6];
    for (int j = 0; j < 6; j++) {
      w[j] = A[j] * X1[j];
    }
    double c = h(X2); // the zero baseline hides a feature's whole contribution
    // T = min(d, 4) = 4 steps over d = 6 features: ceil(t * 6 / 4) = 0, 2, 3, 5, 6 features.
    int[] counts = {0, 2, 3, 5, 6};
    double[] fractions = {0, 2 / 6.0, 3 / 6.0, 5 / 6.0, 1};
    SurrogateFit lime = m1.fit("LIME").orElseThrow();
    assertArrayEquals(w, lime.weights(), 1e-9);
    Faithfulness f = lime.faithfulness().orElseThrow();
    assertEquals(4, f.steps());
    assertArrayEquals(fractions, f.fractions(), 0);
    double[] deletion = curve(w, c, counts, true);
    double[] insertion = curve(w, c, counts, false);
    assertArrayEquals(deletion, f.deletion(), 1e-9);
    assertArrayEquals(insertion, f.insertion(), 1e-9);
    assertEquals(linear(new double[][] {X1, X2}), f.deletion()[0], 1e-12, "t = 0: the point");
    assertEquals(c, f.deletion()[4], 1e-12, "t = T: all hidden");
    double del = 0;
    double ins = 0;
    for (int t = 1; t < 5; t++) {
      del += (fractions[t] - fractions[t - 1]) * (deletion[t] + deletion[t - 1]) / 2;
      ins += (fractions[t] - fractions[t - 1]) * (insertion[t] + insertion[t - 1]) / 2;
    }
    double line = (deletion[0] + deletion[4]) / 2;
    assertEquals(del, f.deletionArea(), 1e-9);
    assertEquals(ins, f.insertionArea(), 1e-9);
    assertEquals(del - line, f.normalisedDeletionArea(), 1e-9);
    assertEquals(ins - line, f.normalisedInsertionArea(), 1e-9);
    assertTrue(f.normalisedDeletionArea() < 0, "the top features go first");
    assertTrue(f.normalisedInsertionArea() > 0, "the top features come first");
    assertEquals(50, f.heldOutSamples());
    assertEquals(1, f.heldOutR2(), 1e-9, "a linear target is predicted exactly");
    assertEquals(1, f.heldOutWeightedR2(), 1e-9);
  }

  @Test
  void everyFitIsMeasuredOnItsOwnTarget() {
    Dime dime = linearEngine().faithfulness(10, 40).build();
    Explanation e = dime.explain(Fixtures.point("x", X1, X2), Targets.classes("0"));
    ModalityExplanation m1 = e.forClass(0).modality("m1");
    double[] w = new double[6];
    for (int j = 0; j < 6; j++) {
      w[j] = A[j] * X1[j];
    }
    int[] counts = {0, 1, 2, 3, 4, 5, 6}; // T = min(6, 10) = 6
    assertEquals(List.of("g1", "g12", "UC", "MI", "LIME"), keys(m1));
    for (String key : List.of("g1", "UC", "LIME")) {
      SurrogateFit fit = m1.fit(key).orElseThrow();
      assertArrayEquals(w, fit.weights(), 1e-9, key);
      Faithfulness f = fit.faithfulness().orElseThrow();
      assertEquals(6, f.steps());
      // The exact estimator's targets are c + w . z, with c the fit's intercept.
      assertArrayEquals(curve(w, fit.intercept(), counts, true), f.deletion(), 1e-9, key);
      assertArrayEquals(curve(w, fit.intercept(), counts, false), f.insertion(), 1e-9, key);
      assertEquals(1, f.heldOutR2(), 1e-9, key);
      assertEquals(1, f.heldOutWeightedR2(), 1e-9, key);
      assertTrue(f.insertionArea() > f.deletionArea(), key);
    }
    // An additive model has no interaction: the MI and g12 targets are 0 at every mask.
    for (String key : List.of("g12", "MI")) {
      Faithfulness f = m1.fit(key).orElseThrow().faithfulness().orElseThrow();
      for (int t = 0; t <= 6; t++) {
        assertEquals(0, f.deletion()[t], 1e-9, key);
        assertEquals(0, f.insertion()[t], 1e-9, key);
      }
      // R^2 of a target without variance is not defined (RoundingTargetsTest)
      assertTrue(Double.isNaN(f.heldOutR2()), key + ": " + f.heldOutR2());
      assertTrue(Double.isNaN(m1.fit(key).orElseThrow().score()), key);
    }
  }

  private static List<String> keys(ModalityExplanation m) {
    List<String> out = new ArrayList<>();
    m.fits().forEach(f -> out.add(f.key()));
    return out;
  }

  @Test
  void kernelShapHeldOutMasksComeFromItsOwnDesign() {
    Datapoint x = Datapoint.of("x", java.util.Map.of("x", new double[] {1.5, -2, 0.5}));
    Fixtures.Counting counting =
        new Fixtures.Counting(
            Fixtures.model(1, p -> new double[] {2 * p[0][0] - p[0][1] + 3 * p[0][2] + 0.25}));
    Dime dime =
        Dime.builder()
            .modality(VectorModality.of("x", 3))
            .model(counting)
            .referencePool(List.of(Datapoint.of("p", java.util.Map.of("x", new double[3]))))
            .surrogate(KernelShap.defaults())
            .estimator(Estimators.exact(1))
            .samples(64)
            .faithfulness(10, 100)
            .build();
    dime.preparationRows();
    counting.rows.set(0);
    Explanation e = dime.explain(x, Targets.classes("0"));
    Faithfulness f = e.forClass(0).modality("x").fit("LIME").orElseThrow().faithfulness().get();
    // weights 3, 2, 1.5 (in order); f(x) = 6.75, f(all hidden) = 0.25
    // auto mode enumerates the 2^3 masks; the unperturbed one is left out
    assertEquals(7, f.heldOutSamples());
    assertEquals(1, f.heldOutR2(), 1e-9);
    assertEquals(1, f.heldOutWeightedR2(), 1e-9);
    assertArrayEquals(new double[] {6.75, 3.75, 1.75, 0.25}, f.deletion(), 1e-9);
    assertArrayEquals(new double[] {0.25, 3.25, 5.25, 6.75}, f.insertion(), 1e-9);
    assertEquals(counting.rows.get(), e.passes().rows());
    // 1 prediction + the exact point rows (1) + one row per mask: 8 samples, 7 held out, and per
    // fit (g1, UC, LIME) two curves of 4 points.
    assertEquals(1 + 1 + 8 + 7 + 3 * 2 * 4, e.passes().formula());
    assertEquals(e.passes().formula(), e.passes().rows() + e.passes().cachedRows());
  }

  /** A model that uses its features sensibly: larger contributions move the output more. */
  private static Dime nonlinear(int threads) {
    return Dime.builder()
        .modality(VectorModality.of("m1", 8))
        .modality(VectorModality.of("m2", 8))
        .model(
            Fixtures.model(
                2,
                p -> {
                  double s = 0;
                  for (int j = 0; j < 8; j++) {
                    s += (j - 3.5) * 0.4 * p[0][j] + 0.2 * p[1][j];
                  }
                  double t = s + 0.3 * p[0][0] * p[1][1];
                  return new double[] {t + 0.1 * t * t, -t};
                }))
        .referencePool(Fixtures.gaussianPoints("p", 30, 2, 8, 51))
        .estimator(Estimators.sampled(10))
        .samples(300)
        .seed(11)
        .batchSize(64)
        .inferenceThreads(threads)
        .build();
  }

  @Test
  void insertionBeatsDeletionForASensibleModel() {
    Datapoint x = Fixtures.gaussianPoints("x", 1, 2, 8, 52).get(0);
    Explanation e = nonlinear(1).explain(x, Targets.classes("0", "1"));
    for (int cls = 0; cls < 2; cls++) {
      for (String key : List.of("LIME", "UC", "g1")) {
        Faithfulness f =
            e.forClass(cls).modality("m1").fit(key).orElseThrow().faithfulness().orElseThrow();
        assertTrue(f.insertionArea() > f.deletionArea(), cls + " " + key);
        assertTrue(f.normalisedDeletionArea() < 0, cls + " " + key);
        assertTrue(f.normalisedInsertionArea() > 0, cls + " " + key);
        assertTrue(f.heldOutR2() > 0.5, cls + " " + key + " " + f.heldOutR2());
        assertTrue(f.heldOutWeightedR2() > 0.5, cls + " " + key + " " + f.heldOutWeightedR2());
        assertEquals(100, f.heldOutSamples());
        assertEquals(8, f.steps());
      }
    }
  }

  @Test
  void curvesAreDeterministicWhateverTheThreads() {
    List<Datapoint> points = Fixtures.gaussianPoints("x", 4, 2, 8, 53);
    List<String> one = faithfulnessJson(nonlinear(1), points, 1);
    assertEquals(one, faithfulnessJson(nonlinear(3), points, 3));
    assertTrue(one.get(0).contains("\"normalisedDeletionArea\""), one.get(0));
  }

  private static List<String> faithfulnessJson(Dime dime, List<Datapoint> points, int threads) {
    List<String> out = new ArrayList<>();
    io.dime.core.job.ExplanationJob.explainAll(
        dime,
        points,
        Targets.classes("0", "1"),
        threads,
        r -> {
          JsonNode node = Json.mapper().valueToTree(r);
          ObjectNode kept = Json.mapper().createObjectNode();
          kept.set("classes", node.get("classes"));
          kept.set("passes", node.get("passes"));
          out.add(Json.line(kept));
        });
    return out;
  }

  @Test
  void curveMasksServeEveryFitAndClassThatAsksForThem() {
    // Explaining a second class changes no curve of the first: a curve mask's reference draws
    // depend on the mask alone.
    Datapoint x = Fixtures.gaussianPoints("x", 1, 2, 8, 54).get(0);
    Explanation both = nonlinear(1).explain(x, Targets.classes("0", "1"));
    Explanation first = nonlinear(1).explain(x, Targets.classes("0"));
    for (String key : List.of("LIME", "UC", "MI", "g12")) {
      Faithfulness a =
          both.forClass(0).modality("m2").fit(key).orElseThrow().faithfulness().orElseThrow();
      Faithfulness b =
          first.forClass(0).modality("m2").fit(key).orElseThrow().faithfulness().orElseThrow();
      assertArrayEquals(b.deletion(), a.deletion(), 0, key);
      assertArrayEquals(b.insertion(), a.insertion(), 0, key);
    }
  }

  @Test
  void jsonShape() throws Exception {
    Explanation on =
        linearEngine()
            .faithfulness(3, 20)
            .build()
            .explain(Fixtures.point("x", X1, X2), Targets.classes("0"));
    JsonNode fit = Json.mapper().readTree(Json.line(on)).at("/classes/0/modalities/0/fits/4");
    assertEquals("LIME", fit.get("key").asText());
    JsonNode f = fit.get("faithfulness");
    assertTrue(f.isObject(), fit.toString());
    List<String> names = new ArrayList<>();
    f.fieldNames().forEachRemaining(names::add);
    assertEquals(
        List.of(
            "steps",
            "fractions",
            "deletion",
            "insertion",
            "deletionArea",
            "insertionArea",
            "normalisedDeletionArea",
            "normalisedInsertionArea",
            "heldOutSamples",
            "heldOutR2",
            "heldOutWeightedR2"),
        names);
    assertEquals(4, f.get("deletion").size());
    assertEquals(20, f.get("heldOutSamples").asInt());
    JsonNode prov = Json.mapper().readTree(Json.line(on)).at("/provenance/faithfulness");
    assertEquals(3, prov.get("steps").asInt());
    assertEquals(20, prov.get("heldOut").asInt());

    Explanation off =
        linearEngine()
            .noFaithfulness()
            .build()
            .explain(Fixtures.point("x", X1, X2), Targets.classes("0"));
    JsonNode offFit = Json.mapper().readTree(Json.line(off)).at("/classes/0/modalities/0/fits/4");
    assertTrue(offFit.has("faithfulness"));
    assertTrue(offFit.get("faithfulness").isNull(), "Optional.empty is written as null");
  }

  @Test
  void builderRejectsNegativeSettings() {
    assertThrows(IllegalArgumentException.class, () -> Dime.builder().faithfulness(-1, 10));
    assertThrows(IllegalArgumentException.class, () -> Dime.builder().faithfulness(10, -1));
  }

  @Test
  void areasAndScores() {
    Faithfulness f =
        Faithfulness.of(
            new double[] {0, 0.5, 1},
            new double[] {4, 1, 0},
            new double[] {0, 3, 4},
            0,
            Double.NaN,
            Double.NaN);
    assertEquals(2, f.steps());
    assertEquals(0.25 * 5 + 0.25 * 1, f.deletionArea(), 1e-15);
    assertEquals(0.25 * 3 + 0.25 * 7, f.insertionArea(), 1e-15);
    assertEquals(1.5 - 2, f.normalisedDeletionArea(), 1e-15);
    assertEquals(2.5 - 2, f.normalisedInsertionArea(), 1e-15);
    Faithfulness none = Faithfulness.of(new double[0], new double[0], new double[0], 5, 0.5, 0.6);
    assertEquals(0, none.steps());
    assertTrue(Double.isNaN(none.deletionArea()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Faithfulness(2, new double[3], new double[2], new double[3], 0, 0, 0, 0, 0, 0, 0));

    double[] y = {1, 2, 3, 4};
    assertEquals(1, FaithfulnessMeasure.r2(y, y, null), 0);
    assertEquals(1 - 2 / 5.0, FaithfulnessMeasure.r2(y, new double[] {2, 2, 3, 3}, null), 1e-15);
    // weights: only the first two samples count
    assertEquals(
        1, FaithfulnessMeasure.r2(y, new double[] {1, 2, 0, 0}, new double[] {1, 1, 0, 0}), 1e-15);
    assertEquals(
        1, FaithfulnessMeasure.r2(new double[] {3, 3}, new double[] {3, 3 + 1e-15}, null), 0);
    assertTrue(
        Double.isNaN(FaithfulnessMeasure.r2(new double[] {3, 3}, new double[] {3, 4}, null)));
    assertTrue(Double.isNaN(FaithfulnessMeasure.r2(new double[0], new double[0], null)));
    assertArrayEquals(
        new int[] {2, 0, 3, 1, 4},
        FaithfulnessMeasure.byWeightDescending(new double[] {1, -1, 2, 1, -3}));
  }
}
