package io.dime.modality.image;

/**
 * Whether an encoded image is whole before OpenCV decodes it: OpenCV fills a truncated JPEG's
 * missing rows with grey and only warns on standard error, and libpng prints its own message there
 * for a cut or damaged PNG, outside the record's error.
 */
final class EncodedIntegrity {
  private EncodedIntegrity() {}

  /**
   * Why a PNG file cannot be decoded whole, or null: its chunks are walked from the signature to
   * the IEND chunk, and each critical chunk's (IHDR, PLTE, IDAT, IEND) checksum is checked. libpng
   * refuses such files too, but it prints its own message on standard error first, outside the
   * record's error; a damaged ancillary chunk is left to libpng, which skips it.
   */
  static String pngProblem(byte[] b) {
    int at = 8; // after the signature
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    while (true) {
      if (at + 8 > b.length) {
        return "the PNG file is truncated (it ends after "
            + b.length
            + " bytes, before its IEND chunk)";
      }
      long length =
          ((b[at] & 0xFFL) << 24)
              | ((b[at + 1] & 0xFF) << 16)
              | ((b[at + 2] & 0xFF) << 8)
              | (b[at + 3] & 0xFF);
      String type = new String(b, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      long end = at + 12 + length; // length, type, data, checksum
      if (length > Integer.MAX_VALUE || end > b.length) {
        return "the PNG file is truncated (it ends after "
            + b.length
            + " bytes, inside its '"
            + printable(type)
            + "' chunk at byte "
            + at
            + ")";
      }
      boolean critical = Character.isUpperCase(type.charAt(0));
      if (critical) {
        crc.reset();
        crc.update(b, at + 4, 4 + (int) length);
        long stored =
            ((b[(int) end - 4] & 0xFFL) << 24)
                | ((b[(int) end - 3] & 0xFF) << 16)
                | ((b[(int) end - 2] & 0xFF) << 8)
                | (b[(int) end - 1] & 0xFF);
        if (crc.getValue() != stored) {
          return "the PNG file is damaged (its '"
              + printable(type)
              + "' chunk at byte "
              + at
              + " fails its checksum)";
        }
      }
      if (type.equals("IEND")) {
        return null;
      }
      at = (int) end;
    }
  }

  /** A chunk type as text, its bytes outside printable ASCII as codes. */
  private static String printable(String type) {
    StringBuilder sb = new StringBuilder();
    for (char ch : type.toCharArray()) {
      if (ch >= 0x21 && ch < 0x7F) {
        sb.append(ch);
      } else {
        sb.append(String.format(java.util.Locale.ROOT, "\\x%02X", (int) ch));
      }
    }
    return sb.toString();
  }

  /**
   * Whether an end-of-image marker (FF D9) follows the last start-of-scan marker (FF DA): inside a
   * scan a byte FF is always followed by 00 or a restart marker, so neither can occur there, and an
   * embedded thumbnail's own markers come before the main image's scan.
   */
  static boolean jpegEnds(byte[] b) {
    int lastScan = -1;
    for (int i = 0; i + 1 < b.length; i++) {
      if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xDA) {
        lastScan = i;
      }
    }
    for (int i = Math.max(0, lastScan); i + 1 < b.length; i++) {
      if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
        return lastScan >= 0;
      }
    }
    return false;
  }
}
