package io.dime.spi;

import io.dime.api.ModelException;

/**
 * The checked conversions a model adapter makes when a model takes another element type than DIME's
 * encoders give (FLOAT32 and INT64), so that every adapter converts, and fails, the same way: a
 * value the model's type cannot hold fails the call with a {@link ModelException} naming the input,
 * the row and the value.
 *
 * @since 0.3
 */
public final class Narrowing {
  private Narrowing() {}

  /**
   * A pixel value for a UINT8 input, rounded to the nearest integer (resized or blurred pixels are
   * not whole numbers).
   *
   * @param prefix the start of the message (e.g. {@code "model 'm.onnx': "}), not null
   * @throws ModelException for a value outside 0 to 255 once rounded, or NaN
   */
  public static int uint8(float v, String prefix, String input, int row) {
    if (!(v >= -0.5f && v < 255.5f)) {
      throw outOfRange(prefix, input, "UINT8", row, Float.toString(v), "0 to 255");
    }
    return Math.round(v);
  }

  /**
   * An INT32 value (a token id of a model exported from TensorFlow).
   *
   * @throws ModelException for a value outside int32's range
   */
  public static int int32(long v, String prefix, String input, int row) {
    if (v != (int) v) {
      throw outOfRange(prefix, input, "INT32", row, Long.toString(v), "its range");
    }
    return (int) v;
  }

  /**
   * A BOOL value (a boolean attention mask) as the byte 0 or 1.
   *
   * @throws ModelException for a value other than 0 and 1
   */
  public static byte bool(long v, String prefix, String input, int row) {
    if (v != 0 && v != 1) {
      throw outOfRange(prefix, input, "BOOL", row, Long.toString(v), "0 or 1");
    }
    return (byte) v;
  }

  private static ModelException outOfRange(
      String prefix, String input, String type, int row, String value, String allowed) {
    return new ModelException(
        prefix
            + "input '"
            + input
            + "' is "
            + type
            + ", but row "
            + row
            + " holds "
            + value
            + ", outside "
            + allowed);
  }
}
