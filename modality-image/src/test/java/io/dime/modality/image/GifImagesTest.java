package io.dime.modality.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.InputException;
import io.dime.spi.PluginConfig;
import io.dime.spi.ReadContext;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GIF files, which this OpenCV build does not decode, are read with the JDK's GIF reader: every
 * pixel of the first frame in its palette colour; a first frame over {@code maxPixels} is refused
 * by size, and a damaged GIF "could not be decoded".
 */
class GifImagesTest {
  private static final byte[] R = {(byte) 255, 0, 0, 10, (byte) 200};
  private static final byte[] G = {0, (byte) 255, 0, 20, 100};
  private static final byte[] B = {0, 0, (byte) 255, 30, 50};

  /** A GIF of w x h pixels whose pixel (x, y) has palette index (x + 2y) mod 5, interlaced. */
  private static byte[] gif(int w, int h) throws Exception {
    return gif(w, h, true);
  }

  private static byte[] gif(int w, int h, boolean interlaced) throws Exception {
    BufferedImage img =
        new BufferedImage(
            w, h, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 5, R, G, B));
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, (x + 2 * y) % 5);
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setProgressiveMode(
        interlaced ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static ImageModality modality(int maxPixels) {
    return new ImageModality(
        "image", new PluginConfig("modality image", Map.of("segments", 4, "maxPixels", maxPixels)));
  }

  @Test
  void theFirstFrameIsReadInItsPaletteColours(@TempDir Path dir) throws Exception {
    for (int h : new int[] {1, 3, 5, 12}) {
      for (boolean interlaced : new boolean[] {false, true}) {
        if (interlaced && h > 1 && h < 5) {
          continue; // refused: see below
        }
        Files.write(dir.resolve("a.gif"), gif(7, h, interlaced));
        Image image = modality(1000).read("a.gif", new ReadContext(dir, "r"));
        assertEquals(7, image.width());
        assertEquals(h, image.height());
        byte[] want = new byte[7 * h * 3];
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < 7; x++) {
            int i = (x + 2 * y) % 5;
            int at = (y * 7 + x) * 3;
            want[at] = R[i];
            want[at + 1] = G[i];
            want[at + 2] = B[i];
          }
        }
        assertArrayEquals(want, image.toRgbBytes(), h + " rows, interlaced " + interlaced);
      }
    }
    // the JDK's reader misplaces the rows of an interlaced frame of 2 to 4 rows: refused
    Files.write(dir.resolve("short.gif"), gif(7, 3, true));
    InputException e =
        assertThrows(
            InputException.class,
            () -> modality(1000).read("short.gif", new ReadContext(dir, "r")));
    // once "cannot read cannot read image 'short.gif': : an interlaced ..."
    assertTrue(
        e.getMessage()
            .contains(
                "modality 'image': cannot read image 'short.gif': an interlaced GIF of 3 rows,"
                    + " which the JDK's GIF reader"),
        e.getMessage());
    // a GIF given as base64 is read by its first frame too (it was refused as undecodable)
    String b64 = java.util.Base64.getEncoder().encodeToString(gif(7, 5, false));
    Image inline = modality(1000).read(Map.of("base64", b64), new ReadContext(dir, "r"));
    assertEquals(7, inline.width());
    assertEquals(5, inline.height());
  }

  @Test
  void aLargeOrDamagedGifFailsItsRecordByName(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("big.gif"), gif(20, 10));
    InputException big =
        assertThrows(
            InputException.class, () -> modality(150).read("big.gif", new ReadContext(dir, "r")));
    assertTrue(
        big.getMessage().contains("20 x 10 = 200 pixels; the most is 150"), big.getMessage());
    byte[] cut = gif(20, 10);
    cut = Arrays.copyOf(cut, 30); // the header and palette, no pixels
    Files.write(dir.resolve("cut.gif"), cut);
    InputException damaged =
        assertThrows(
            InputException.class, () -> modality(1000).read("cut.gif", new ReadContext(dir, "r")));
    assertTrue(
        damaged.getMessage().contains("the GIF image (20 x 10, 30 bytes) could not be decoded"),
        damaged.getMessage());
  }
}
