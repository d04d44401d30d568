package io.dime.adapter.oip;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.ModelAdapter;
import io.dime.spi.Narrowing;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * FP16 and BF16 tensors: a model exported in half precision (the ONNX adapter's {@code
 * half_precision.onnx} behind the test server: FP16 and BF16 inputs returned as they are, and their
 * sum cast to FP32). DIME's floats are sent rounded to the nearest value of each type, ties to
 * even, as JSON numbers or as 2 little-endian bytes each, and half-precision outputs come back
 * exactly; the expected values are computed here with {@link Narrowing}.
 */
@ExtendWith(SharedServer.class)
class OipHalfPrecisionTest {
  private static final float[] H = {
    1f / 3, 65504f, -0.1f, 1e-8f, 2049f, 0.5f, -7.25f, 3e-5f, 1f, 0f
  };
  private static final float[] B = {1f / 3, 3e38f, -0.1f, 1e-8f, 257f, -0.5f, 1e5f, 3e-5f, 0f, 1f};

  private static OipModelAdapter open(String model, Object... settings) {
    return OipModelAdapter.open(SharedServer.server().url(model), TestModels.config(settings));
  }

  private static Map<String, Tensor> inputs(float[] h, float[] b) {
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    inputs.put("h", Tensor.ofFloats("h", new long[] {h.length / 2, 2}, h));
    inputs.put("b", Tensor.ofFloats("b", new long[] {b.length / 2, 2}, b));
    return inputs;
  }

  /** 5 rows in requests of 2 (three requests), as JSON numbers and as binary tensors. */
  @Test
  void halfPrecisionInputsAreRoundedAndOutputsReturnedExactly() {
    float[] hs = new float[H.length];
    float[] bs = new float[B.length];
    float[] f = new float[H.length];
    for (int i = 0; i < H.length; i++) {
      hs[i] = Narrowing.fromFloat16(Narrowing.float16(H[i], "", "h", 0));
      bs[i] = Narrowing.fromBfloat16(Narrowing.bfloat16(B[i], "", "b", 0));
      f[i] = hs[i] + bs[i];
    }
    for (String encoding : List.of("json", "binary")) {
      try (ModelAdapter m = open("half_precision", "tensorEncoding", encoding, "batchSize", 2)) {
        assertEquals(
            List.of(
                new TensorSpec("h", ElementType.FLOAT32, new long[] {-1, 2}),
                new TensorSpec("b", ElementType.FLOAT32, new long[] {-1, 2})),
            m.signature().inputs());
        assertEquals(
            List.of(
                new TensorSpec("hs", ElementType.FLOAT32, new long[] {-1, 2}),
                new TensorSpec("bs", ElementType.FLOAT32, new long[] {-1, 2}),
                new TensorSpec("f", ElementType.FLOAT32, new long[] {-1, 2})),
            m.signature().outputs());
        assertEquals(Map.of("h", "FP16", "b", "BF16", "hs", "FP16", "bs", "BF16"), m.modelTypes());
        SharedServer.server().resetStats();
        Map<String, Tensor> out = m.run(inputs(H, B), List.of("hs", "bs", "f"));
        assertEquals(3, SharedServer.server().stats().path("infer").asInt(), "2 + 2 + 1 rows");
        assertArrayEquals(hs, out.get("hs").floats(), 0f, encoding);
        assertArrayEquals(bs, out.get("bs").floats(), 0f, encoding);
        assertArrayEquals(f, out.get("f").floats(), 0f, encoding);
        assertArrayEquals(new long[] {5, 2}, out.get("hs").shape());
        assertEquals(0.333251953125f, out.get("hs").floats()[0], encoding);
        assertEquals(2048f, out.get("hs").floats()[4], encoding); // a tie, to even
        assertEquals(256f, out.get("bs").floats()[4], encoding); // a tie, to even
        assertEquals(0f, out.get("hs").floats()[3], encoding); // 1e-8: below FP16's subnormals
        assertEquals(99840f, out.get("bs").floats()[6], encoding); // 1e5 in BF16
      }
    }
  }

  /**
   * A value beyond FP16's range fails the call before anything is sent, naming the input and row,
   * and the adapter goes on serving.
   */
  @Test
  void aValueBeyondFp16FailsNamingInputAndRow() {
    float[] h = H.clone();
    h[7] = 70000f; // row 3
    for (String encoding : List.of("json", "binary")) {
      try (ModelAdapter m = open("half_precision", "tensorEncoding", encoding)) {
        SharedServer.server().resetStats();
        ModelException e =
            assertThrows(ModelException.class, () -> m.run(inputs(h, B), List.of("f")));
        assertEquals(
            "model '"
                + SharedServer.server().url("half_precision")
                + "': input 'h' is FLOAT16, but row 3 holds 70000.0, outside its range (+-65504)",
            e.getMessage());
        assertEquals(0, SharedServer.server().stats().path("infer").asInt(), encoding);
        assertEquals(5, m.run(inputs(H, B), List.of("f")).get("f").shape()[0], "goes on");
      }
    }
  }

  /** A model whose only input is FP16 (once refused at open) runs. */
  @Test
  void aModelTakingFp16Runs() {
    for (String encoding : List.of("json", "binary")) {
      try (ModelAdapter m = open("float16_input", "tensorEncoding", encoding)) {
        assertEquals(
            List.of(new TensorSpec("h", ElementType.FLOAT32, new long[] {-1, 1})),
            m.signature().inputs());
        assertEquals(Map.of("h", "FP16"), m.modelTypes());
        Tensor x = Tensor.ofFloats("h", new long[] {3, 1}, new float[] {0.1f, 2049f, -65504f});
        Tensor f = m.run(Map.of("h", x), List.of("f")).get("f");
        assertArrayEquals(new float[] {0.0999755859375f, 2048f, -65504f}, f.floats(), 0f);
      }
    }
  }

  /**
   * The request itself: FP16 and BF16 values go rounded, as JSON numbers written exactly, or in the
   * binary extension as their 16 bits, 2 bytes little-endian each; a padding row repeats the last.
   */
  @Test
  void halvesAreSentAsRoundedNumbersOrTwoLittleEndianBytes() throws IOException {
    JsonNode metadata =
        OipClient.JSON.readTree(
            "{\"inputs\": [{\"name\": \"h\", \"datatype\": \"FP16\", \"shape\": [-1, 2]},"
                + " {\"name\": \"b\", \"datatype\": \"BF16\", \"shape\": [-1, 2]}],"
                + " \"outputs\": [{\"name\": \"y\", \"datatype\": \"FP16\", \"shape\": [-1, 1]}]}");
    OipSignature s = OipSignature.read(metadata, "model 'm': ");
    Map<String, Tensor> given = inputs(new float[] {1f / 3, 2049f, -0.1f, 65504f}, B);
    given.put(
        "b", Tensor.ofFloats("b", new long[] {2, 2}, new float[] {1f / 3, 257f, -0.1f, 1e5f}));
    OipRequest.Rows rows = new OipRequest.Rows(0, 2, 3);

    OipRequest bin = OipRequest.encode("model 'm': ", "1", s, given, List.of("y"), rows, true);
    JsonNode head = OipClient.JSON.readTree(Arrays.copyOf(bin.body(), bin.jsonLength()));
    for (JsonNode input : head.path("inputs")) {
      assertEquals("[3,2]", input.path("shape").toString());
      assertEquals(12, input.path("parameters").path("binary_data_size").asInt());
    }
    assertEquals(bin.jsonLength() + 24, bin.body().length);
    byte[] tensors = Arrays.copyOfRange(bin.body(), bin.jsonLength(), bin.body().length);
    assertEquals(
        "5535"
            + "0068"
            + "66ae"
            + "ff7b"
            + "66ae"
            + "ff7b" // h: 1/3, 2048, -0.1, 65504
            + "ab3e"
            + "8043"
            + "cdbd"
            + "c347"
            + "cdbd"
            + "c347", // b: 1/3, 256, -0.1, 99840
        HexFormat.of().formatHex(tensors));

    OipRequest json = OipRequest.encode("model 'm': ", "1", s, given, List.of("y"), rows, false);
    String body = new String(json.body(), UTF_8);
    assertTrue(
        body.contains(
            "\"datatype\":\"FP16\",\"data\":[0.333251953125,2048.0,-0.0999755859375,65504.0,"
                + "-0.0999755859375,65504.0]"),
        body);
    assertTrue(
        body.contains(
            "\"datatype\":\"BF16\",\"data\":[0.333984375,256.0,-0.10009765625,99840.0,"
                + "-0.10009765625,99840.0]"),
        body);
  }

  /**
   * JSON numbers of an FP16 or BF16 output are read as the value of the type nearest to them (a
   * server may write a half's shortest decimal: 0.3333 for the FP16 nearest 1/3), whether the data
   * comes before the datatype or after; a number beyond FP16's range fails.
   */
  @Test
  void jsonHalvesAreReadAsTheValuesOfTheirType() {
    String body =
        "{\"outputs\": [{\"name\": \"h\", \"datatype\": \"FP16\", \"shape\": [3],"
            + " \"data\": [0.3333, 2048.0, 6e-8]},"
            + " {\"name\": \"b\", \"data\": [0.334, -0.1], \"datatype\": \"BF16\", \"shape\": [2]}]}";
    Map<String, OipResponse.Output> out = OipResponse.read("p: ", body.getBytes(UTF_8), -1, "1");
    assertArrayEquals(new float[] {0.333251953125f, 2048f, 0x1p-24f}, out.get("h").floats(), 0f);
    assertArrayEquals(new float[] {0.333984375f, -0.10009765625f}, out.get("b").floats(), 0f);
    String beyond =
        "{\"outputs\": [{\"name\": \"h\", \"datatype\": \"FP16\", \"shape\": [1], \"data\": [7e4]}]}";
    ModelException e =
        assertThrows(
            ModelException.class, () -> OipResponse.read("p: ", beyond.getBytes(UTF_8), -1, "1"));
    assertEquals("p: output 'h' (FP16) holds 7e4, beyond its range", e.getMessage());
  }
}
