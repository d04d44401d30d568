package io.dime.api;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * Name, element type and shape of a tensor. In a model signature the shape includes the batch
 * dimension and uses -1 for a dynamic dimension; in an encoder's output the shape is per row
 * (without the batch dimension) and fully known.
 *
 * @since 0.1
 */
public record TensorSpec(String name, ElementType type, long[] shape) {
  public TensorSpec {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    shape = requireNonNull(shape, "shape is null").clone();
  }

  /** Number of elements for a fully known shape. */
  public long elementCount() {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalStateException("shape of '" + name + "' is not fully known: " + this);
      }
      n *= d;
    }
    return n;
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec t
        && name.equals(t.name)
        && type == t.type
        && Arrays.equals(shape, t.shape);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + ":" + type + shapeText(shape);
  }

  /**
   * A shape for messages: dimensions of any size (negative in a signature) as {@code ?}, as {@code
   * dime inspect-model} shows a dynamic dimension without a name, e.g. {@code [?, 3, 48, ?]}.
   *
   * @since 0.1
   */
  public static String shapeText(long[] shape) {
    if (shape == null) {
      return "[]";
    }
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      b.append(i == 0 ? "" : ", ").append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
    }
    return b.append(']').toString();
  }
}
