package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model whose scores change from one call to the next (a random layer; dropout left on when it
 * was exported), or whose output for a row depends on the rest of its batch, is explained with a
 * warning that names a pool record, both of its outputs and what to do; a deterministic model of
 * independent rows gets none.
 */
class NondeterministicModelTest {
  private static final String WARNING = "dime: warning: the model is not deterministic";

  private static String stderrFor(Path dir, String op) throws Exception {
    return stderrFor(dir, op, Map.of());
  }

  private static String stderrFor(Path dir, String op, Map<String, Object> attributes)
      throws Exception {
    Files.createDirectories(dir);
    Path model =
        new TinyOnnx()
            .input("a", TinyOnnx.FLOAT, "batch", 3L)
            .input("b", TinyOnnx.FLOAT, "batch", 2L)
            .output("y", TinyOnnx.FLOAT, "batch", 2L)
            .node(op, "b", "y", attributes)
            .write(dir.resolve("model.onnx"));
    return CliFixtures.twoVectorRecordsExplained(model, dir);
  }

  @Test
  void aModelOfRandomScoresIsExplainedWithAWarning(@TempDir Path dir) throws Exception {
    // y = uniform noise of b's shape, drawn anew at every call
    String err = stderrFor(dir, "RandomUniformLike");
    Pattern warning =
        Pattern.compile(
            Pattern.quote(WARNING)
                + ": pool record 'r[01]' got \\S+ and then \\S+ for '(no|yes)' from the same"
                + " input; every explanation measures that noise with the inputs \\(the"
                + " decomposition and the weights alike\\): export the model for inference"
                + " \\(PyTorch: model.eval\\(\\) before torch.onnx.export, so that dropout is off\\),"
                + " or fix its random seed\\n");
    assertTrue(warning.matcher(err).find(), err);
  }

  /**
   * A model whose output for a row depends on the other rows of its call (here a softmax over the
   * batch axis; batch normalisation exported in training mode does so) gets a warning of its own,
   * naming a record's output in a batch and alone.
   */
  @Test
  void aModelThatMixesTheRowsOfABatchIsExplainedWithAWarning(@TempDir Path dir) throws Exception {
    String err = stderrFor(dir, "Softmax", Map.of("axis", 0L));
    assertFalse(err.contains(WARNING), err);
    Pattern warning =
        Pattern.compile(
            Pattern.quote(
                    "dime: warning: the model's output for a row depends on the other rows of its"
                        + " call: pool record 'r")
                + "[01]' got \\S+ in a call of 2 rows and \\S+ alone for '(no|yes)' from the same"
                + " input; DIME calls the model on batches of perturbed rows, so every explanation"
                + " mixes them: export the model for inference \\(PyTorch: model.eval\\(\\) before"
                + " torch.onnx.export, so that batch normalisation uses its running statistics\\),"
                + " or run with --batch-size 1 \\(slower\\)\\n");
    assertTrue(warning.matcher(err).find(), err);
  }

  @Test
  void aDeterministicModelIsNot(@TempDir Path dir) throws Exception {
    String err = stderrFor(dir, "Identity");
    assertFalse(err.contains(WARNING), err);
    assertFalse(err.contains("depends on the other rows"), err);
  }
}
