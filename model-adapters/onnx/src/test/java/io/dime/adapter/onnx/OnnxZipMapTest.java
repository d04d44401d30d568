package io.dime.adapter.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.ModelAdapter;
import io.dime.spi.PluginConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scikit-learn classifiers as skl2onnx exports them by default: ONNX-ML's LinearClassifier, then a
 * ZipMap whose output is a sequence of maps from class label to probability (real ONNX models made
 * by {@code make_test_models.py}; the probabilities are computed here).
 */
class OnnxZipMapTest {
  /** SK_COEF and SK_BIAS of {@code make_test_models.py}. */
  private static final double[][] COEF = {
    {1.0, -0.5, 0.25, 2.0}, {-1.0, 0.5, 1.5, -0.25}, {0.5, 0.5, -1.0, 0.0}
  };

  private static final double[] BIAS = {0.1, -0.2, 0.05};

  private static OnnxModelAdapter open(String resource, Object... settings) {
    return OnnxModelAdapter.open(TestModels.path(resource), PluginConfig.of("onnx", settings));
  }

  private static float[] softmax(float[] a, float[] b, int rows) {
    float[] out = new float[rows * 3];
    for (int r = 0; r < rows; r++) {
      double[] x = {a[2 * r], a[2 * r + 1], b[2 * r], b[2 * r + 1]};
      double[] z = new double[3];
      double sum = 0;
      for (int c = 0; c < 3; c++) {
        z[c] = BIAS[c];
        for (int j = 0; j < 4; j++) {
          z[c] += COEF[c][j] * x[j];
        }
        z[c] = Math.exp(z[c]);
        sum += z[c];
      }
      for (int c = 0; c < 3; c++) {
        out[r * 3 + c] = (float) (z[c] / sum);
      }
    }
    return out;
  }

  private static Map<String, Tensor> inputs(float[] a, float[] b) {
    int n = a.length / 2;
    return Map.of(
        "a",
        Tensor.ofFloats("a", new long[] {n, 2}, a),
        "b",
        Tensor.ofFloats("b", new long[] {n, 2}, b));
  }

  /**
   * String labels: the maps come back as [batch, 3] in the labels' order, over calls of 2 rows (the
   * last one padded); the labels are the output's class names; the string label output is not
   * returned.
   */
  @Test
  void mapsOfStringLabelsComeBackAsClassScores() {
    try (ModelAdapter m = open("sk_classifier.onnx", "batchSize", 2)) {
      assertEquals(
          List.of(new TensorSpec("output_probability", ElementType.FLOAT32, new long[] {-1, 3})),
          m.signature().outputs());
      assertEquals(Map.of("output_probability", List.of("cat", "dog", "eel")), m.outputLabels());
      assertEquals(
          "SEQUENCE(MAP(STRING,FLOAT))",
          m.modelTypes().get("output_probability"),
          m.modelTypes().toString());
      float[] a = {1f, 0f, -2f, 0.5f, 0.25f, 3f, 0f, 0f, 2f, -1f};
      float[] b = {0f, 1f, 1f, -1f, 2f, 0.5f, 0f, 0f, -0.5f, 4f};
      Tensor p = m.run(inputs(a, b), List.of("output_probability")).get("output_probability");
      assertArrayEquals(new long[] {5, 3}, p.shape());
      assertArrayEquals(softmax(a, b, 5), p.floats(), 1e-6f);
      ModelException e =
          assertThrows(ModelException.class, () -> m.run(inputs(a, b), List.of("output_label")));
      assertTrue(e.getMessage().contains("output 'output_label'"), e.getMessage());
    }
  }

  /** Integer labels 0, 1, 2: the same scores, and the label output is returned as INT64. */
  @Test
  void mapsOfIntegerLabelsComeBackAsClassScores() {
    try (ModelAdapter m = open("sk_classifier_int.onnx")) {
      assertEquals(Map.of("output_probability", List.of("0", "1", "2")), m.outputLabels());
      float[] a = {1f, 0f, -2f, 0.5f};
      float[] b = {0f, 1f, 1f, -1f};
      Map<String, Tensor> out = m.run(inputs(a, b), List.of("output_probability", "output_label"));
      float[] want = softmax(a, b, 2);
      assertArrayEquals(want, out.get("output_probability").floats(), 1e-6f);
      long[] labels = out.get("output_label").longs();
      for (int r = 0; r < 2; r++) {
        float[] row = Arrays.copyOfRange(want, 3 * r, 3 * r + 3);
        int best = 0;
        for (int c = 1; c < 3; c++) {
          best = row[c] > row[best] ? c : best;
        }
        assertEquals(best, labels[r], "row " + r);
      }
    }
  }

  /**
   * The model file's labels are read from the protobuf; a damaged file gives none, never an error.
   */
  @Test
  void labelsAreReadFromTheFileAndDamageGivesNone(@TempDir Path dir) throws Exception {
    byte[] model = Files.readAllBytes(Path.of(TestModels.path("sk_classifier.onnx")));
    assertEquals(
        Map.of("output_probability", List.of("cat", "dog", "eel")), ZipMapLabels.read(model));
    assertEquals(
        Map.of("output_probability", List.of(0L, 1L, 2L)),
        ZipMapLabels.read(Files.readAllBytes(Path.of(TestModels.path("sk_classifier_int.onnx")))));
    assertEquals(Map.of(), ZipMapLabels.read(Path.of(TestModels.path("two_inputs.onnx"))));
    for (int cut = 0; cut < model.length; cut += 7) {
      Path damaged = dir.resolve("cut.onnx");
      Files.write(damaged, Arrays.copyOf(model, cut));
      Map<String, List<Object>> labels = ZipMapLabels.read(damaged);
      assertTrue(labels.isEmpty() || labels.get("output_probability").size() <= 3, "cut " + cut);
      byte[] flipped = model.clone();
      flipped[cut] ^= (byte) 0x5a;
      Files.write(damaged, flipped);
      ZipMapLabels.read(damaged); // must return, whatever it finds
    }
  }
}
