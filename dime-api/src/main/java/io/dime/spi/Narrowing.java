package io.dime.spi;

import io.dime.api.InputException;
import io.dime.api.ModelException;

/**
 * The checked conversions a model adapter makes when a model takes another element type than DIME's
 * encoders give (FLOAT32 and INT64), so that every adapter converts, and fails, the same way: a
 * value the model's type cannot hold fails the call with a {@link ModelException} naming the input,
 * the row and the value.
 *
 * <p>{@link #float32} is the conversion an encoder makes from the double it read to the FLOAT32 it
 * gives the model: a value too large for a float fails the record as bad input, before any adapter
 * sees it as an infinity (which a model turns into NaN outputs).
 *
 * @since 0.3
 */
public final class Narrowing {
  private Narrowing() {}

  /**
   * A value for a FLOAT32 input: the nearest float to {@code v}. NaN and infinities stay themselves
   * (readers refuse them); a finite value beyond float's range, which would become an infinity,
   * fails. One comparison for a value that fits.
   *
   * @param input the model input the value is for, named in the message
   * @throws InputException for a finite value beyond +-{@link Float#MAX_VALUE} once rounded (e.g.
   *     1e39), naming the value and the input
   * @since 0.3
   */
  public static float float32(double v, String input) {
    float f = (float) v;
    if (Float.isInfinite(f) && !Double.isInfinite(v)) {
      throw float32Unfit(Double.toString(v), input);
    }
    return f;
  }

  /**
   * The failure of a value that does not fit a FLOAT32 input, for an encoder that checks a value it
   * computed from another (a normalised one) itself.
   *
   * @param value the value as the user gave it, possibly with how it was changed
   * @param input the model input it is for
   * @since 0.3
   */
  public static InputException float32Unfit(String value, String input) {
    return new InputException(
        null,
        "value "
            + value
            + " of input '"
            + input
            + "' does not fit the model's FLOAT32 input (largest "
            + Float.MAX_VALUE
            + ")");
  }

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

  /**
   * A FLOAT16 value (IEEE 754 half precision: a model exported in half precision), the nearest half
   * to {@code v} (ties to even), as its 16 bits. NaN and infinities stay themselves.
   *
   * @throws ModelException for a finite value that rounds beyond FLOAT16's largest, 65504
   * @since 0.3
   */
  public static short float16(float v, String prefix, String input, int row) {
    int bits = Float.floatToRawIntBits(v);
    int sign = (bits >>> 16) & 0x8000;
    int exp = (bits >>> 23) & 0xff;
    int mant = bits & 0x7fffff;
    if (exp == 0xff) {
      return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
    }
    int e = exp - 112; // the half's biased exponent: 127 - 15
    int h;
    if (e <= 0) { // a subnormal half, or zero
      if (e < -10) {
        return (short) sign; // below half the smallest subnormal, 2^-25: zero
      }
      int m = mant | 0x800000;
      int shift = 14 - e;
      h = roundShift(m, shift);
    } else {
      h = roundShift((e << 23) | mant, 13); // a carry out of the mantissa raises the exponent
    }
    if (h >= 0x7c00) {
      throw outOfRange(prefix, input, "FLOAT16", row, Float.toString(v), "its range (+-65504)");
    }
    return (short) (sign | h);
  }

  /**
   * A BFLOAT16 value (the upper half of a float: a model exported in bfloat16), the nearest to
   * {@code v} (ties to even), as its 16 bits. NaN and infinities stay themselves.
   *
   * @throws ModelException for a finite value that rounds beyond BFLOAT16's largest
   * @since 0.3
   */
  public static short bfloat16(float v, String prefix, String input, int row) {
    int bits = Float.floatToRawIntBits(v);
    if (Float.isNaN(v)) {
      return (short) ((bits >>> 16) | 0x40); // a quiet NaN, whatever the payload's low bits
    }
    int h = roundShift(bits & 0x7fffffff, 16);
    if (Float.isFinite(v) && h >= 0x7f80) {
      throw outOfRange(prefix, input, "BFLOAT16", row, Float.toString(v), "its range");
    }
    return (short) (((bits >>> 16) & 0x8000) | h);
  }

  /** The float a FLOAT16 value's 16 bits hold (exact). @since 0.3 */
  public static float fromFloat16(short h) {
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      float f = Math.scalb((float) mant, -24);
      return sign == 0 ? f : -f;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** The float a BFLOAT16 value's 16 bits hold (exact). @since 0.3 */
  public static float fromBfloat16(short h) {
    return Float.intBitsToFloat((h & 0xffff) << 16);
  }

  /** {@code x >> shift} rounded to nearest, ties to even ({@code shift} in 1 to 30). */
  private static int roundShift(int x, int shift) {
    int q = x >>> shift;
    int rest = x & ((1 << shift) - 1);
    int half = 1 << (shift - 1);
    if (rest > half || (rest == half && (q & 1) != 0)) {
      q++;
    }
    return q;
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
