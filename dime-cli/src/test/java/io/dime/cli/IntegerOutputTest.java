package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scikit-learn classifier's predicted label (sk_classifier_int.onnx: output_label INT64 [N]
 * beside its ZipMap's output_probability) is not a score: a pipeline that names it as the output is
 * refused before any work, naming the float output to explain instead; with outputKind regression
 * (integers that are amounts) it is explained as a number.
 */
class IntegerOutputTest {
  private static Map.Entry<Integer, String> explain(Path dir, String kind) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        """
        modalities:
          - {name: a, plugin: vector, settings: {length: 2, input: a}}
          - {name: b, plugin: vector, settings: {length: 2, input: b}}
        output: output_label
        """
            + kind);
    String records =
        """
        {"id": "r0", "a": [1, 2], "b": [0.5, -1]}
        {"id": "r1", "a": [0, 1], "b": [2, 1]}
        {"id": "r2", "a": [-1, 0.5], "b": [0, -2]}
        """;
    Files.writeString(dir.resolve("data.jsonl"), records);
    Files.writeString(dir.resolve("pool.jsonl"), records);
    Path model = CliFixtures.onnxTestModel("sk_classifier_int.onnx");
    return CliFixtures.run(
        CliFixtures.explain(model, dir, "data.jsonl", "out", "--samples", "30", "--quiet"));
  }

  @Test
  void aPredictedLabelIsRefusedNamingTheScoresToExplain(@TempDir Path dir) throws Exception {
    Map.Entry<Integer, String> r = explain(dir, "");
    assertEquals(2, r.getKey(), r.getValue());
    assertTrue(
        r.getValue()
            .contains(
                "output 'output_label' (INT64 [?]) holds integers, as a classifier's predicted"
                    + " class does, and a class index is not a score to decompose: explain the"
                    + " scores it is taken from (the model's float outputs:"
                    + " 'output_probability' [?, 3]) with output: NAME, or set outputKind:"
                    + " regression if the integers are amounts (a count)"),
        r.getValue());
    assertFalse(Files.exists(dir.resolve("out/explanations.jsonl")), "nothing was explained");
  }

  @Test
  void integersDeclaredARegressionAreExplained(@TempDir Path dir) throws Exception {
    Map.Entry<Integer, String> r = explain(dir, "outputKind: regression\n");
    assertEquals(0, r.getKey(), r.getValue());
    assertEquals(3, Files.readAllLines(dir.resolve("out/explanations.jsonl")).size());
  }
}
