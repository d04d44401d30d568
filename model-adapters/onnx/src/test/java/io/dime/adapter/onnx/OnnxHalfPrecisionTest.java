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
import io.dime.spi.Narrowing;
import io.dime.spi.PluginConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A model exported in half precision (a real ONNX model, {@code half_precision.onnx}: FLOAT16 and
 * BFLOAT16 inputs returned as they are, and their sum cast to FLOAT): DIME's floats are fed rounded
 * to the nearest value of each type, and half-precision outputs come back exactly.
 */
class OnnxHalfPrecisionTest {
  private static final float[] H = {
    1f / 3, 65504f, -0.1f, 1e-8f, 2049f, 0.5f, -7.25f, 3e-5f, 1f, 0f
  };
  private static final float[] B = {1f / 3, 3e38f, -0.1f, 1e-8f, 257f, -0.5f, 1e5f, 3e-5f, 0f, 1f};

  private static ModelAdapter open(Object... settings) {
    return OnnxModelAdapter.open(
        TestModels.path("half_precision.onnx"), PluginConfig.of("onnx", settings));
  }

  private static Map<String, Tensor> inputs(float[] h, float[] b) {
    return Map.of(
        "h", Tensor.ofFloats("h", new long[] {h.length / 2, 2}, h),
        "b", Tensor.ofFloats("b", new long[] {b.length / 2, 2}, b));
  }

  @Test
  void halfPrecisionInputsAreRoundedAndOutputsReturnedExactly() {
    try (ModelAdapter m = open("batchSize", 2)) { // 5 rows: three calls, the last padded
      assertEquals(
          List.of(
              new TensorSpec("h", ElementType.FLOAT32, new long[] {-1, 2}),
              new TensorSpec("b", ElementType.FLOAT32, new long[] {-1, 2})),
          m.signature().inputs());
      assertEquals(
          Map.of("h", "FLOAT16", "b", "BFLOAT16", "hs", "FLOAT16", "bs", "BFLOAT16"),
          m.modelTypes());
      Map<String, Tensor> out = m.run(inputs(H, B), List.of("hs", "bs", "f"));
      float[] hs = new float[H.length];
      float[] bs = new float[B.length];
      float[] f = new float[H.length];
      for (int i = 0; i < H.length; i++) {
        hs[i] = Narrowing.fromFloat16(Narrowing.float16(H[i], "", "h", 0));
        bs[i] = Narrowing.fromBfloat16(Narrowing.bfloat16(B[i], "", "b", 0));
        f[i] = hs[i] + bs[i];
      }
      assertArrayEquals(hs, out.get("hs").floats(), 0f);
      assertArrayEquals(bs, out.get("bs").floats(), 0f);
      assertArrayEquals(f, out.get("f").floats(), 0f);
      assertEquals(0.333251953125f, out.get("hs").floats()[0]);
      assertEquals(2048f, out.get("hs").floats()[4]); // a tie, to even
      assertEquals(256f, out.get("bs").floats()[4]); // a tie, to even
      assertEquals(ElementType.FLOAT32, out.get("hs").type());
    }
  }

  @Test
  void aValueBeyondFloat16FailsNamingInputAndRow() {
    float[] h = H.clone();
    h[7] = 70000f; // row 3
    try (ModelAdapter m = open()) {
      ModelException e =
          assertThrows(ModelException.class, () -> m.run(inputs(h, B), List.of("f")));
      assertTrue(
          e.getMessage().contains("input 'h' is FLOAT16, but row 3 holds 70000.0"), e.getMessage());
      assertEquals(10, m.run(inputs(H, B), List.of("f")).get("f").size(), "the adapter goes on");
    }
  }
}
