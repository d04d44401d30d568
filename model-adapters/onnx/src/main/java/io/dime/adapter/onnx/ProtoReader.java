package io.dime.adapter.onnx;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads the protobuf wire format field by field, for the few fields of an ONNX model file that ONNX
 * Runtime's Java API does not expose (a ZipMap's labels, the files of external data). Everything
 * not asked for is skipped by its length, so a model's weights are never copied. Malformed input
 * throws {@link IllegalStateException} or {@link IndexOutOfBoundsException}; callers treat either
 * as "the file says nothing".
 */
final class ProtoReader {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LEN = 2;
  private static final int FIXED32 = 5;

  /** What to do with one field: its number and, for a length-delimited one, where it ends. */
  @FunctionalInterface
  interface Field {
    /**
     * @param end the end of a length-delimited field; -1 for a varint field (not yet read), whose
     *     value the callback reads with {@link #varint} or leaves to be skipped
     */
    void accept(int field, int end);
  }

  private final ByteBuffer b;
  private int pos;

  ProtoReader(ByteBuffer b) {
    this.b = b;
  }

  ProtoReader(byte[] b) {
    this(ByteBuffer.wrap(b));
  }

  /** Reads fields up to {@code end}; length-delimited and varint fields go to {@code f}. */
  void fields(int end, Field f) {
    while (pos < end) {
      long tag = varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      switch (wire) {
        case VARINT -> {
          int at = pos;
          f.accept(field, -1);
          if (pos == at) {
            varint();
          }
        }
        case LEN -> {
          long n = varint();
          if (n < 0 || n > end - pos) {
            throw new IllegalStateException("truncated field " + field);
          }
          int fend = pos + (int) n;
          f.accept(field, fend);
          pos = fend;
        }
        case FIXED64 -> pos += 8;
        case FIXED32 -> pos += 4;
        default -> throw new IllegalStateException("wire type " + wire);
      }
    }
    if (pos != end) {
      throw new IllegalStateException("field runs past its message");
    }
  }

  /** The UTF-8 text up to {@code end}. */
  String string(int end) {
    byte[] s = new byte[end - pos];
    b.get(pos, s);
    pos = end;
    return new String(s, StandardCharsets.UTF_8);
  }

  /** One varint. */
  long varint() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte x = b.get(pos++);
      v |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return v;
      }
    }
    throw new IllegalStateException("varint too long");
  }

  /** Whether the reader is before {@code end}. */
  boolean before(int end) {
    return pos < end;
  }
}
