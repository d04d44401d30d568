package io.dime.adapter.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import io.dime.api.Tensor;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The direct buffers behind the ONNX inputs: size classes, and reuse across an explanation. */
class OnnxInputsTest {
  @Test
  void sizeClassesArePowersOfTwoFrom4KiB() {
    assertEquals(4096, OnnxInputs.sizeClass(1));
    assertEquals(4096, OnnxInputs.sizeClass(4096));
    assertEquals(8192, OnnxInputs.sizeClass(4097));
    assertEquals(65536, OnnxInputs.sizeClass(1024 * 10 * 4));
  }

  /**
   * After many calls of odd sizes were in flight at once (the kept slots fill with their buffers),
   * full batches still reuse one buffer: the longest-kept buffer makes room. Before the size
   * classes, the odd buffers held every slot, and every full batch allocated and zeroed a new one.
   */
  @Test
  void fullBatchesReuseABufferAfterManyOddSizedCalls() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OnnxInputs inputs = new OnnxInputs();
    float[] data = new float[1024 * 10];
    for (int i = 0; i < data.length; i++) {
      data[i] = i * 0.5f;
    }
    List<List<ByteBuffer>> held = new ArrayList<>();
    List<OnnxTensor> open = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      int n = 1 + 37 * i; // 1 to 408 rows: each buffer too small for a full batch
      List<ByteBuffer> taken = new ArrayList<>();
      open.add(inputs.toOnnx(env, Path.of("m.onnx"), rows(data, n), null, 0, n, n, taken));
      held.add(taken);
    }
    for (int i = 0; i < held.size(); i++) {
      open.get(i).close();
      inputs.release(held.get(i));
    }
    Set<ByteBuffer> full = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int call = 0; call < 20; call++) {
      List<ByteBuffer> taken = new ArrayList<>();
      try (OnnxTensor o =
          inputs.toOnnx(env, Path.of("m.onnx"), rows(data, 1024), null, 0, 1024, 1024, taken)) {
        assertEquals(1024 * 10L, o.getInfo().getNumElements());
        assertEquals(data[10 * 1023 + 9], o.getFloatBuffer().get(10 * 1023 + 9));
      }
      full.addAll(taken);
      inputs.release(taken);
    }
    assertEquals(1, full.size(), "20 full batches, one buffer");
  }

  private static Tensor rows(float[] data, int n) {
    return Tensor.ofFloats("x", new long[] {n, 10}, java.util.Arrays.copyOf(data, n * 10));
  }
}
