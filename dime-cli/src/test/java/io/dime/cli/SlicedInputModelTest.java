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
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two modalities filling one model input, each a slice of it ({@code features[0:3]} and {@code
 * features[3:5]}), as a model over concatenated embeddings takes them. The real ONNX model returns
 * its input, so with raw scores class k is feature k: classes 0 to 2 belong to the first modality
 * alone and 3 to 4 to the second, and with every pool record as a reference the decomposition is
 * known exactly. Slices that leave a gap are refused naming it.
 */
class SlicedInputModelTest {
  private static final String PIPELINE =
      """
      modalities:
        - name: a
          plugin: vector
          settings: {length: 3, input: "features[0:3]"}
        - name: b
          plugin: vector
          settings: {length: 2, input: "features[3:5]"}
      output: out
      """;

  @Test
  void eachSliceIsItsModalitysPartOfTheInput(@TempDir Path dir) throws Exception {
    Path model = identity(dir, 5);
    Files.writeString(dir.resolve("pipeline.yaml"), PIPELINE);
    SplittableRandom rng = new SplittableRandom(9);
    Map<String, double[]> rows = new HashMap<>();
    StringBuilder manifest = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      double[] x = new double[5];
      for (int k = 0; k < 5; k++) {
        x[k] = Math.round(rng.nextDouble(-5, 5) * 100) / 100.0;
      }
      rows.put("r" + i, x);
      manifest.append(
          String.format(
              Locale.ROOT,
              "{\"id\": \"r%d\", \"a\": [%.2f, %.2f, %.2f], \"b\": [%.2f, %.2f]}%n",
              i,
              x[0],
              x[1],
              x[2],
              x[3],
              x[4]));
    }
    Files.writeString(dir.resolve("data.jsonl"), manifest.toString());
    Files.writeString(dir.resolve("pool.jsonl"), manifest.toString());
    Map.Entry<Integer, String> r =
        CliFixtures.run(
            CliFixtures.explain(
                model,
                dir,
                "data.jsonl",
                "out",
                "--estimator",
                "exact",
                "--references",
                "6",
                "--classes",
                "all",
                "--scores",
                "raw",
                "--samples",
                "50",
                "--quiet"));
    assertEquals(0, r.getKey(), r.getValue());
    double[] poolMean = new double[5];
    rows.values().forEach(x -> java.util.Arrays.setAll(poolMean, k -> poolMean[k] + x[k] / 6));
    List<String> lines = Files.readAllLines(dir.resolve("out/explanations.jsonl"));
    assertEquals(6, lines.size());
    for (String line : lines) {
      JsonNode n = Json.mapper().readTree(line);
      double[] x = rows.get(n.path("id").asText());
      assertEquals(5, n.path("classes").size());
      for (JsonNode c : n.path("classes")) {
        int k = c.path("classIndex").asInt();
        assertEquals(x[k], c.path("output").asDouble(), 1e-5);
        Map<String, Double> terms = new HashMap<>();
        c.path("decomposition")
            .forEach(t -> terms.put(t.path("key").asText(), t.path("value").asDouble()));
        assertEquals(poolMean[k], terms.get("gE"), 1e-5, "bias of class " + k);
        assertEquals(k < 3 ? x[k] - poolMean[k] : 0, terms.get("g1"), 1e-5, "UC a, class " + k);
        assertEquals(k < 3 ? 0 : x[k] - poolMean[k], terms.get("g2"), 1e-5, "UC b, class " + k);
        assertEquals(0, terms.get("g12"), 1e-5, "MI, class " + k);
      }
    }
    JsonNode provenance = Json.mapper().readTree(lines.get(0)).path("provenance");
    assertEquals(
        "{\"features\":[\"features[0:3]\",\"features[3:5]\"]}",
        provenance.at("/model/slicedInputs").toString());
  }

  @Test
  void slicesThatLeaveAGapAreRefused(@TempDir Path dir) throws Exception {
    Path model = identity(dir, 6);
    Files.writeString(dir.resolve("pipeline.yaml"), PIPELINE);
    Files.writeString(
        dir.resolve("data.jsonl"), "{\"id\": \"r\", \"a\": [1, 2, 3], \"b\": [4, 5]}\n");
    Files.writeString(
        dir.resolve("pool.jsonl"), "{\"id\": \"r\", \"a\": [1, 2, 3], \"b\": [4, 5]}\n");
    Map.Entry<Integer, String> r =
        CliFixtures.run(CliFixtures.explain(model, dir, "data.jsonl", "out", "--quiet"));
    assertEquals(2, r.getKey(), r.getValue());
    assertTrue(
        r.getValue()
            .contains("the slices of input 'features' end at 5, but its last dimension is 6"),
        r.getValue());
  }

  /** A real ONNX model returning its one input, features [batch, width], as out. */
  private static Path identity(Path dir, long width) throws java.io.IOException {
    return new TinyOnnx()
        .input("features", TinyOnnx.FLOAT, "batch", width)
        .output("out", TinyOnnx.FLOAT, "batch", width)
        .node("Identity", "features", "out")
        .write(dir.resolve("concat.onnx"));
  }
}
