package io.dime.adapter.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;

/** Turns rows of DIME tensors into ONNX Runtime tensors, padding a chunk to the fed row count. */
final class OnnxInputs {
  private OnnxInputs() {}

  /** Copies rows into a direct buffer (which ONNX Runtime uses without another copy). */
  static OnnxTensor toOnnx(OrtEnvironment env, Path path, Tensor t, int start, int count, int fed)
      throws OrtException {
    long[] shape = t.shape().clone();
    int rowSize = rowSize(shape);
    shape[0] = fed;
    int elements = Math.multiplyExact(fed, rowSize);
    int from = start * rowSize;
    int last = (start + count - 1) * rowSize;
    if (t.type() == ElementType.FLOAT32) {
      FloatBuffer buffer = direct(path, elements, Float.BYTES).asFloatBuffer();
      buffer.put(t.floats(), from, count * rowSize);
      for (int r = count; r < fed; r++) {
        buffer.put(t.floats(), last, rowSize);
      }
      buffer.rewind();
      return OnnxTensor.createTensor(env, buffer, shape);
    }
    LongBuffer buffer = direct(path, elements, Long.BYTES).asLongBuffer();
    buffer.put(t.longs(), from, count * rowSize);
    for (int r = count; r < fed; r++) {
      buffer.put(t.longs(), last, rowSize);
    }
    buffer.rewind();
    return OnnxTensor.createTensor(env, buffer, shape);
  }

  private static ByteBuffer direct(Path path, int elements, int bytesPerElement) {
    long bytes = (long) elements * bytesPerElement;
    if (bytes > Integer.MAX_VALUE) {
      throw new ModelException(
          "model '"
              + path
              + "': one call would need "
              + bytes
              + " bytes for an input; set a smaller '"
              + OnnxModelAdapter.BATCH_SIZE
              + "'");
    }
    return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
  }

  /** Elements per row: the product of every dimension but the first. */
  static int rowSize(long[] shape) {
    long n = 1;
    for (int i = 1; i < shape.length; i++) {
      n *= shape[i];
    }
    return Math.toIntExact(n);
  }
}
