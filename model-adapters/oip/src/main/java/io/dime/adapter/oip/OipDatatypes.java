package io.dime.adapter.oip;

import io.dime.api.ElementType;
import io.dime.spi.TextCodes;

/** The protocol's datatype names and what this adapter makes of them. */
final class OipDatatypes {
  static final String FP32 = "FP32";
  static final String FP64 = "FP64";
  static final String INT32 = "INT32";
  static final String INT64 = "INT64";
  static final String UINT8 = "UINT8";
  static final String BOOL = "BOOL";

  /** Texts, each a 4-byte little-endian length and UTF-8 bytes in the binary tensor extension. */
  static final String BYTES = TextCodes.BYTES;

  private OipDatatypes() {}

  /**
   * The element type DIME fills an input of this datatype with, or null when this adapter cannot
   * send it: FP32 and FP64 from FLOAT32 (widened exactly), UINT8 from FLOAT32 (rounded, checked),
   * INT64, INT32 and BOOL from INT64 (narrowed, checked), BYTES (one text per row) from INT64 rows
   * that {@link TextCodes} packs (unpacked when sent).
   */
  static ElementType inputType(String datatype) {
    return switch (datatype) {
      case FP32, FP64, UINT8 -> ElementType.FLOAT32;
      case INT64, INT32, BOOL, BYTES -> ElementType.INT64;
      default -> null;
    };
  }

  /** The element type an output of this datatype is returned as, or null when it is not. */
  static ElementType outputType(String datatype) {
    return switch (datatype) {
      case FP32, FP64 -> ElementType.FLOAT32;
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
      case FP32, INT32 -> 4;
      case FP64, INT64 -> 8;
      default -> throw new IllegalArgumentException("no binary size for datatype " + datatype);
    };
  }
}
