package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
    return CliFixtures.twoVectorRecordsExplained(model, dir);
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
