package io.dime.adapter.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.spi.ModelAdapter;
import io.dime.spi.PluginConfig;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile values of the adapter's settings (0, negative, past an int, fractions, NaN, 1e300, lists,
 * huge counts) are refused before the model is loaded, naming the setting, the value and what is
 * allowed; never an error of ONNX Runtime's that blames the model.
 */
class OnnxSettingsTest {
  private static ModelAdapter open(String key, Object value) {
    return OnnxModelAdapter.open(
        TestModels.path("two_inputs.onnx"), PluginConfig.of("model onnx:m", key, value));
  }

  static List<Arguments> refused() {
    return List.of(
        Arguments.of("threads", 0, "must be from 1 to 1024"),
        Arguments.of("threads", -1, "must be from 1 to 1024"),
        Arguments.of("threads", 1.5, "must be an integer, found '1.5'"),
        Arguments.of("threads", 2147483648L, "must be an integer from -2147483648 to"),
        Arguments.of("threads", 1e300, "must be an integer from -2147483648 to"),
        Arguments.of("threads", Double.NaN, "must be an integer, found 'NaN'"),
        Arguments.of("threads", "abc", "must be an integer, found 'abc'"),
        Arguments.of("threads", List.of(2), "must be an integer, found '[2]'"),
        // ONNX Runtime tried to make that many threads: "cannot load model ...: std::bad_alloc"
        Arguments.of("threads", 2147483647, "must be from 1 to 1024"),
        Arguments.of("threads", 1025, "must be from 1 to 1024"),
        Arguments.of("concurrency", 0, "must be at least 1, found 0"),
        Arguments.of("concurrency", -1, "must be at least 1, found -1"),
        Arguments.of("concurrency", 0.5, "must be an integer, found '0.5'"),
        Arguments.of("batchSize", -1, "must be 0 (no limit) or positive, found -1"),
        Arguments.of("batchSize", 2.5, "must be an integer, found '2.5'"),
        Arguments.of("timeoutSeconds", 1e300, "does not apply to the onnx adapter"),
        Arguments.of("retries", -1, "does not apply to the onnx adapter"));
  }

  @ParameterizedTest
  @MethodSource
  void refused(String key, Object value, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> open(key, value));
    assertTrue(e.getMessage().startsWith("model onnx:m: setting '" + key + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  static List<Arguments> read() {
    return List.of(
        Arguments.of("threads", "2", 2),
        Arguments.of("threads", 2.0, 2),
        Arguments.of("batchSize", 2147483647, 2147483647),
        Arguments.of("concurrency", 2147483647, 2147483647));
  }

  @ParameterizedTest
  @MethodSource
  void read(String key, Object value, Object recorded) {
    try (ModelAdapter m = open(key, value)) {
      assertEquals(recorded, m.provenance().get(key));
    }
  }
}
