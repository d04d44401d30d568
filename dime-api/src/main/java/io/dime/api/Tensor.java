package io.dime.api;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * A dense row-major tensor: FLOAT32 data in {@code floats}, INT64 data in {@code longs} (the other
 * array is null). Arrays are not copied: a tensor handed to a model adapter must not be changed
 * while the adapter runs.
 *
 * @since 0.1
 */
public record Tensor(String name, ElementType type, long[] shape, float[] floats, long[] longs) {
  public Tensor {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(shape, "shape is null");
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      n *= d;
    }
    int len =
        type == ElementType.FLOAT32
            ? requireNonNull(floats, "floats is null for a FLOAT32 tensor").length
            : requireNonNull(longs, "longs is null for an INT64 tensor").length;
    if (len != n) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "' has "
              + len
              + " elements; shape "
              + Arrays.toString(shape)
              + " needs "
              + n);
    }
  }

  public static Tensor ofFloats(String name, long[] shape, float[] data) {
    return new Tensor(name, ElementType.FLOAT32, shape, data, null);
  }

  public static Tensor ofLongs(String name, long[] shape, long[] data) {
    return new Tensor(name, ElementType.INT64, shape, null, data);
  }

  public int size() {
    return type == ElementType.FLOAT32 ? floats.length : longs.length;
  }

  public TensorSpec spec() {
    return new TensorSpec(name, type, shape);
  }
}
