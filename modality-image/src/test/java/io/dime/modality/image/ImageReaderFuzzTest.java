package io.dime.modality.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.InputException;
import io.dime.spi.PluginConfig;
import io.dime.spi.ReadContext;
import io.dime.testkit.fuzz.Fuzz;
import io.dime.testkit.fuzz.Mutator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Fuzzing the image reader (header sniffing, then OpenCV decoding): a mutated PNG, JPEG, BMP, TIFF,
 * WebP, PPM or GIF file is read into an image no larger than {@code maxPixels}, or refused with an
 * {@link InputException} naming the record and the file as the manifest gave it (never the absolute
 * data folder); never another exception or a hang. The header reader alone never throws.
 *
 * <p>CI runs 1200 + 3000 tries (about 6 s on 2 cores). A long run: {@code ./mvnw -o -B install
 * -Djacoco.skip -pl modality-image -am -Dtest=ImageReaderFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Ddime.fuzz.scale=100 -Ddime.fuzz.maxSeconds=1800} (add
 * {@code -Ddime.fuzz.seed=random} for new inputs).
 */
@Tag("fuzz")
class ImageReaderFuzzTest {
  private static final int MAX_PIXELS = 64 * 64;

  /** An image of w x h with a gradient, encoded by OpenCV in the format of {@code extension}. */
  private static byte[] encoded(String extension, int w, int h) {
    OpenCv.ensureLoaded();
    Mat m = new Mat(h, w, org.opencv.core.CvType.CV_8UC3, new Scalar(10, 20, 30));
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        m.put(y, x, 7 * x, 11 * y, (x * y) & 0xFF);
      }
    }
    MatOfByte out = new MatOfByte();
    try {
      assertTrue(Imgcodecs.imencode(extension, m, out), extension);
      return out.toArray();
    } finally {
      m.release();
      out.release();
    }
  }

  /** A 1 x 1 GIF (written by hand: OpenCV does not write GIF). */
  private static byte[] gif() {
    int[] b = {
      'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0x80, 0, 0, 0xFF, 0xFF, 0xFF, 0, 0, 0, ',', 0, 0, 0,
      0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, ';'
    };
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  static List<byte[]> images() {
    List<byte[]> seeds = new ArrayList<>();
    seeds.add(encoded(".png", 13, 9));
    seeds.add(encoded(".jpg", 16, 8));
    seeds.add(encoded(".bmp", 5, 7));
    seeds.add(encoded(".tiff", 6, 4));
    seeds.add(encoded(".webp", 9, 9));
    seeds.add(encoded(".ppm", 4, 3));
    seeds.add(gif());
    return seeds;
  }

  private static final List<byte[]> TOKENS =
      Mutator.join(
          List.of(
              new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A},
              new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
              new byte[] {(byte) 0xFF, (byte) 0xC0, 0, 17, 8},
              new byte[] {(byte) 0xFF, (byte) 0xC2},
              new byte[] {(byte) 0xFF, (byte) 0xDA},
              new byte[] {(byte) 0xFF, (byte) 0xD9},
              new byte[] {(byte) 0xFF, (byte) 0xE1, 0, 0x20, 'E', 'x', 'i', 'f', 0, 0},
              new byte[] {'I', 'I', 42, 0},
              new byte[] {'M', 'M', 0, 42},
              new byte[] {0, 0, 0, 13}),
          Mutator.utf8(
              "IHDR",
              "IDAT",
              "IEND",
              "PLTE",
              "tRNS",
              "RIFF",
              "WEBP",
              "VP8 ",
              "VP8L",
              "VP8X",
              "BM",
              "GIF89a",
              "GIF87a",
              "P6\n",
              "P5\n",
              "65535\n",
              "255\n",
              "20000 20000\n",
              "#"));

  @Test
  void mutatedImagesAreReadWithinTheLimitOrRefusedNamingTheRecord(@TempDir Path dir) {
    ImageModality m =
        new ImageModality(
            "image",
            new PluginConfig("modality image", Map.of("segments", 4, "maxPixels", MAX_PIXELS)));
    Path file = dir.resolve("in.img");
    String absolute = dir.toAbsolutePath().toString();
    Fuzz.of("image", new Mutator(images(), TOKENS))
        .tries(1200)
        .timeout(Duration.ofSeconds(10))
        .maxAllocatedBytes(256L << 20)
        .run(
            input -> {
              Files.write(file, input);
              Image image;
              try {
                image = m.read("in.img", new ReadContext(dir, "img"));
              } catch (InputException e) {
                Fuzz.checkMessage(e, "record 'img': ", "'in.img'");
                if (e.getMessage().contains(absolute)) {
                  throw new AssertionError("path: " + e.getMessage(), e);
                }
                return e.getMessage().contains("declares") ? "over the limit" : "refused";
              }
              long pixels = (long) image.width() * image.height();
              if (image.width() < 1 || image.height() < 1 || pixels > MAX_PIXELS) {
                throw new AssertionError(
                    "limit: decoded " + image.width() + " x " + image.height());
              }
              return "read";
            });
  }

  @Test
  void theHeaderReaderNeverThrows() {
    Fuzz.of("image-header", new Mutator(images(), TOKENS))
        .tries(3000)
        .run(
            input -> {
              Optional<ImageHeader> h = ImageHeader.read(input);
              if (h.isPresent() && (h.get().width() < 1 || h.get().height() < 1)) {
                throw new AssertionError("header: " + h.get());
              }
              return h.map(ImageHeader::format).orElse("none");
            });
  }

  /**
   * The seeds are what they claim: each header is read, and each is decoded (the GIF by the JDK's
   * reader: this OpenCV build does not decode GIF).
   */
  @Test
  void theSeedsAreRead(@TempDir Path dir) throws Exception {
    ImageModality m =
        new ImageModality("image", new PluginConfig("modality image", Map.of("segments", 4)));
    List<String> formats = new ArrayList<>();
    for (byte[] b : images()) {
      ImageHeader h = ImageHeader.read(b).orElseThrow();
      formats.add(h.format());
      Files.write(dir.resolve("s"), b);
      Image image = m.read("s", new ReadContext(dir, "s"));
      assertEquals(h.width(), image.width(), h.format());
      assertEquals(h.height(), image.height(), h.format());
    }
    assertEquals(List.of("PNG", "JPEG", "BMP", "TIFF", "WebP", "PNM", "GIF"), formats);
  }
}
