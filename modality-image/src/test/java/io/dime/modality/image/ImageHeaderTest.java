package io.dime.modality.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.InputException;
import io.dime.spi.PluginConfig;
import io.dime.spi.ReadContext;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Image sizes are read from headers before any pixel is decoded: every supported format's header
 * gives the size OpenCV would decode, and an image that declares more pixels than {@code maxPixels}
 * is refused with a message naming its size, however small its file (a real, valid 20000 x 20000
 * PNG of about 0.4 MB included).
 */
class ImageHeaderTest {
  /** An image of w x h encoded by OpenCV in the format of {@code extension}. */
  private static byte[] encoded(String extension, int w, int h) {
    OpenCv.ensureLoaded();
    Mat m = new Mat(h, w, org.opencv.core.CvType.CV_8UC3, new Scalar(10, 20, 30));
    MatOfByte out = new MatOfByte();
    try {
      assertTrue(Imgcodecs.imencode(extension, m, out), extension);
      return out.toArray();
    } finally {
      m.release();
      out.release();
    }
  }

  @Test
  void headersOfTheFormatsOpenCvWritesGiveTheirSizes() {
    for (String ext : new String[] {".png", ".jpg", ".bmp", ".tiff", ".webp", ".ppm"}) {
      byte[] b = encoded(ext, 37, 23);
      ImageHeader h = ImageHeader.read(b).orElseThrow(() -> new AssertionError(ext));
      assertEquals(37, h.width(), ext);
      assertEquals(23, h.height(), ext);
    }
  }

  @Test
  void aGifHeaderAndCutOrForeignBytes() {
    byte[] gif = "GIF89a".getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[13];
    System.arraycopy(gif, 0, b, 0, 6);
    b[6] = (byte) 0x20; // 20000 = 0x4E20, little-endian
    b[7] = (byte) 0x4E;
    b[8] = 5;
    assertEquals(
        Optional.of(new ImageHeader("GIF", 20000, 5)), ImageHeader.read(b), "GIF logical screen");
    assertEquals(Optional.empty(), ImageHeader.read(new byte[] {(byte) 0x89, 'P', 'N', 'G'}));
    assertEquals(Optional.empty(), ImageHeader.read("hello".getBytes(StandardCharsets.UTF_8)));
    assertEquals(Optional.empty(), ImageHeader.read(new byte[] {(byte) 0xFF, (byte) 0xD8}));
    assertEquals(Optional.empty(), ImageHeader.read(new byte[0]));
  }

  @Test
  void aHugeValidPngIsRefusedBeforeDecoding(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("huge.png");
    try (OutputStream out = Files.newOutputStream(file)) {
      grayPng(out, 20000, 20000);
    }
    assertTrue(Files.size(file) < 2_000_000, "a small file: " + Files.size(file));
    ImageModality m =
        new ImageModality("image", new PluginConfig("modality image", Map.of("segments", 4)));
    InputException e =
        assertThrows(InputException.class, () -> m.read("huge.png", new ReadContext(dir, "big")));
    assertTrue(
        e.getMessage()
            .contains(
                "the PNG image declares 20000 x 20000 = 400000000 pixels; the most is 16777216"
                    + " (setting maxPixels)"),
        e.getMessage());
    assertTrue(e.getMessage().contains("'big'"), e.getMessage());

    // The cap is a setting: a small one refuses an ordinary image too, naming the setting.
    ImageModality strict =
        new ImageModality(
            "image", new PluginConfig("modality image", Map.of("segments", 4, "maxPixels", 100)));
    Path small = dir.resolve("small.png");
    Files.write(small, encoded(".png", 20, 10));
    InputException e2 =
        assertThrows(
            InputException.class, () -> strict.read("small.png", new ReadContext(dir, "s")));
    assertTrue(e2.getMessage().contains("20 x 10 = 200 pixels; the most is 100"), e2.getMessage());
    assertEquals(20, m.read("small.png", new ReadContext(dir, "s")).width());
  }

  /** A valid 8-bit grey PNG of w x h zeros, written row by row (no image in memory). */
  static void grayPng(OutputStream out, int w, int h) throws IOException {
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(ihdr);
    d.writeInt(w);
    d.writeInt(h);
    d.write(new byte[] {8, 0, 0, 0, 0}); // bit depth 8, grey, deflate, adaptive, no interlace
    chunk(out, "IHDR", ihdr.toByteArray());
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (DeflaterOutputStream z =
        new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
      byte[] row = new byte[w + 1]; // filter byte 0, then w zero samples
      for (int y = 0; y < h; y++) {
        z.write(row);
      }
    }
    chunk(out, "IDAT", idat.toByteArray());
    chunk(out, "IEND", new byte[0]);
  }

  private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(data.length);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    d.write(t);
    d.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    d.writeInt((int) crc.getValue());
  }

  /**
   * Found by ImageReaderFuzzTest: a WebP header cut right after "WEBP" (the exact 12 bytes) threw
   * StringIndexOutOfBoundsException from the header reader instead of being read as no header.
   */
  @Test
  void aWebpHeaderCutAfterItsFormIsNoHeader() {
    byte[] b = java.util.HexFormat.of().parseHex("524946462e00000057454250");
    assertEquals(Optional.empty(), ImageHeader.read(b));
  }

  /**
   * A TIFF declaring 4294967295 x 4294967295 (the largest unsigned 32-bit sizes): the pixel count
   * overflowed a long to a negative number and passed the maxPixels check; it is now saturated.
   */
  @Test
  void aPixelCountBeyondALongIsRefused() {
    byte[] tiff =
        java.util.HexFormat.of()
            .parseHex(
                "49492a0008000000" // little-endian TIFF, first directory at 8
                    + "0200" // two entries
                    + "00010400"
                    + "01000000"
                    + "ffffffff" // ImageWidth, LONG, 1, 4294967295
                    + "01010400"
                    + "01000000"
                    + "ffffffff" // ImageLength, LONG, 1, 4294967295
                    + "00000000");
    ImageHeader h = ImageHeader.read(tiff).orElseThrow();
    assertEquals(new ImageHeader("TIFF", 4294967295L, 4294967295L), h);
    assertEquals(Long.MAX_VALUE, h.pixels());
    assertEquals(6L, new ImageHeader("PNM", 2, 3).pixels());
    assertEquals(Long.MAX_VALUE, new ImageHeader("PNM", 9_999_999_999L, 9_999_999_999L).pixels());

    ImageModality m =
        new ImageModality("image", new PluginConfig("modality image", Map.of("segments", 4)));
    InputException e =
        assertThrows(InputException.class, () -> m.read(tiff, new ReadContext(Path.of("."), "t")));
    assertTrue(
        e.getMessage().contains("the TIFF image declares 4294967295 x 4294967295 = "),
        e.getMessage());
  }
}
