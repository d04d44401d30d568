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
 * A model exported with its batch dimension fixed at 1 is explained (one call per row), with a
 * warning that says why it is slow and what to do; a model fixed at 4 or dynamic gets none.
 */
class FixedBatchWarningTest {
  private static final String WARNING = "the model fixes its batch dimension at 1";

  private static String stderrFor(Path dir, Object batch) throws Exception {
    Files.createDirectories(dir);
    Path model =
        new TinyOnnx()
            .input("a", TinyOnnx.FLOAT, batch, 3L)
            .input("b", TinyOnnx.FLOAT, batch, 2L)
            .output("y", TinyOnnx.FLOAT, batch, 2L)
            .node("Identity", "b", "y")
            .write(dir.resolve("model.onnx"));
    Files.writeString(dir.resolve("pipeline.yaml"), CliFixtures.twoVectors(3, 2, "[no, yes]"));
    String records =
        """
        {"id": "r0", "a": [1, 2, 3], "b": [0.5, -1]}
        {"id": "r1", "a": [0, 1, 0], "b": [2, 1]}
        """;
    Files.writeString(dir.resolve("data.jsonl"), records);
    Files.writeString(dir.resolve("pool.jsonl"), records);
    Map.Entry<Integer, String> r =
        CliFixtures.run(
            CliFixtures.explain(model, dir, "data.jsonl", "out", "--samples", "30", "--quiet"));
    assertEquals(0, r.getKey(), r.getValue());
    assertEquals(2, Files.readAllLines(dir.resolve("out/explanations.jsonl")).size());
    return r.getValue();
  }

  @Test
  void aBatchFixedAtOneIsExplainedWithAWarning(@TempDir Path dir) throws Exception {
    String err = stderrFor(dir, 1L);
    assertTrue(err.contains(WARNING + ", so every row is a call of its own"), err);
  }

  @Test
  void otherBatchesAreNot(@TempDir Path dir) throws Exception {
    assertFalse(stderrFor(dir.resolve("four"), 4L).contains(WARNING));
    assertFalse(stderrFor(dir.resolve("any"), "batch").contains(WARNING));
  }
}
