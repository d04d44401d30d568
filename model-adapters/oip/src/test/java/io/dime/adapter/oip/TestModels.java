package io.dime.adapter.oip;

import io.dime.adapter.oip.testserver.OipServerProcess;
import io.dime.api.Tensor;
import io.dime.spi.PluginConfig;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The ONNX test models under src/test/resources (copies of the ONNX adapter's, made by its
 * src/test/python/make_test_models.py, and text_bow_fixed.onnx, made from text_bow.onnx by this
 * module's src/test/python/make_text_fixed.py) and the test server that serves them.
 */
final class TestModels {
  /** W and C of two_inputs.onnx and fixed_batch.onnx: y = concat(a, b) @ W + C. */
  private static final float[][] W = {
    {0.5f, -1.0f}, {0.25f, 2.0f}, {-0.75f, 0.125f}, {1.5f, -0.5f}, {-2.0f, 0.0625f},
  };

  static final float[] C = {0.1f, -0.2f};

  private TestModels() {}

  /**
   * A server with two_inputs, fixed_batch, int_input, int32_input, double_input, bool_input,
   * uint8_input, float16_input, int16_input, half_precision, text_bow, text_bow_fixed, text_rank1
   * and text_pairs, under those names.
   */
  static OipServerProcess server(String... extra) {
    Map<String, Path> models = new LinkedHashMap<>();
    for (String name :
        new String[] {
          "two_inputs",
          "fixed_batch",
          "int_input",
          "int32_input",
          "double_input",
          "bool_input",
          "uint8_input",
          "float16_input",
          "int16_input",
          "half_precision",
          "text_bow",
          "text_bow_fixed",
          "text_rank1",
          "text_pairs"
        }) {
      models.put(name, path(name + ".onnx"));
    }
    return OipServerProcess.start(models, extra);
  }

  static Path path(String resource) {
    URL url = TestModels.class.getResource("/" + resource);
    if (url == null) {
      throw new IllegalStateException("no test resource " + resource);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Settings for the adapter, in alternating keys and values. */
  static PluginConfig config(Object... settings) {
    return PluginConfig.of("model adapter 'oip'", settings);
  }

  /** Inputs a [n, 3] and b [n, 2] with values in [-1, 1). */
  static Map<String, Tensor> linearInputs(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    inputs.put("a", Tensor.ofFloats("a", new long[] {n, 3}, floats(random, n * 3)));
    inputs.put("b", Tensor.ofFloats("b", new long[] {n, 2}, floats(random, n * 2)));
    return inputs;
  }

  /** concat(a, b) @ W + C, computed in Java. */
  static float[] linear(float[] a, float[] b, int n) {
    float[] y = new float[n * 2];
    for (int r = 0; r < n; r++) {
      float[] x = {a[r * 3], a[r * 3 + 1], a[r * 3 + 2], b[r * 2], b[r * 2 + 1]};
      for (int j = 0; j < 2; j++) {
        double s = C[j];
        for (int k = 0; k < 5; k++) {
          s += (double) x[k] * W[k][j];
        }
        y[r * 2 + j] = (float) s;
      }
    }
    return y;
  }

  /** Input ids [n, 4] with values in [0, 1000). */
  static Map<String, Tensor> idInputs(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] ids = new long[n * 4];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = random.nextLong(1000);
    }
    return Map.of("ids", Tensor.ofLongs("ids", new long[] {n, 4}, ids));
  }

  private static float[] floats(SplittableRandom random, int count) {
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return out;
  }
}
