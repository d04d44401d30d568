package io.dime.adapter.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelSignature;
import io.dime.spi.PluginConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the contract does not cover: exact numbers, fixed batches, types, messages, settings. */
class OnnxModelAdapterTest {
  private static final float EPS = 1e-5f;

  private static OnnxModelAdapter open(String resource, Object... settings) {
    return OnnxModelAdapter.open(TestModels.path(resource), PluginConfig.of("onnx", settings));
  }

  @Test
  void signatureIsReadFromTheModel() {
    try (ModelAdapter m = open("two_inputs.onnx")) {
      assertEquals(
          new ModelSignature(
              List.of(
                  new TensorSpec("a", ElementType.FLOAT32, new long[] {-1, 3}),
                  new TensorSpec("b", ElementType.FLOAT32, new long[] {-1, 2})),
              List.of(new TensorSpec("y", ElementType.FLOAT32, new long[] {-1, 2}))),
          m.signature());
      assertEquals(Map.of(), m.modelTypes(), "every tensor is fed as it is");
    }
    try (ModelAdapter m = open("fixed_batch.onnx")) {
      assertArrayEquals(new long[] {4, 3}, m.signature().input("a").orElseThrow().shape());
      assertArrayEquals(new long[] {4, 2}, m.signature().output("y").orElseThrow().shape());
    }
    try (ModelAdapter m = open("int_input.onnx")) {
      assertEquals(
          new ModelSignature(
              List.of(new TensorSpec("ids", ElementType.INT64, new long[] {-1, 4})),
              List.of(new TensorSpec("s", ElementType.FLOAT32, new long[] {-1, 1}))),
          m.signature());
    }
  }

  @Test
  void computesTheKnownLinearFunction() {
    int n = 6;
    Map<String, Tensor> inputs = TestModels.linearInputs(n, 7);
    float[] expected = TestModels.linear(inputs.get("a").floats(), inputs.get("b").floats(), n);
    try (ModelAdapter m = open("two_inputs.onnx")) {
      Tensor y = m.run(inputs, List.of("y")).get("y");
      assertEquals("y", y.name());
      assertArrayEquals(new long[] {n, 2}, y.shape());
      assertArrayEquals(expected, y.floats(), EPS);
    }
  }

  @Test
  void computesAHandCheckedRow() {
    // x = [1, 2, 3, 4, 5]: y0 = 0.5 + 0.5 - 2.25 + 6 - 10 + 0.1, y1 = -1 + 4 + 0.375 - 2 + 0.3125 -
    // 0.2
    Map<String, Tensor> inputs =
        Map.of(
            "a", Tensor.ofFloats("a", new long[] {1, 3}, new float[] {1, 2, 3}),
            "b", Tensor.ofFloats("b", new long[] {1, 2}, new float[] {4, 5}));
    try (ModelAdapter m = open("two_inputs.onnx")) {
      assertArrayEquals(
          new float[] {-5.15f, 1.4875f}, m.run(inputs, List.of("y")).get("y").floats(), EPS);
    }
  }

  @ParameterizedTest(name = "{0} rows")
  @ValueSource(ints = {1, 4, 9})
  void fixedBatchModelTakesAnyNumberOfRows(int n) {
    Map<String, Tensor> inputs = TestModels.linearInputs(n, 11 + n);
    float[] expected = TestModels.linear(inputs.get("a").floats(), inputs.get("b").floats(), n);
    try (ModelAdapter m = open("fixed_batch.onnx")) {
      Tensor y = m.run(inputs, List.of("y")).get("y");
      assertArrayEquals(new long[] {n, 2}, y.shape());
      assertArrayEquals(expected, y.floats(), EPS);
    }
  }

  @ParameterizedTest(name = "batchSize {0}")
  @ValueSource(ints = {1, 3, 7, 50})
  void configuredBatchSizeSplitsRowsWithoutChangingResults(int batchSize) {
    int n = 7;
    Map<String, Tensor> inputs = TestModels.linearInputs(n, 5);
    float[] expected = TestModels.linear(inputs.get("a").floats(), inputs.get("b").floats(), n);
    try (ModelAdapter m = open("two_inputs.onnx", "batchSize", batchSize)) {
      assertArrayEquals(expected, m.run(inputs, List.of("y")).get("y").floats(), EPS);
      assertEquals(batchSize, m.provenance().get("batchSize"));
    }
    // a fixed batch dimension wins over a configured batch size
    try (ModelAdapter m = open("fixed_batch.onnx", "batchSize", batchSize)) {
      assertArrayEquals(expected, m.run(inputs, List.of("y")).get("y").floats(), EPS);
    }
  }

  @Test
  void sumsInt64Inputs() {
    long[] ids = {1, 2, 3, 4, 10, 20, 30, 40, 0, 0, 0, -7};
    Map<String, Tensor> inputs = Map.of("ids", Tensor.ofLongs("ids", new long[] {3, 4}, ids));
    try (ModelAdapter m = open("int_input.onnx")) {
      Tensor s = m.run(inputs, List.of("s")).get("s");
      assertEquals(ElementType.FLOAT32, s.type());
      assertArrayEquals(new long[] {3, 1}, s.shape());
      assertArrayEquals(new float[] {10, 100, -7}, s.floats(), 0f);
    }
  }

  @Test
  void convertsDoubleAndInt32OutputsAndRefusesOthers() {
    Map<String, Tensor> inputs =
        Map.of("x", Tensor.ofFloats("x", new long[] {2, 2}, new float[] {1.5f, -2.25f, 0, 3}));
    try (ModelAdapter m = open("other_types.onnx")) {
      assertEquals(
          List.of(
              new TensorSpec("d", ElementType.FLOAT32, new long[] {-1, 2}),
              new TensorSpec("i", ElementType.INT64, new long[] {-1, 2})),
          m.signature().outputs());
      Map<String, Tensor> out = m.run(inputs, List.of("i", "d"));
      assertEquals(List.of("i", "d"), new ArrayList<>(out.keySet()));
      assertArrayEquals(new float[] {1.5f, -2.25f, 0, 3}, out.get("d").floats(), 0f);
      assertArrayEquals(new long[] {1, -2, 0, 3}, out.get("i").longs());
      ModelException e = assertThrows(ModelException.class, () -> m.run(inputs, List.of("flag")));
      assertTrue(e.getMessage().contains("output 'flag'"), e.getMessage());
      assertTrue(e.getMessage().contains("BOOL"), e.getMessage());
    }
  }

  @Test
  void unsupportedInputTypeFailsAtOpen() {
    String path = TestModels.path("int16_input.onnx");
    ModelException e =
        assertThrows(
            ModelException.class, () -> OnnxModelAdapter.open(path, PluginConfig.empty("onnx")));
    assertTrue(e.getMessage().contains(path), e.getMessage());
    assertTrue(e.getMessage().contains("input 'n'"), e.getMessage());
    assertTrue(e.getMessage().contains("INT16"), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains("FLOAT, DOUBLE, FLOAT16, BFLOAT16, UINT8, INT64, INT32, BOOL and STRING"),
        e.getMessage());
  }

  /** A BOOL input (a boolean attention mask) takes DIME's INT64 0 and 1; any other value fails. */
  @Test
  void boolInputIsFedFromZeroOrOne() {
    try (ModelAdapter m = open("bool_input.onnx", "batchSize", 2)) {
      assertEquals(
          List.of(new TensorSpec("flag", ElementType.INT64, new long[] {-1, 1})),
          m.signature().inputs());
      Tensor f =
          m.run(
                  Map.of("flag", Tensor.ofLongs("flag", new long[] {3, 1}, new long[] {1, 0, 1})),
                  List.of("f"))
              .get("f");
      assertArrayEquals(new float[] {1, 0, 1}, f.floats(), 0f);
      ModelException e =
          assertThrows(
              ModelException.class,
              () ->
                  m.run(
                      Map.of("flag", Tensor.ofLongs("flag", new long[] {2, 1}, new long[] {0, 2})),
                      List.of("f")));
      assertTrue(
          e.getMessage().contains("input 'flag' is BOOL, but row 1 holds 2, outside 0 or 1"),
          e.getMessage());
    }
  }

  /**
   * A UINT8 input (the pixels of an image model exported from TensorFlow) takes DIME's FLOAT32
   * tensors, rounded to the nearest integer when fed (a blurred or resized pixel is not a whole
   * number); a value outside 0 to 255, or NaN, fails the call naming the input and the row, and the
   * adapter goes on serving. The 5 rows go in calls of 4 and 1.
   */
  @Test
  void uint8InputIsFedRoundedFromFloat32() {
    try (ModelAdapter m = open("uint8_input.onnx", "batchSize", 4)) {
      assertEquals(
          List.of(new TensorSpec("px", ElementType.FLOAT32, new long[] {-1, 2})),
          m.signature().inputs());
      assertEquals(Map.of("px", "UINT8"), m.modelTypes());
      float[] px = {0f, 255f, 254.6f, 0.49f, 255.4f, -0.4f, 127.5f, 3f, 17.2f, 200f};
      Tensor f =
          m.run(Map.of("px", Tensor.ofFloats("px", new long[] {5, 2}, px)), List.of("f")).get("f");
      assertArrayEquals(new float[] {0, 255, 255, 0, 255, 0, 128, 3, 17, 200}, f.floats(), 0f);
      for (float bad : new float[] {256f, -0.6f, Float.NaN}) {
        ModelException e =
            assertThrows(
                ModelException.class,
                () ->
                    m.run(
                        Map.of(
                            "px",
                            Tensor.ofFloats("px", new long[] {2, 2}, new float[] {1, 2, 3, bad})),
                        List.of("f")));
        assertTrue(
            e.getMessage()
                .contains("input 'px' is UINT8, but row 1 holds " + bad + ", outside 0 to 255"),
            e.getMessage());
      }
      Tensor again =
          m.run(
                  Map.of("px", Tensor.ofFloats("px", new long[] {1, 2}, new float[] {9, 10})),
                  List.of("f"))
              .get("f");
      assertArrayEquals(new float[] {9, 10}, again.floats(), 0f);
    }
  }

  /**
   * An INT32 input (token ids of a model exported from TensorFlow) takes DIME's INT64 tensors,
   * narrowed when fed; a value int32 cannot hold fails the call naming the input and the row, and
   * the adapter goes on serving. The fixed-batch padding path narrows too.
   */
  @Test
  void int32InputIsFedFromInt64() {
    try (ModelAdapter m = open("int32_input.onnx")) {
      assertEquals(
          List.of(new TensorSpec("n", ElementType.INT64, new long[] {-1, 1})),
          m.signature().inputs());
      assertEquals(Map.of("n", "INT32"), m.modelTypes());
      long[] ids = {3, -7, Integer.MAX_VALUE, Integer.MIN_VALUE};
      Tensor f =
          m.run(Map.of("n", Tensor.ofLongs("n", new long[] {4, 1}, ids)), List.of("f")).get("f");
      assertArrayEquals(new float[] {3, -7, Integer.MAX_VALUE, Integer.MIN_VALUE}, f.floats(), 0f);
      ModelException e =
          assertThrows(
              ModelException.class,
              () ->
                  m.run(
                      Map.of(
                          "n", Tensor.ofLongs("n", new long[] {3, 1}, new long[] {1, 2, 1L << 31})),
                      List.of("f")));
      assertTrue(e.getMessage().contains("input 'n' is INT32"), e.getMessage());
      assertTrue(e.getMessage().contains("row 2 holds 2147483648"), e.getMessage());
      Tensor again =
          m.run(Map.of("n", Tensor.ofLongs("n", new long[] {1, 1}, new long[] {5})), List.of("f"))
              .get("f");
      assertArrayEquals(new float[] {5}, again.floats(), 0f);
    }
  }

  /** A DOUBLE input (common in scikit-learn exports) takes FLOAT32 tensors, widened exactly. */
  @Test
  void doubleInputIsFedFromFloat32() {
    try (ModelAdapter m = open("double_input.onnx", "batchSize", 2)) {
      assertEquals(
          List.of(new TensorSpec("x", ElementType.FLOAT32, new long[] {-1, 2})),
          m.signature().inputs());
      float[] x = {0.1f, -2.5f, 1e30f, 7f, 1.25f, -0f};
      Tensor y =
          m.run(Map.of("x", Tensor.ofFloats("x", new long[] {3, 2}, x)), List.of("y")).get("y");
      float[] want = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        want[i] = (float) ((double) x[i] * 3.0); // computed in double, as the model does
      }
      assertArrayEquals(want, y.floats(), 0f);
    }
  }

  @Test
  void textFileNamedOnnxFailsNamingThePath(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("model.onnx");
    Files.writeString(file, "this is a text file, not an ONNX model\n");
    ModelException e =
        assertThrows(
            ModelException.class,
            () -> new OnnxModelAdapterFactory().open(file.toString(), PluginConfig.empty("onnx")));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void missingFileAndDirectoryFailNamingThePath(@TempDir Path dir) {
    String missing = dir.resolve("nope.onnx").toString();
    ModelException e =
        assertThrows(
            ModelException.class, () -> OnnxModelAdapter.open(missing, PluginConfig.empty("onnx")));
    assertEquals("model file '" + missing + "' does not exist", e.getMessage());
    e =
        assertThrows(
            ModelException.class,
            () -> OnnxModelAdapter.open(dir.toString(), PluginConfig.empty("onnx")));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
  }

  /** An empty file says so (it read ONNX Runtime's "ModelProto does not have a graph"). */
  @Test
  void anEmptyFileSaysItIsEmpty(@TempDir Path dir) throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.onnx"));
    ModelException e =
        assertThrows(
            ModelException.class,
            () -> OnnxModelAdapter.open(empty.toString(), PluginConfig.empty("onnx")));
    assertEquals("model file '" + empty + "' is empty (0 bytes)", e.getMessage());
  }

  @Test
  void messagesNameExpectedAndFound() {
    try (ModelAdapter m = open("two_inputs.onnx")) {
      Map<String, Tensor> ok = TestModels.linearInputs(4, 1);
      Tensor b = ok.get("b");

      Map<String, Tensor> extra = new java.util.LinkedHashMap<>(ok);
      extra.put("d3", b);
      assertEquals(
          "unknown input 'd3'; model inputs: [a, b]", message(() -> m.run(extra, List.of("y"))));

      assertEquals(
          "missing input 'b'; model inputs: [a, b]",
          message(() -> m.run(Map.of("a", ok.get("a")), List.of("y"))));

      Tensor wide = Tensor.ofFloats("a", new long[] {4, 4}, new float[16]);
      assertEquals(
          "input 'a': expected shape [?, 3] (? = any size), found [4, 4]",
          message(() -> m.run(Map.of("a", wide, "b", b), List.of("y"))));

      Tensor flat = Tensor.ofFloats("a", new long[] {12}, new float[12]);
      assertEquals(
          "input 'a': expected shape [?, 3] (? = any size), found [12]",
          message(() -> m.run(Map.of("a", flat, "b", b), List.of("y"))));

      Tensor longs = Tensor.ofLongs("b", new long[] {4, 2}, new long[8]);
      assertEquals(
          "input 'b': expected element type FLOAT32, found INT64",
          message(() -> m.run(Map.of("a", ok.get("a"), "b", longs), List.of("y"))));

      Tensor threeRows = Tensor.ofFloats("b", new long[] {3, 2}, new float[6]);
      assertEquals(
          "inputs disagree on the batch size: 'a' has 4 rows, 'b' has 3",
          message(() -> m.run(Map.of("a", ok.get("a"), "b", threeRows), List.of("y"))));

      assertEquals(
          "unknown output 'z'; model outputs: [y]", message(() -> m.run(ok, List.of("y", "z"))));
    }
    try (ModelAdapter m = open("fixed_batch.onnx")) {
      Tensor wide = Tensor.ofFloats("a", new long[] {9, 4}, new float[36]);
      Tensor b = Tensor.ofFloats("b", new long[] {9, 2}, new float[18]);
      assertEquals(
          "input 'a': expected shape [?, 3] (? = any size), found [9, 4]",
          message(() -> m.run(Map.of("a", wide, "b", b), List.of("y"))));
    }
  }

  @Test
  void emptyRequestsAndEmptyBatches() {
    try (ModelAdapter m = open("fixed_batch.onnx")) {
      assertEquals(Map.of(), m.run(TestModels.linearInputs(2, 3), List.of()));
      Tensor y = m.run(TestModels.linearInputs(0, 3), List.of("y")).get("y");
      assertArrayEquals(new long[] {0, 2}, y.shape());
      assertEquals(0, y.size());
      Map<String, Tensor> out = m.run(TestModels.linearInputs(2, 3), List.of("y", "y"));
      assertEquals(1, out.size());
    }
  }

  @Test
  void provenanceRecordsFileRuntimeAndSettings() {
    String path = TestModels.path("two_inputs.onnx");
    try (ModelAdapter m = open("two_inputs.onnx", "threads", 2)) {
      Map<String, Object> p = m.provenance();
      assertEquals("onnx", p.get("adapter"));
      assertEquals(path, p.get("location"));
      assertEquals(64, p.get("sha256").toString().length());
      assertEquals("1.28.0", p.get("onnxruntime"));
      assertEquals(2, p.get("threads"));
      assertEquals(0, p.get("batchSize"));
    }
    try (ModelAdapter m = open("two_inputs.onnx")) {
      assertEquals(Runtime.getRuntime().availableProcessors(), m.provenance().get("threads"));
    }
  }

  @Test
  void settingsAreChecked() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> open("two_inputs.onnx", "thread", 2));
    assertTrue(e.getMessage().contains("'thread'"), e.getMessage());
    assertTrue(e.getMessage().contains("[batchSize, concurrency, threads]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> open("two_inputs.onnx", "threads", 0));
    assertTrue(e.getMessage().contains("'threads'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> open("two_inputs.onnx", "batchSize", -1));
    assertTrue(e.getMessage().contains("'batchSize'"), e.getMessage());
  }

  @Test
  void concurrencyIsAcceptedAndServedModelSettingsAreRefusedSayingWhy() {
    Map<String, Tensor> inputs = TestModels.linearInputs(5, 4);
    float[] expected = TestModels.linear(inputs.get("a").floats(), inputs.get("b").floats(), 5);
    try (ModelAdapter m = open("two_inputs.onnx", "concurrency", 2)) {
      assertArrayEquals(expected, m.run(inputs, List.of("y")).get("y").floats(), EPS);
      assertEquals(2, m.provenance().get("concurrency"));
    }
    try (ModelAdapter m = open("two_inputs.onnx")) {
      assertFalse(m.provenance().containsKey("concurrency"), "not set, not recorded");
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> open("two_inputs.onnx", "concurrency", 0));
    assertTrue(e.getMessage().contains("'concurrency' must be at least 1"), e.getMessage());
    for (String served :
        List.of("timeoutSeconds", "retries", "retryBackoffMillis", "maxResponseMegabytes")) {
      e = assertThrows(IllegalArgumentException.class, () -> open("two_inputs.onnx", served, 1));
      assertEquals(
          "onnx: setting '"
              + served
              + "' does not apply to the onnx adapter, which runs the model in this process"
              + " (there are no requests to time out or retry, nor answers to bound); it is for"
              + " served models, such as oip",
          e.getMessage());
    }
  }

  @Test
  void closeWhileOtherThreadsRunNeverCrashes() throws Exception {
    OnnxModelAdapter m = open("two_inputs.onnx", "threads", 1);
    Map<String, Tensor> inputs = TestModels.linearInputs(8, 9);
    float[] expected = TestModels.linear(inputs.get("a").floats(), inputs.get("b").floats(), 8);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(4);
    try {
      List<Future<String>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(
            pool.submit(
                () -> {
                  started.countDown();
                  while (true) {
                    try {
                      Tensor y = m.run(inputs, List.of("y")).get("y");
                      assertArrayEquals(expected, y.floats(), EPS);
                      runs.incrementAndGet();
                    } catch (ModelException e) {
                      return e.getMessage();
                    }
                  }
                }));
      }
      started.await();
      while (runs.get() < 100) {
        Thread.onSpinWait();
      }
      m.close();
      for (Future<String> f : futures) {
        assertEquals(
            "model '" + TestModels.path("two_inputs.onnx") + "' is closed",
            f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }
    assertFalse(m.signature().inputs().isEmpty(), "signature stays readable after close");
  }

  private static String message(Runnable r) {
    return assertThrows(ModelException.class, r::run).getMessage();
  }
}
