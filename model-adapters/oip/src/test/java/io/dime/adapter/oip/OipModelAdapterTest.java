package io.dime.adapter.oip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelSignature;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the contract does not cover: the signature from the metadata, exact numbers in every
 * encoding, messages, settings, provenance, and failures to open.
 */
@ExtendWith(SharedServer.class)
class OipModelAdapterTest {
  private static final float EPS = 1e-5f;

  private static OipModelAdapter open(String model, Object... settings) {
    return OipModelAdapter.open(SharedServer.server().url(model), TestModels.config(settings));
  }

  @Test
  void signatureIsReadFromTheMetadata() {
    try (ModelAdapter m = open("two_inputs")) {
      assertEquals(
          new ModelSignature(
              List.of(
                  new TensorSpec("a", ElementType.FLOAT32, new long[] {-1, 3}),
                  new TensorSpec("b", ElementType.FLOAT32, new long[] {-1, 2})),
              List.of(new TensorSpec("y", ElementType.FLOAT32, new long[] {-1, 2}))),
          m.signature());
    }
    try (ModelAdapter m = open("fixed_batch")) {
      assertArrayEquals(new long[] {4, 3}, m.signature().input("a").orElseThrow().shape());
    }
    try (ModelAdapter m = open("int_input")) {
      assertEquals(
          new ModelSignature(
              List.of(new TensorSpec("ids", ElementType.INT64, new long[] {-1, 4})),
              List.of(new TensorSpec("s", ElementType.FLOAT32, new long[] {-1, 1}))),
          m.signature());
    }
  }

  @Test
  void everyEncodingGivesTheSameExactNumbers() {
    int n = 9;
    Map<String, Tensor> inputs = TestModels.linearInputs(n, 7);
    float[] expected = TestModels.linear(inputs.get("a").floats(), inputs.get("b").floats(), n);
    float[] json;
    try (ModelAdapter m = open("two_inputs", "tensorEncoding", "json")) {
      Tensor y = m.run(inputs, List.of("y")).get("y");
      assertArrayEquals(new long[] {n, 2}, y.shape());
      assertArrayEquals(expected, y.floats(), EPS);
      json = y.floats();
    }
    Map<String, Object[]> variants = new LinkedHashMap<>();
    variants.put("binary", new Object[] {"tensorEncoding", "binary"});
    variants.put("auto", new Object[] {});
    variants.put("split", new Object[] {"batchSize", 2, "concurrency", 3});
    variants.put("fixed batch", new Object[] {});
    for (Map.Entry<String, Object[]> v : variants.entrySet()) {
      String model = v.getKey().equals("fixed batch") ? "fixed_batch" : "two_inputs";
      try (ModelAdapter m = open(model, v.getValue())) {
        assertArrayEquals(json, m.run(inputs, List.of("y")).get("y").floats(), 0f, v.getKey());
      }
    }
    SharedServer.server().options("{\"nested\": true}");
    try (ModelAdapter m = open("two_inputs", "tensorEncoding", "json")) {
      assertArrayEquals(json, m.run(inputs, List.of("y")).get("y").floats(), 0f, "nested");
    } finally {
      SharedServer.server().options("{\"nested\": false}");
    }
  }

  @Test
  void computesAHandCheckedRowAndSumsInt64Inputs() {
    Map<String, Tensor> inputs =
        Map.of(
            "a", Tensor.ofFloats("a", new long[] {1, 3}, new float[] {1, 2, 3}),
            "b", Tensor.ofFloats("b", new long[] {1, 2}, new float[] {4, 5}));
    try (ModelAdapter m = open("two_inputs")) {
      assertArrayEquals(
          new float[] {-5.15f, 1.4875f}, m.run(inputs, List.of("y")).get("y").floats(), EPS);
    }
    long[] ids = {1, 2, 3, 4, 10, 20, 30, 40, 0, 0, 0, -7};
    try (ModelAdapter m = open("int_input", "tensorEncoding", "json")) {
      Tensor s =
          m.run(Map.of("ids", Tensor.ofLongs("ids", new long[] {3, 4}, ids)), List.of("s"))
              .get("s");
      assertArrayEquals(new long[] {3, 1}, s.shape());
      assertArrayEquals(new float[] {10, 100, -7}, s.floats(), 0f);
    }
  }

  @Test
  void messagesNameTheModelTheInputAndWhatWasExpected() {
    String p = "model '" + SharedServer.server().url("two_inputs") + "': ";
    try (ModelAdapter m = open("two_inputs")) {
      Map<String, Tensor> ok = TestModels.linearInputs(4, 1);
      Tensor b = ok.get("b");
      Map<String, Tensor> extra = new LinkedHashMap<>(ok);
      extra.put("d3", b);
      assertEquals(
          p + "unknown input 'd3'; model inputs: [a, b]",
          message(() -> m.run(extra, List.of("y"))));
      assertEquals(
          p + "missing input 'b'; model inputs: [a, b]",
          message(() -> m.run(Map.of("a", ok.get("a")), List.of("y"))));
      assertEquals(
          p + "missing inputs [a, b]; model inputs: [a, b]",
          message(() -> m.run(Map.of(), List.of("y"))));
      Tensor wide = Tensor.ofFloats("a", new long[] {4, 4}, new float[16]);
      assertEquals(
          p + "input 'a': expected shape [?, 3] (? = any size), found [4, 4]",
          message(() -> m.run(Map.of("a", wide, "b", b), List.of("y"))));
      Tensor longs = Tensor.ofLongs("b", new long[] {4, 2}, new long[8]);
      assertEquals(
          p + "input 'b': expected element type FLOAT32, found INT64",
          message(() -> m.run(Map.of("a", ok.get("a"), "b", longs), List.of("y"))));
      Tensor threeRows = Tensor.ofFloats("b", new long[] {3, 2}, new float[6]);
      assertEquals(
          p + "inputs disagree on the batch size: 'a' has 4 rows, 'b' has 3",
          message(() -> m.run(Map.of("a", ok.get("a"), "b", threeRows), List.of("y"))));
      assertEquals(
          p + "unknown output 'z'; model outputs: [y]",
          message(() -> m.run(ok, List.of("y", "z"))));
      Tensor nan =
          Tensor.ofFloats("b", new long[] {4, 2}, new float[] {0, 0, 0, Float.NaN, 0, 0, 0, 0});
      try (ModelAdapter j = open("two_inputs", "tensorEncoding", "json")) {
        assertEquals(
            p + "input 'b' holds NaN, which JSON cannot carry; set 'tensorEncoding' to binary",
            message(() -> j.run(Map.of("a", ok.get("a"), "b", nan), List.of("y"))));
      }
    }
  }

  @Test
  void aRefusedRequestGivesTheServersErrorTheModelAndTheInputsSent() {
    try (ModelAdapter m = open("two_inputs")) {
      SharedServer.server().faults("[{\"kind\": \"status\", \"status\": 400, \"count\": 1}]");
      String msg = message(() -> m.run(TestModels.linearInputs(2, 3), List.of("y")));
      assertEquals(
          "model '"
              + SharedServer.server().url("two_inputs")
              + "': the server answered HTTP 400 to POST /v2/models/two_inputs/infer: injected"
              + " fault: HTTP 400; sent a FP32 [2, 3], b FP32 [2, 2]",
          msg);
    }
  }

  /**
   * INT32 and FP64 inputs (a served TensorFlow or scikit-learn model) take DIME's INT64 and FLOAT32
   * tensors, converted when sent, with the same numbers as JSON and as binary tensors; an INT32
   * value out of range fails the call naming the input and the row; INT16 is refused at open.
   */
  @Test
  void int32AndFp64InputsAreSentConverted() {
    for (String encoding : List.of("json", "binary")) {
      try (ModelAdapter m = open("int32_input", "tensorEncoding", encoding)) {
        assertEquals(
            List.of(new TensorSpec("n", ElementType.INT64, new long[] {-1, 1})),
            m.signature().inputs());
        assertEquals(Map.of("n", "INT32"), m.modelTypes());
        long[] ids = {3, -7, Integer.MAX_VALUE, Integer.MIN_VALUE};
        Tensor f =
            m.run(Map.of("n", Tensor.ofLongs("n", new long[] {4, 1}, ids)), List.of("f")).get("f");
        assertArrayEquals(
            new float[] {3, -7, Integer.MAX_VALUE, Integer.MIN_VALUE}, f.floats(), 0f, encoding);
        ModelException e =
            assertThrows(
                ModelException.class,
                () ->
                    m.run(
                        Map.of(
                            "n",
                            Tensor.ofLongs("n", new long[] {2, 1}, new long[] {1, -(1L << 33)})),
                        List.of("f")));
        assertTrue(
            e.getMessage().contains("input 'n' is INT32, but row 1 holds -8589934592"),
            e.getMessage());
      }
      try (ModelAdapter m = open("double_input", "tensorEncoding", encoding)) {
        assertEquals(
            List.of(new TensorSpec("x", ElementType.FLOAT32, new long[] {-1, 2})),
            m.signature().inputs());
        float[] x = {0.1f, -2.5f, 1e30f, 7f};
        Tensor y =
            m.run(Map.of("x", Tensor.ofFloats("x", new long[] {2, 2}, x)), List.of("y")).get("y");
        float[] want = new float[x.length];
        for (int i = 0; i < x.length; i++) {
          want[i] = (float) ((double) x[i] * 3.0); // the float's own value, times 3 in double
        }
        assertArrayEquals(want, y.floats(), 0f, encoding);
      }
    }
    ModelException e = assertThrows(ModelException.class, () -> open("int16_input"));
    assertEquals(
        "model '"
            + SharedServer.server().url("int16_input")
            + "': input 'n' has datatype INT16; the oip adapter sends FP32, FP64, FP16, BF16, UINT8,"
            + " INT64, INT32, BOOL and BYTES inputs only",
        e.getMessage());
  }

  /**
   * UINT8 inputs (the pixels of a served TensorFlow image model) take DIME's FLOAT32 tensors,
   * rounded to the nearest integer when sent; BOOL inputs (boolean attention masks) its INT64 0 and
   * 1, sent as JSON's true and false or as bytes. The same numbers come back either way, and a
   * value the datatype cannot hold fails the call naming the input and the row.
   */
  @Test
  void uint8AndBoolInputsAreSentConverted() {
    for (String encoding : List.of("json", "binary")) {
      try (ModelAdapter m = open("uint8_input", "tensorEncoding", encoding)) {
        assertEquals(
            List.of(new TensorSpec("px", ElementType.FLOAT32, new long[] {-1, 2})),
            m.signature().inputs());
        assertEquals(Map.of("px", "UINT8"), m.modelTypes());
        float[] px = {0f, 255f, 254.6f, 0.49f, 255.4f, -0.4f};
        Tensor f =
            m.run(Map.of("px", Tensor.ofFloats("px", new long[] {3, 2}, px)), List.of("f"))
                .get("f");
        assertArrayEquals(new float[] {0, 255, 255, 0, 255, 0}, f.floats(), 0f, encoding);
        for (float bad : new float[] {256f, Float.NaN}) {
          ModelException e =
              assertThrows(
                  ModelException.class,
                  () ->
                      m.run(
                          Map.of(
                              "px",
                              Tensor.ofFloats("px", new long[] {2, 2}, new float[] {1, 2, bad, 4})),
                          List.of("f")));
          assertTrue(
              e.getMessage().contains("input 'px' is UINT8, but row 1 holds " + bad),
              e.getMessage());
        }
      }
      try (ModelAdapter m = open("bool_input", "tensorEncoding", encoding)) {
        assertEquals(
            List.of(new TensorSpec("flag", ElementType.INT64, new long[] {-1, 1})),
            m.signature().inputs());
        Tensor f =
            m.run(
                    Map.of("flag", Tensor.ofLongs("flag", new long[] {3, 1}, new long[] {1, 0, 1})),
                    List.of("f"))
                .get("f");
        assertArrayEquals(new float[] {1, 0, 1}, f.floats(), 0f, encoding);
        ModelException e =
            assertThrows(
                ModelException.class,
                () ->
                    m.run(
                        Map.of(
                            "flag", Tensor.ofLongs("flag", new long[] {2, 1}, new long[] {0, 2})),
                        List.of("f")));
        assertTrue(
            e.getMessage().contains("input 'flag' is BOOL, but row 1 holds 2, outside 0 or 1"),
            e.getMessage());
      }
    }
  }

  @Test
  void emptyRequestsAndEmptyBatchesSendNothing() {
    try (ModelAdapter m = open("fixed_batch")) {
      SharedServer.server().resetStats();
      assertEquals(Map.of(), m.run(TestModels.linearInputs(2, 3), List.of()));
      Tensor y = m.run(TestModels.linearInputs(0, 3), List.of("y")).get("y");
      assertArrayEquals(new long[] {0, 2}, y.shape());
      assertEquals(0, SharedServer.server().stats().path("infer").asInt());
      assertEquals(1, m.run(TestModels.linearInputs(2, 3), List.of("y", "y")).size());
      assertEquals(
          4, SharedServer.server().stats().path("rows").asInt(), "2 rows padded to the fixed 4");
    }
  }

  @Test
  void settingsAreChecked() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> open("two_inputs", "concurency", 2));
    assertEquals(
        "model adapter 'oip': unknown setting 'concurency'; known: [batchSize, concurrency,"
            + " maxResponseMegabytes, retries, retryBackoffMillis, tensorEncoding,"
            + " timeoutSeconds]",
        e.getMessage());
    for (Object[] bad :
        new Object[][] {
          {"concurrency", 0},
          {"timeoutSeconds", 0},
          {"retries", -1},
          {"retryBackoffMillis", -5},
          {"batchSize", -1},
          {"tensorEncoding", "xml"},
          {"maxResponseMegabytes", 0},
          {"maxResponseMegabytes", 2048}
        }) {
      e = assertThrows(IllegalArgumentException.class, () -> open("two_inputs", bad));
      assertTrue(e.getMessage().contains("'" + bad[0] + "'"), e.getMessage());
    }
  }

  @Test
  void provenanceNamesTheServerTheModelAndEverySetting() {
    String digest;
    try (ModelAdapter m = open("two_inputs", "timeoutSeconds", 2.5, "retries", 5)) {
      Map<String, Object> p = m.provenance();
      assertEquals("oip", p.get("adapter"));
      assertEquals(SharedServer.server().url("two_inputs"), p.get("location"));
      assertEquals("two_inputs", p.get("model"));
      assertEquals("onnxruntime_onnx", p.get("platform"));
      assertEquals("dime-oip-test-server", p.get("server"));
      assertEquals("1.28.0", p.get("serverVersion"));
      assertEquals(2.5, p.get("timeoutSeconds"));
      assertEquals(5, p.get("retries"));
      assertEquals(1, p.get("concurrency"));
      assertEquals("auto", p.get("tensorEncoding"));
      assertEquals("binary", p.get("encoding"), "the server lists binary_tensor_data");
      digest = p.get("sha256").toString();
      assertTrue(digest.matches("[0-9a-f]{64}"), digest);
    }
    try (ModelAdapter m =
        OipModelAdapter.open(
            SharedServer.server().url("two_inputs") + "/versions/1", TestModels.config())) {
      assertEquals("1", m.provenance().get("version"));
      assertEquals(digest, m.provenance().get("sha256"), "the same model, the same digest");
    }
    try (ModelAdapter m = open("fixed_batch")) {
      assertNotEquals(digest, m.provenance().get("sha256"));
    }
  }

  @Test
  void openingFailsNamingTheLocationAndWhy() throws IOException {
    String unknown = SharedServer.server().url("nope");
    String msg = openMessage(unknown);
    assertEquals(
        "model '"
            + unknown
            + "': the server answered HTTP 404 to GET /v2/models/nope: Request for unknown model:"
            + " 'nope' is not found",
        msg);
    msg = openMessage(SharedServer.server().url("two_inputs") + "/versions/2");
    assertTrue(msg.contains("HTTP 404") && msg.contains("no version '2'"), msg);

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String nobody = "http://127.0.0.1:" + port + "/v2/models/m";
    ModelException e =
        assertThrows(
            ModelException.class,
            () ->
                OipModelAdapter.open(
                    nobody, TestModels.config("retries", 1, "retryBackoffMillis", 10)));
    assertTrue(
        e.getMessage()
            .startsWith(
                "model '"
                    + nobody
                    + "': GET /v2 got no answer after 2 attempts (0.01 s of waits between them;"
                    + " setting 'retries' is 1): cannot connect to http://127.0.0.1:"
                    + port),
        e.getMessage());
  }

  @Test
  void runAfterCloseFails() {
    ModelAdapter m = open("two_inputs");
    m.close();
    m.close();
    assertEquals(
        "model '" + SharedServer.server().url("two_inputs") + "': the adapter is closed",
        message(() -> m.run(TestModels.linearInputs(1, 1), List.of("y"))));
  }

  private static String openMessage(String location) {
    return assertThrows(
            ModelException.class, () -> OipModelAdapter.open(location, TestModels.config()))
        .getMessage();
  }

  private static String message(Runnable r) {
    return assertThrows(ModelException.class, r::run).getMessage();
  }
}
