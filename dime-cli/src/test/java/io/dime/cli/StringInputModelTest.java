package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that takes the text itself (a real ONNX bag-of-words pipeline as scikit-learn exports
 * them: a STRING input, ONNX Runtime's string operators, a linear layer, next to a float input),
 * explained from the skeleton {@code inspect-model} writes for it, unchanged. The model is additive
 * in its two inputs and linear in word counts, so the exact estimator's terms are known in closed
 * form, and the text's surrogate weights are the words' weights.
 */
class StringInputModelTest {
  /** The vocabulary and weights of {@code make_test_models.py} (text_bow.onnx). */
  private static final List<String> WORDS =
      List.of("good", "bad", "movie", "plot", "great", "boring");

  private static final double[][] WORDS_W = {
    {1.0, -1.0}, {-2.0, 2.0}, {0.25, 0.5}, {0.125, -0.25}, {3.0, -1.5}, {-1.0, 0.75}
  };
  private static final double[][] V = {{0.5, -0.5}, {-0.25, 1.0}};
  private static final double[] C = {0.1, -0.2};

  /** Class 0 of the two centred logits, (l0 - l1) / 2, from the text alone. */
  private static double textPart(String text) {
    double s = 0;
    for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
      int i = WORDS.indexOf(word);
      if (i >= 0) {
        s += (WORDS_W[i][0] - WORDS_W[i][1]) / 2;
      }
    }
    return s;
  }

  private static double numPart(double[] num) {
    double s = (C[0] - C[1]) / 2;
    for (int j = 0; j < 2; j++) {
      s += num[j] * (V[j][0] - V[j][1]) / 2;
    }
    return s;
  }

  /**
   * The records of {@code manifest} explained by the exact estimator over themselves as the pool
   * (four references: every record), class 0.
   */
  private static Map<String, CliFixtures.Explained> explainExactly(
      Path model, Path dir, CharSequence manifest) throws java.io.IOException {
    Files.writeString(dir.resolve("data.jsonl"), manifest);
    Files.writeString(dir.resolve("pool.jsonl"), manifest);
    return CliFixtures.explained(
        model,
        dir,
        "data.jsonl",
        "--estimator",
        "exact",
        "--references",
        "4",
        "--classes",
        "0",
        "--quiet");
  }

  @Test
  void aModelTakingTheTextItselfIsExplainedFromItsSkeleton(@TempDir Path dir) throws Exception {
    Path model = CliFixtures.onnxTestModel("text_bow.onnx");
    String[] inspected = InspectModelCommandTest.run("inspect-model", model.toString());
    assertEquals("0", inspected[0], inspected[2]);
    String skeleton = inspected[1];
    assertTrue(skeleton.contains("#   text    STRING"), skeleton);
    assertTrue(skeleton.contains("      encoder: string  #"), skeleton);
    assertTrue(skeleton.contains("      inputName: text\n"), skeleton);
    assertTrue(!skeleton.contains("attentionMask") && !skeleton.contains("vocab"), skeleton);
    Files.writeString(dir.resolve("pipeline.yaml"), skeleton);
    Map<String, String> texts = new HashMap<>();
    texts.put("r1", "Good movie, GOOD plot!");
    texts.put("r2", "A boring movie with a bad plot");
    texts.put("r3", "great great fun \uD83D\uDE00");
    texts.put("r4", "nothing in the vocabulary here");
    Map<String, double[]> nums =
        Map.of(
            "r1", new double[] {1, 2},
            "r2", new double[] {-1, 0.5},
            "r3", new double[] {0, 0},
            "r4", new double[] {2, -2});
    StringBuilder manifest = new StringBuilder();
    for (String id : List.of("r1", "r2", "r3", "r4")) {
      double[] n = nums.get(id);
      manifest.append(
          Json.mapper()
                  .writeValueAsString(
                      Map.of("id", id, "text", texts.get(id), "num", List.of(n[0], n[1])))
              + "\n");
    }
    Map<String, CliFixtures.Explained> got = explainExactly(model, dir, manifest);
    double textMean = 0;
    double numMean = 0;
    for (String id : texts.keySet()) {
      textMean += textPart(texts.get(id)) / 4;
      numMean += numPart(nums.get(id)) / 4;
    }
    for (String id : texts.keySet()) {
      CliFixtures.Explained x = got.get(id);
      double t = textPart(texts.get(id));
      double n = numPart(nums.get(id));
      assertEquals(t + n, x.output(), 1e-5, id);
      assertEquals(textMean + numMean, x.terms().get("gE"), 1e-5, id);
      assertEquals(t - textMean, x.terms().get("g1"), 1e-5, id);
      assertEquals(n - numMean, x.terms().get("g2"), 1e-5, id);
      assertEquals(0, x.terms().get("g12"), 1e-5, id);
    }
    // r1's words: Good movie , GOOD plot ! -- each occurrence weighs its word's weight
    double[] expected = {1.0, -0.125, 0, 1.0, 0.1875, 0};
    JsonNode r1 =
        Json.mapper().readTree(Files.readAllLines(dir.resolve("out/explanations.jsonl")).get(0));
    assertEquals("r1", r1.path("id").asText());
    JsonNode text = r1.path("classes").get(0).path("modalities").get(0);
    assertEquals(
        "[\"Good@0\",\"movie@5\",\",@10\",\"GOOD@12\",\"plot@17\",\"!@21\"]",
        text.path("featureNames").toString());
    JsonNode weights = text.path("fits").get(0).path("weights");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], weights.get(i).asDouble(), 0.03, "weight " + i);
    }
  }

  /** COLUMNS_W, COLORS and COLOR_W of {@code make_test_models.py} (text_columns.onnx). */
  private static final double[][] COLUMNS_W = {{0.5, -0.5}, {-0.25, 0.75}, {2.0, 1.0}};

  private static final List<String> COLORS = List.of("red", "green", "blue");
  private static final double[][] COLOR_W = {{1.0, 0.0}, {0.0, 1.5}, {-1.0, -0.5}};

  /** Class 0's centred logit from the table's columns: age, rooms, score and color. */
  private static double columnsPart(List<Object> row) {
    double s = (C[0] - C[1]) / 2;
    for (int j = 0; j < 3; j++) {
      s += ((Number) row.get(j)).doubleValue() * (COLUMNS_W[j][0] - COLUMNS_W[j][1]) / 2;
    }
    int color = COLORS.indexOf((String) row.get(3));
    return s + (COLOR_W[color][0] - COLOR_W[color][1]) / 2;
  }

  /**
   * A scikit-learn model over a table (a text column, then a number, an integer, a category and
   * another number column, each an input of its own; the category one-hot encoded so that an
   * unknown one fails the model): the skeleton makes the four columns one table modality, not four
   * modalities; a hidden category takes the pool's most frequent, which the model knows. Records
   * give the row as an object keyed by column or as an array.
   */
  @Test
  void aTableOfColumnsIsOneModality(@TempDir Path dir) throws Exception {
    Path model = CliFixtures.onnxTestModel("text_columns.onnx");
    String[] inspected = InspectModelCommandTest.run("inspect-model", model.toString());
    assertEquals("0", inspected[0], inspected[2]);
    String skeleton = inspected[1];
    assertTrue(skeleton.contains("  - name: columns\n    plugin: table"), skeleton);
    assertTrue(
        skeleton.contains(
            "      columns: [age, {name: rooms, type: integer}, {name: color, type: category},"
                + " score]  #"),
        skeleton);
    assertTrue(skeleton.contains("  - name: text\n    plugin: text"), skeleton);
    assertEquals(2, skeleton.split("\n  - name: ").length - 1, skeleton);
    Files.writeString(dir.resolve("pipeline.yaml"), skeleton);
    Map<String, String> texts =
        Map.of("r1", "Good movie", "r2", "a bad plot", "r3", "great", "r4", "none");
    Map<String, List<Object>> rows =
        Map.of(
            "r1", List.of(30, 2, 1.5, "red"),
            "r2", List.of(45, 3, 0.25, "blue"),
            "r3", List.of(18, 1, 3, "green"),
            "r4", List.of(60, 3, -0.5, "blue"));
    StringBuilder manifest = new StringBuilder();
    for (String id : List.of("r1", "r2", "r3", "r4")) {
      List<Object> r = rows.get(id);
      Object columns =
          id.equals("r2")
              ? List.of(r.get(0), r.get(1), r.get(3), r.get(2)) // the skeleton's column order
              : Map.of("score", r.get(2), "age", r.get(0), "rooms", r.get(1), "color", r.get(3));
      manifest.append(
          Json.mapper()
                  .writeValueAsString(Map.of("id", id, "text", texts.get(id), "columns", columns))
              + "\n");
    }
    Map<String, CliFixtures.Explained> got = explainExactly(model, dir, manifest);
    double textMean = 0;
    double colsMean = 0;
    for (String id : texts.keySet()) {
      textMean += textPart(texts.get(id)) / 4;
      colsMean += columnsPart(rows.get(id)) / 4;
    }
    for (String id : texts.keySet()) {
      CliFixtures.Explained x = got.get(id);
      double t = textPart(texts.get(id));
      double c = columnsPart(rows.get(id));
      assertEquals(t + c, x.output(), 1e-4, id);
      assertEquals(t - textMean, x.terms().get("g1"), 1e-4, id);
      assertEquals(c - colsMean, x.terms().get("g2"), 1e-4, id);
      assertEquals(0, x.terms().get("g12"), 1e-4, id);
    }
    JsonNode r1 =
        Json.mapper().readTree(Files.readAllLines(dir.resolve("out/explanations.jsonl")).get(0));
    assertEquals("r1", r1.path("id").asText());
    JsonNode columns = r1.path("classes").get(0).path("modalities").get(1);
    assertEquals(
        "[\"age\",\"rooms\",\"color\",\"score\"]", columns.path("featureNames").toString());
    // r1's color, red, against the pool's most frequent, blue: (1 - 0) / 2 - (-1 + 0.5) / 2
    JsonNode weights = columns.path("fits").get(0).path("weights");
    assertEquals(0.75, weights.get(2).asDouble(), 0.03, weights.toString());
  }
}
