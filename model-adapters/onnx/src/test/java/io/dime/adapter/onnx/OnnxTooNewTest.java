package io.dime.adapter.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ModelException;
import io.dime.spi.PluginConfig;
import org.junit.jupiter.api.Test;

/**
 * A model newer than ONNX Runtime runs (opset_too_new.onnx: ai.onnx opset 30; ir_too_new.onnx: IR
 * version 99) is refused with ONNX Runtime's reason and what to do: export it again at an opset or
 * IR version this ONNX Runtime takes, which the message names.
 */
class OnnxTooNewTest {
  private static String refusal(String resource) {
    String path = TestModels.path(resource);
    return assertThrows(
            ModelException.class, () -> OnnxModelAdapter.open(path, PluginConfig.of("onnx")))
        .getMessage();
  }

  @Test
  void anOpsetNewerThanTheRuntimeSaysWhichToExportAt() {
    String m = refusal("opset_too_new.onnx");
    assertTrue(m.startsWith("ONNX Runtime cannot load model "), m);
    assertTrue(m.contains("Opset 30 is under development"), m);
    assertTrue(
        m.endsWith(
            "; the model uses opset 30 of the standard operators (ai.onnx), newer than this ONNX"
                + " Runtime runs (up to 26): export it again at opset 26 or lower (PyTorch:"
                + " torch.onnx.export(..., opset_version=26)), or convert it"
                + " (onnx.version_converter.convert_version(model, 26))"),
        m);
  }

  @Test
  void anIrVersionNewerThanTheRuntimeSaysWhichToSaveAt() {
    String m = refusal("ir_too_new.onnx");
    assertTrue(m.contains("Unsupported model IR version: 99, max supported IR version: 13"), m);
    assertTrue(
        m.endsWith(
            "; the model file's format (IR version 99) is newer than this ONNX Runtime reads (up"
                + " to 13): save it with an onnx package that writes IR version 13 or lower"),
        m);
  }
}
