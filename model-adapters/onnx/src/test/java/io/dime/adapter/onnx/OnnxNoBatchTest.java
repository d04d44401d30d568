package io.dime.adapter.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.api.ModelException;
import io.dime.spi.ModelAdapter;
import io.dime.spi.PluginConfig;
import org.junit.jupiter.api.Test;

/**
 * A model exported for one example, without a batch dimension (no_batch.onnx: a [3], b [2] -> y
 * [2]; no_batch_one.onnx: ab [5] -> y [2]), is refused when opened, saying that it has no batch
 * dimension and how to export one, rather than taken as a fixed batch of 3 (or 5) scalars.
 */
class OnnxNoBatchTest {
  private static ModelException refusal(String resource) {
    String path = TestModels.path(resource);
    return assertThrows(
        ModelException.class, () -> OnnxModelAdapter.open(path, PluginConfig.of("onnx")));
  }

  @Test
  void inputsOfDifferentFixedFirstDimensionsSayTheModelHasNoBatchDimension() {
    ModelException e = refusal("no_batch.onnx");
    assertEquals(
        "model '"
            + TestModels.path("no_batch.onnx")
            + "' has no batch dimension: DIME feeds rows along the first dimension of every input"
            + " and output, and input 'a' [3] fixes it at 3 where input 'b' [2] fixes it at 2."
            + " Export the model with a batch dimension first in every input and output"
            + " (torch.onnx.export on batched"
            + " example inputs with dynamic_axes={'a': {0: 'batch'}, ...})",
        e.getMessage());
  }

  @Test
  void anOutputWhoseFirstDimensionIsNotTheInputsSaysTheModelHasNoBatchDimension() {
    ModelException e = refusal("no_batch_one.onnx");
    assertEquals(
        "model '"
            + TestModels.path("no_batch_one.onnx")
            + "' has no batch dimension: DIME feeds rows along the first dimension of every input"
            + " and output, and input 'ab' [5] fixes it at 5 where output 'y' [2] fixes it at 2."
            + " Export the model with a batch dimension first in every input and output"
            + " (torch.onnx.export on batched"
            + " example inputs with dynamic_axes={'ab': {0: 'batch'}, ...})",
        e.getMessage());
  }

  @Test
  void aFixedBatchThatTheOutputsShareStillOpens() {
    try (ModelAdapter m =
        OnnxModelAdapter.open(TestModels.path("fixed_batch.onnx"), PluginConfig.of("onnx"))) {
      assertArrayEquals(new long[] {4, 2}, m.signature().output("y").orElseThrow().shape());
    }
  }
}
