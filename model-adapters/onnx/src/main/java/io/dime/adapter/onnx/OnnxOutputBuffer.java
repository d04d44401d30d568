package io.dime.adapter.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.Narrowing;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Collects one output's rows across chunks into one array: FLOAT, DOUBLE, FLOAT16 and BFLOAT16 as
 * FLOAT32 (each value exactly, but a DOUBLE's rounded to float), INT64 and INT32 as INT64.
 */
final class OnnxOutputBuffer {
  private final Path path;
  private final TensorSpec spec;
  private final int rows;
  private long[] rowShape;
  private int rowSize;
  private float[] floats;
  private long[] longs;
  private int filled;

  /**
   * @param path the model, for messages
   * @param spec the output
   * @param rows the rows of the whole run
   */
  OnnxOutputBuffer(Path path, TensorSpec spec, int rows) {
    this.path = path;
    this.spec = spec;
    this.rows = rows;
  }

  void append(OnnxTensor value, int count, int fed) {
    TensorInfo info = value.getInfo();
    long[] shape = info.getShape();
    if (shape.length == 0 || shape[0] != fed) {
      throw new ModelException(
          "model '"
              + path
              + "': output '"
              + spec.name()
              + "' has shape "
              + Arrays.toString(shape)
              + " for "
              + fed
              + " input rows; expected the batch dimension first");
    }
    long[] perRow = Arrays.copyOfRange(shape, 1, shape.length);
    if (rowShape == null) {
      rowShape = perRow;
      rowSize = OnnxInputs.rowSize(shape);
      int total = Math.multiplyExact(rows, rowSize);
      if (spec.type() == ElementType.FLOAT32) {
        floats = new float[total];
      } else {
        longs = new long[total];
      }
    } else if (!Arrays.equals(rowShape, perRow)) {
      throw new ModelException(
          "model '"
              + path
              + "': output '"
              + spec.name()
              + "' has rows of shape "
              + Arrays.toString(perRow)
              + " in one chunk and "
              + Arrays.toString(rowShape)
              + " in another");
    }
    int offset = filled * rowSize;
    int n = count * rowSize;
    OnnxJavaType type = info.type;
    switch (type) {
      case FLOAT -> value.getFloatBuffer().get(floats, offset, n);
      case FLOAT16, BFLOAT16 -> {
        ShortBuffer h = value.getShortBuffer();
        boolean half = type == OnnxJavaType.FLOAT16;
        for (int i = 0; i < n; i++) {
          short x = h.get(i);
          floats[offset + i] = half ? Narrowing.fromFloat16(x) : Narrowing.fromBfloat16(x);
        }
      }
      case DOUBLE -> {
        DoubleBuffer d = value.getDoubleBuffer();
        for (int i = 0; i < n; i++) {
          floats[offset + i] = (float) d.get(i);
        }
      }
      case INT64 -> value.getLongBuffer().get(longs, offset, n);
      case INT32 -> {
        IntBuffer d = value.getIntBuffer();
        for (int i = 0; i < n; i++) {
          longs[offset + i] = d.get(i);
        }
      }
      default ->
          throw new ModelException(
              "model '" + path + "': output '" + spec.name() + "' has element type " + type);
    }
    filled += count;
  }

  /**
   * Appends the first {@code count} of {@code fed} maps from class label to score (a ZipMap's),
   * each row's scores in the order of {@code keys}.
   *
   * @throws ModelException when the sequence has another length than the rows fed, or a map lacks a
   *     label
   */
  void appendMaps(OnnxSequence value, List<Object> keys, int count, int fed) throws OrtException {
    List<? extends OnnxValue> maps = value.getValue();
    if (maps.size() != fed) {
      throw new ModelException(
          "model '"
              + path
              + "': output '"
              + spec.name()
              + "' has "
              + maps.size()
              + " maps for "
              + fed
              + " input rows");
    }
    if (floats == null) {
      rowShape = new long[] {keys.size()};
      rowSize = keys.size();
      floats = new float[Math.multiplyExact(rows, rowSize)];
    }
    for (int r = 0; r < count; r++) {
      Map<?, ?> map = ((OnnxMap) maps.get(r)).getValue();
      for (int c = 0; c < rowSize; c++) {
        Object v = map.get(keys.get(c));
        if (!(v instanceof Number n)) {
          throw new ModelException(
              "model '"
                  + path
                  + "': output '"
                  + spec.name()
                  + "' has no score for class "
                  + keys.get(c)
                  + " in row "
                  + r
                  + " (its keys: "
                  + map.keySet()
                  + ")");
        }
        floats[(filled + r) * rowSize + c] = n.floatValue();
      }
    }
    filled += count;
  }

  Tensor toTensor() {
    long[] shape;
    if (rowShape != null) {
      shape = new long[rowShape.length + 1];
      System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
    } else {
      // no rows were run: the signature's dimensions, 0 where dynamic
      long[] declared = spec.shape();
      shape = new long[Math.max(declared.length, 1)];
      for (int i = 1; i < declared.length; i++) {
        shape[i] = Math.max(declared[i], 0);
      }
      floats = new float[0];
      longs = new long[0];
    }
    shape[0] = rows;
    return spec.type() == ElementType.FLOAT32
        ? Tensor.ofFloats(spec.name(), shape, floats)
        : Tensor.ofLongs(spec.name(), shape, longs);
  }
}
