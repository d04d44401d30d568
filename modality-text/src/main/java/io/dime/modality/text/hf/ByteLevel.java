package io.dime.modality.text.hf;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-level alphabet: every UTF-8 byte as one printable character (printable Latin-1 bytes
 * as themselves, the other 68 bytes as U+0100 onwards, in byte order).
 */
final class ByteLevel {
  private static final char[] BYTE_CHARS = new char[256];
  private static final String[] ASCII = new String[128];

  static {
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
      BYTE_CHARS[b] = (char) (printable ? b : next++);
    }
    for (int b = 0; b < 128; b++) {
      ASCII[b] = String.valueOf(BYTE_CHARS[b]);
    }
  }

  private ByteLevel() {}

  /** Each code point replaced by the characters of its UTF-8 bytes, aligned to it. */
  static Aligned encode(Aligned s) {
    return s.mapCodePoints(
        cp -> {
          if (cp < 128) {
            return ASCII[cp];
          }
          byte[] bytes = Chars.str(cp).getBytes(StandardCharsets.UTF_8);
          char[] out = new char[bytes.length];
          for (int i = 0; i < bytes.length; i++) {
            out[i] = BYTE_CHARS[bytes[i] & 0xFF];
          }
          return new String(out);
        });
  }
}
