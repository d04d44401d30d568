package io.dime.adapter.oip;

import io.dime.api.ElementType;
import io.dime.spi.Narrowing;
import io.dime.spi.TextCodes;

/** The protocol's datatype names and what this adapter makes of them. */
final class OipDatatypes {
  static final String FP32 = "FP32";
  static final String FP64 = "FP64";

  /** IEEE 754 half precision: 2 bytes, little-endian, in the binary tensor extension. */
  static final String FP16 = "FP16";

  /** bfloat16 (Triton's extension of the protocol's datatypes): 2 bytes, little-endian. */
  static final String BF16 = "BF16";

  static final String INT32 = "INT32";
  static final String INT64 = "INT64";
  static final String UINT8 = "UINT8";
  static final String BOOL = "BOOL";

  /** Texts, each a 4-byte little-endian length and UTF-8 bytes in the binary tensor extension. */
  static final String BYTES = TextCodes.BYTES;

  private OipDatatypes() {}

  /**
   * The element type DIME fills an input of this datatype with, or null when this adapter cannot
   * send it: FP32 and FP64 from FLOAT32 (widened exactly), FP16 and BF16 from FLOAT32 (rounded to
   * the nearest, ties to even, checked), UINT8 from FLOAT32 (rounded, checked), INT64, INT32 and
   * BOOL from INT64 (narrowed, checked), BYTES (one text per row) from INT64 rows that {@link
   * TextCodes} packs (unpacked when sent).
   */
  static ElementType inputType(String datatype) {
    return switch (datatype) {
      case FP32, FP64, FP16, BF16, UINT8 -> ElementType.FLOAT32;
      case INT64, INT32, BOOL, BYTES -> ElementType.INT64;
      default -> null;
    };
  }

  /**
   * The element type an output of this datatype is returned as, or null when it is not: FP16 and
   * BF16 as FLOAT32, exactly.
   */
  static ElementType outputType(String datatype) {
    return switch (datatype) {
      case FP32, FP64, FP16, BF16 -> ElementType.FLOAT32;
      case INT64, INT32 -> ElementType.INT64;
      default -> null;
    };
  }

  /**
   * Bytes per element in the binary tensor extension, for the datatypes this adapter uses but BYTES
   * (whose elements differ in size).
   */
  static int bytes(String datatype) {
    return switch (datatype) {
      case UINT8, BOOL -> 1;
      case FP16, BF16 -> 2;
      case FP32, INT32 -> 4;
      case FP64, INT64 -> 8;
      default -> throw new IllegalArgumentException("no binary size for datatype " + datatype);
    };
  }

  /** Whether an output of this datatype holds floats (FP32, FP64, FP16, BF16). */
  static boolean isFloat(String datatype) {
    return outputType(datatype) == ElementType.FLOAT32;
  }

  /**
   * The 16 bits of an FP16 or BF16 input's value, rounded to the nearest, ties to even.
   *
   * @throws io.dime.api.ModelException naming the input and row for a value beyond FP16's range (or
   *     BF16's)
   */
  static short half(String datatype, float v, String prefix, String input, int row) {
    return datatype.equals(FP16)
        ? Narrowing.float16(v, prefix, input, row)
        : Narrowing.bfloat16(v, prefix, input, row);
  }

  /** The float an FP16 or BF16 value's 16 bits hold (exact). */
  static float fromHalf(String datatype, short bits) {
    return datatype.equals(FP16) ? Narrowing.fromFloat16(bits) : Narrowing.fromBfloat16(bits);
  }
}
