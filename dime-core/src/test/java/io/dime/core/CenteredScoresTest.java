package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.OutputKind;
import io.dime.api.TermValue;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.JavaModels;
import io.dime.core.io.Json;
import io.dime.core.modality.VectorModality;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Centred scores: a softmax classifier's logits are defined up to a constant per row, and centred
 * scores make DIME's explanations depend on the probabilities alone. Raw logits do not: a row-wise
 * level that depends on both modalities shows up as an interaction of every class.
 */
class CenteredScoresTest {
  private static final int D = 5;

  /** Three logits with a real interaction in class 0 and 2. */
  private static double[] logits(double[][] p) {
    double s = p[0][0] * p[1][1] + p[0][2] - p[1][4];
    return new double[] {s, Math.tanh(s) + p[0][3], -0.5 * s + p[1][0]};
  }

  /** The same probabilities: every logit shifted by a level with an interaction of its own. */
  private static double[] shifted(double[][] p) {
    double sum1 = 0;
    double sum2 = 0;
    for (int e = 0; e < D; e++) {
      sum1 += p[0][e];
      sum2 += p[1][e];
    }
    double level = 4 * sum1 * sum2 + 2 * sum1 - 1;
    double[] z = logits(p);
    for (int c = 0; c < z.length; c++) {
      z[c] += level;
    }
    return z;
  }

  private static Dime dime(Function<double[][], double[]> f, Boolean centered, OutputKind kind) {
    DimeBuilder b =
        Dime.builder()
            .modality(VectorModality.of("m1", D))
            .modality(VectorModality.of("m2", D))
            .model(
                JavaModels.of(
                    "test",
                    kind == OutputKind.REGRESSION ? 1 : 3,
                    kind,
                    row -> {
                      double[][] parts = {(double[]) row[0], (double[]) row[1]};
                      double[] z = f.apply(parts);
                      return kind == OutputKind.REGRESSION ? new double[] {z[0]} : z;
                    }))
            .referencePool(Fixtures.gaussianPoints("p", 30, 2, D, 31))
            .estimator(Estimators.sampled(8))
            .samples(64)
            .seed(7)
            .batchSize(50);
    if (centered != null) {
      b.centeredScores(centered);
    }
    return b.build();
  }

  private static Explanation explain(Dime d, Datapoint x) {
    return (Explanation) d.explain(x, Targets.classes("0", "1", "2"));
  }

  /** Largest absolute difference between the numbers of two JSON trees of the same shape. */
  private static double maxDiff(JsonNode a, JsonNode b, String at) {
    if (a.isNumber()) {
      assertTrue(b.isNumber(), at);
      double x = a.asDouble();
      double y = b.asDouble();
      if (Double.isNaN(x) || Double.isNaN(y)) {
        assertEquals(Double.isNaN(x), Double.isNaN(y), at);
        return 0;
      }
      return Math.abs(x - y);
    }
    if (a.isContainerNode()) {
      assertEquals(a.size(), b.size(), at);
      double m = 0;
      if (a.isArray()) {
        for (int i = 0; i < a.size(); i++) {
          m = Math.max(m, maxDiff(a.get(i), b.get(i), at + "[" + i + "]"));
        }
      } else {
        for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          assertTrue(b.has(e.getKey()), at + "." + e.getKey());
          m = Math.max(m, maxDiff(e.getValue(), b.get(e.getKey()), at + "." + e.getKey()));
        }
      }
      return m;
    }
    assertEquals(a, b, at);
    return 0;
  }

  private static JsonNode explanationOnly(Explanation e) {
    ObjectNode n = Json.mapper().valueToTree(e);
    n.remove("timings");
    n.remove("provenance");
    return n;
  }

  @Test
  void centredExplanationsDependOnTheProbabilitiesAlone() {
    Datapoint x = Fixtures.gaussianPoints("x", 1, 2, D, 32).get(0);
    Explanation a = explain(dime(CenteredScoresTest::logits, null, OutputKind.LOGITS), x);
    Explanation b = explain(dime(CenteredScoresTest::shifted, true, OutputKind.LOGITS), x);
    // Same seed, same masks and draws: every weight, error, value and fit score agrees up to the
    // rounding of the shift (levels of about 10).
    assertTrue(maxDiff(explanationOnly(a), explanationOnly(b), "$") < 1e-9);
    assertEquals("centered", a.provenance().scores(), "centred is the default");

    // Centred scores sum to 0 over the classes, term by term.
    for (int t = 0; t < a.classes().get(0).decomposition().size(); t++) {
      double sum = 0;
      for (ClassExplanation c : a.classes()) {
        sum += c.decomposition().get(t).value();
      }
      assertEquals(0, sum, 1e-9, "term " + a.classes().get(0).decomposition().get(t).term());
    }
  }

  @Test
  void rawLogitsTakeTheRowLevelIntoTheInteraction() {
    Datapoint x = Fixtures.gaussianPoints("x", 1, 2, D, 32).get(0);
    Explanation a = explain(dime(CenteredScoresTest::logits, false, OutputKind.LOGITS), x);
    Explanation b = explain(dime(CenteredScoresTest::shifted, false, OutputKind.LOGITS), x);
    assertEquals("raw", a.provenance().scores());
    // The level's interaction 4 sum1 sum2 moves the interaction term of every class by the same
    // amount, in the raw scores only.
    double[] moved = new double[3];
    for (int c = 0; c < 3; c++) {
      moved[c] = interaction(b.classes().get(c)) - interaction(a.classes().get(c));
    }
    assertTrue(Math.abs(moved[0]) > 0.5, "the level's interaction shows: " + moved[0]);
    assertEquals(moved[0], moved[1], 1e-9);
    assertEquals(moved[0], moved[2], 1e-9);
  }

  private static double interaction(ClassExplanation c) {
    return c.decomposition().stream()
        .filter(t -> t.term().order() == 2)
        .mapToDouble(TermValue::value)
        .sum();
  }

  @Test
  void centredScoresNeedAClassifier() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> dime(CenteredScoresTest::logits, true, OutputKind.REGRESSION));
    assertEquals(
        "centred scores need a classifier with at least 2 outputs; the model is regression with 1"
            + " output(s)",
        e.getMessage());
    // By default a regression model is explained as it is.
    assertEquals(
        "raw",
        explain1(dime(CenteredScoresTest::logits, null, OutputKind.REGRESSION))
            .provenance()
            .scores());
  }

  private static Explanation explain1(Dime d) {
    return (Explanation)
        d.explain(Fixtures.gaussianPoints("x", 1, 2, D, 32).get(0), Targets.classes("0"));
  }

  @Test
  void onlyTheOutputsAreCentredNotTheChoiceOfClass() {
    Datapoint x = Fixtures.gaussianPoints("x", 1, 2, D, 33).get(0);
    List<String> raw =
        ((Explanation)
                dime(CenteredScoresTest::logits, false, OutputKind.LOGITS)
                    .explain(x, Targets.predicted()))
            .classes().stream().map(ClassExplanation::className).toList();
    List<String> centred =
        ((Explanation)
                dime(CenteredScoresTest::shifted, true, OutputKind.LOGITS)
                    .explain(x, Targets.predicted()))
            .classes().stream().map(ClassExplanation::className).toList();
    assertEquals(raw, centred, "the predicted class is the same argmax");
  }
}
