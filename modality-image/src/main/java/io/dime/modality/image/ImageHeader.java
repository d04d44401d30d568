package io.dime.modality.image;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An encoded image's format and size, read from its header before any pixel is decoded, so that an
 * image too large to decode safely (a small PNG can declare 20000 x 20000) is refused instead of
 * running the JVM out of memory. Reads PNG, JPEG, GIF, BMP, WebP, TIFF and PNM headers.
 *
 * @param format the format's name ("PNG", "JPEG", ...)
 * @param width the width in pixels
 * @param height the height in pixels
 */
record ImageHeader(String format, long width, long height) {
  /** The formats whose headers are read, for messages. */
  static final String FORMATS = "PNG, JPEG, GIF, BMP, WebP, TIFF, PNM";

  /** The pixel count the header declares; {@link Long#MAX_VALUE} when it does not fit a long. */
  long pixels() {
    return Math.multiplyHigh(width, height) == 0 && width * height >= 0
        ? width * height
        : Long.MAX_VALUE;
  }

  /**
   * The header of an encoded image.
   *
   * @return the format and size, or empty when the bytes are none of the formats read here or the
   *     header is cut short
   */
  static Optional<ImageHeader> read(byte[] b) {
    try {
      if (starts(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
        return b.length >= 24 ? of("PNG", be32(b, 16), be32(b, 20)) : Optional.empty();
      }
      if (starts(b, 0xFF, 0xD8)) {
        return jpeg(b);
      }
      if (starts(b, 'G', 'I', 'F', '8')) {
        return b.length >= 10 ? of("GIF", le16(b, 6), le16(b, 8)) : Optional.empty();
      }
      if (starts(b, 'B', 'M')) {
        return bmp(b);
      }
      if (starts(b, 'R', 'I', 'F', 'F') && b.length >= 12 && text(b, 8, 4).equals("WEBP")) {
        return webp(b);
      }
      if (starts(b, 'I', 'I', 42, 0) || starts(b, 'M', 'M', 0, 42)) {
        return tiff(b, b[0] == 'I');
      }
      if (b.length >= 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '7') {
        return pnm(b);
      }
    } catch (IndexOutOfBoundsException e) {
      return Optional.empty(); // a header cut short (an array read, or a chunk name, past the end)
    }
    return Optional.empty();
  }

  private static Optional<ImageHeader> of(String format, long w, long h) {
    return w > 0 && h > 0 ? Optional.of(new ImageHeader(format, w, h)) : Optional.empty();
  }

  /** The frame header (SOFn) of a JPEG: markers are walked by their lengths until one is found. */
  private static Optional<ImageHeader> jpeg(byte[] b) {
    int pos = 2;
    while (pos + 3 < b.length) {
      if ((b[pos] & 0xFF) != 0xFF) {
        return Optional.empty();
      }
      int marker = b[pos + 1] & 0xFF;
      if (marker == 0xFF) {
        pos++; // fill byte
        continue;
      }
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        pos += 2; // no length
        continue;
      }
      if (marker == 0xD9 || marker == 0xDA) {
        return Optional.empty(); // end of image, or scan data, before any frame header
      }
      int length = (int) be16(b, pos + 2);
      boolean frame =
          marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (frame) {
        return of("JPEG", be16(b, pos + 7), be16(b, pos + 5));
      }
      if (length < 2) {
        return Optional.empty();
      }
      pos += 2 + length;
    }
    return Optional.empty();
  }

  private static Optional<ImageHeader> bmp(byte[] b) {
    long dib = le32(b, 14);
    if (dib == 12) {
      return of("BMP", le16(b, 18), le16(b, 20));
    }
    return of("BMP", Math.abs((long) (int) le32(b, 18)), Math.abs((long) (int) le32(b, 22)));
  }

  private static Optional<ImageHeader> webp(byte[] b) {
    String chunk = text(b, 12, 4);
    return switch (chunk) {
      case "VP8 " -> of("WebP", le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF);
      case "VP8L" -> {
        long bits = le32(b, 21);
        yield of("WebP", 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF));
      }
      case "VP8X" -> of("WebP", 1 + le24(b, 24), 1 + le24(b, 27));
      default -> Optional.empty();
    };
  }

  /** The first image file directory's ImageWidth (256) and ImageLength (257) tags. */
  private static Optional<ImageHeader> tiff(byte[] b, boolean little) {
    int ifd = (int) u32(b, 4, little);
    int entries = (int) u16(b, ifd, little);
    long w = -1;
    long h = -1;
    for (int i = 0; i < entries; i++) {
      int e = ifd + 2 + 12 * i;
      int tag = (int) u16(b, e, little);
      int type = (int) u16(b, e + 2, little);
      long value = type == 3 ? u16(b, e + 8, little) : u32(b, e + 8, little);
      if (tag == 256) {
        w = value;
      } else if (tag == 257) {
        h = value;
      }
    }
    return of("TIFF", w, h);
  }

  /** PNM (P1 to P7): ASCII tokens after the magic number, comments skipped. */
  private static Optional<ImageHeader> pnm(byte[] b) {
    if (b[1] == '7') {
      return Optional.empty(); // PAM: not read here
    }
    long[] dims = new long[2];
    int pos = 2;
    for (int t = 0; t < 2; t++) {
      while (pos < b.length && (Character.isWhitespace(b[pos]) || b[pos] == '#')) {
        if (b[pos] == '#') {
          while (pos < b.length && b[pos] != '\n') {
            pos++;
          }
        } else {
          pos++;
        }
      }
      long v = 0;
      int digits = 0;
      while (pos < b.length && b[pos] >= '0' && b[pos] <= '9' && digits < 10) {
        v = 10 * v + (b[pos++] - '0');
        digits++;
      }
      if (digits == 0) {
        return Optional.empty();
      }
      dims[t] = v;
    }
    return of("PNM", dims[0], dims[1]);
  }

  private static boolean starts(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xFF) != (prefix[i] & 0xFF)) {
        return false;
      }
    }
    return true;
  }

  private static String text(byte[] b, int at, int n) {
    return new String(b, at, n, StandardCharsets.ISO_8859_1);
  }

  private static long be16(byte[] b, int at) {
    return (b[at] & 0xFFL) << 8 | (b[at + 1] & 0xFFL);
  }

  private static long be32(byte[] b, int at) {
    return be16(b, at) << 16 | be16(b, at + 2);
  }

  private static long le16(byte[] b, int at) {
    return (b[at + 1] & 0xFFL) << 8 | (b[at] & 0xFFL);
  }

  private static long le24(byte[] b, int at) {
    return (b[at + 2] & 0xFFL) << 16 | le16(b, at);
  }

  private static long le32(byte[] b, int at) {
    return le16(b, at + 2) << 16 | le16(b, at);
  }

  private static long u16(byte[] b, int at, boolean little) {
    return little ? le16(b, at) : be16(b, at);
  }

  private static long u32(byte[] b, int at, boolean little) {
    return little ? le32(b, at) : be32(b, at);
  }
}
