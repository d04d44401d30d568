package io.dime.modality.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Makes the committed test image {@code src/test/resources/images/scene-224.png}: a 224 x 224
 * synthetic scene (sky gradient, ground with diagonal stripes, a red disc, a striped green
 * rectangle, a blue triangle, a yellow ellipse and a black-and-white checkerboard) with uniform
 * noise of +-2 per channel from a seeded {@link SplittableRandom}. Integer arithmetic only, so the
 * pixels are the same on every JVM; {@code ImageModalityAcceptanceTest} checks that the committed
 * file still decodes to exactly these pixels.
 *
 * <p>Regenerate with {@code java
 * modality-image/src/test/java/io/dime/modality/image/TestImages.java
 * modality-image/src/test/resources/images/scene-224.png} (JDK 17 source launcher).
 */
public final class TestImages {
  static final int SIZE = 224;
  static final String SCENE = "scene-224.png";
  static final String NOT_AN_IMAGE = "not-an-image.png";

  private TestImages() {}

  /** The scene's pixels, packed 0xRRGGBB, row by row. */
  static int[] scenePixels() {
    int[] px = new int[SIZE * SIZE];
    SplittableRandom noise = new SplittableRandom(20240611L);
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int r = 90 + y * 60 / SIZE;
        int g = 140 + x * 40 / SIZE;
        int b = 200 - y * 50 / SIZE;
        if (y >= 176) { // ground with diagonal stripes
          int stripe = ((x + y) / 6) % 2 * 14;
          r = 120 + stripe;
          g = 90 + stripe;
          b = 60;
        }
        if (sq(x - 64) + sq(y - 72) < sq(38)) { // red disc
          r = 210;
          g = 50;
          b = 45;
        }
        if (x >= 120 && x < 196 && y >= 28 && y < 96) { // green rectangle, dark stripes
          boolean dark = (y / 8) % 2 == 1;
          r = dark ? 30 : 50;
          g = dark ? 120 : 170;
          b = dark ? 50 : 70;
        }
        if (inTriangle(x, y)) { // blue triangle
          r = 40;
          g = 70;
          b = 200;
        }
        if (sq(x - 60) * sq(22) + sq(y - 168) * sq(40) < sq(40) * sq(22)) { // yellow ellipse
          r = 235;
          g = 205;
          b = 60;
        }
        if (x >= 92 && x < 132 && y >= 112 && y < 152) { // checkerboard
          int v = ((x - 92) / 8 + (y - 112) / 8) % 2 == 0 ? 245 : 25;
          r = v;
          g = v;
          b = v;
        }
        r = clamp(r + noise.nextInt(-2, 3));
        g = clamp(g + noise.nextInt(-2, 3));
        b = clamp(b + noise.nextInt(-2, 3));
        px[y * SIZE + x] = r << 16 | g << 8 | b;
      }
    }
    return px;
  }

  private static boolean inTriangle(int x, int y) {
    // vertices (160, 116), (208, 196), (112, 196), as three half-planes
    return y < 196 && 80 * (x - 160) >= -48 * (y - 116) && 80 * (x - 160) <= 48 * (y - 116);
  }

  private static int sq(int v) {
    return v * v;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  /** Writes the scene as a PNG to the path given. */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : SCENE);
    BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, SIZE, SIZE, scenePixels(), 0, SIZE);
    Files.createDirectories(out.toAbsolutePath().getParent());
    if (!ImageIO.write(img, "png", out.toFile())) {
      throw new IOException("no PNG writer");
    }
    System.out.println("wrote " + out + " (" + Files.size(out) + " bytes)");
  }
}
