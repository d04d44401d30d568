package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scikit-learn classifier exported with default options (a real ONNX model: ONNX-ML's
 * LinearClassifier, then a ZipMap whose output is one map from class label to probability a row),
 * explained from the skeleton {@code inspect-model} writes for it, unchanged: the class names are
 * the model's labels, and each class's output is its centred log-probability (log p minus the mean
 * of the classes' log p: the logit up to softmax's shift), computed here.
 */
class ZipMapModelTest {
  private static final double[][] COEF = {
    {1.0, -0.5, 0.25, 2.0}, {-1.0, 0.5, 1.5, -0.25}, {0.5, 0.5, -1.0, 0.0}
  };
  private static final double[] BIAS = {0.1, -0.2, 0.05};
  private static final List<String> LABELS = List.of("cat", "dog", "eel");

  private static double centredLogProbability(double[] x, int c) {
    double[] logP = new double[3];
    double sum = 0;
    for (int k = 0; k < 3; k++) {
      logP[k] = BIAS[k];
      for (int j = 0; j < 4; j++) {
        logP[k] += COEF[k][j] * x[j];
      }
      sum += Math.exp(logP[k]);
    }
    double mean = 0;
    for (int k = 0; k < 3; k++) {
      logP[k] -= Math.log(sum);
      mean += logP[k] / 3;
    }
    return logP[c] - mean;
  }

  @Test
  void aZipMapClassifierIsExplainedWithItsOwnLabels(@TempDir Path dir) throws Exception {
    Path model = CliFixtures.onnxTestModel("sk_classifier.onnx");
    String[] inspected = InspectModelCommandTest.run("inspect-model", model.toString());
    assertEquals("0", inspected[0], inspected[2]);
    String skeleton = inspected[1];
    assertTrue(skeleton.contains("output: output_probability"), skeleton);
    assertTrue(skeleton.contains("outputKind: probabilities"), skeleton);
    assertTrue(skeleton.contains("classNames: [cat, dog, eel]  # the model's own"), skeleton);
    Files.writeString(dir.resolve("pipeline.yaml"), skeleton);
    double[][] rows = {{1, 0, 0, 1}, {-2, 0.5, 1, -1}, {0.25, 3, 2, 0.5}, {0, 0, 0, 0}};
    StringBuilder manifest = new StringBuilder();
    for (int r = 0; r < rows.length; r++) {
      double[] x = rows[r];
      manifest.append(
          "{\"id\": \"r%d\", \"a\": [%s, %s], \"b\": [%s, %s]}\n"
              .formatted(r, x[0], x[1], x[2], x[3]));
    }
    Files.writeString(dir.resolve("data.jsonl"), manifest);
    Files.writeString(dir.resolve("pool.jsonl"), manifest);
    var run =
        CliFixtures.run(
            CliFixtures.explain(
                model,
                dir,
                "data.jsonl",
                "out",
                "--estimator",
                "exact",
                "--references",
                "4",
                "--classes",
                "all",
                "--quiet"));
    assertEquals(0, run.getKey(), run.getValue());
    List<String> lines = Files.readAllLines(dir.resolve("out/explanations.jsonl"));
    assertEquals(rows.length, lines.size());
    for (String line : lines) {
      JsonNode n = Json.mapper().readTree(line);
      int r = Integer.parseInt(n.path("id").asText().substring(1));
      assertEquals(3, n.path("classes").size(), line);
      for (JsonNode c : n.path("classes")) {
        int k = c.path("classIndex").asInt();
        assertEquals(LABELS.get(k), c.path("className").asText());
        assertEquals(centredLogProbability(rows[r], k), c.path("output").asDouble(), 1e-5, "r" + r);
        double sum = 0;
        for (JsonNode t : c.path("decomposition")) {
          sum += t.path("value").asDouble();
        }
        assertEquals(c.path("output").asDouble(), sum, 1e-9, "additivity r" + r);
      }
    }
  }
}
