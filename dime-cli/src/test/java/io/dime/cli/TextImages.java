package io.dime.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Renders words as dark text on a light background with OpenCV's built-in Hershey font (no system
 * fonts needed), so that the text's pixels are known: a pixel is text when it is darker than the
 * background by more than half the contrast.
 */
final class TextImages {
  static final int BACKGROUND = 235;
  static final int INK = 20;

  static {
    org.bytedeco.javacpp.Loader.load(org.bytedeco.opencv.opencv_java.class);
  }

  private TextImages() {}

  /**
   * Writes a PNG of {@code word} in a {@code width x height} image, the text's box starting at
   * {@code x} and centred vertically; returns the file.
   */
  static Path render(Path dir, String name, String word, int width, int height, int x)
      throws java.io.IOException {
    Files.createDirectories(dir);
    Mat m = new Mat(height, width, org.opencv.core.CvType.CV_8UC3, gray(BACKGROUND));
    double scale = height / 40.0;
    int thickness = Math.max(2, (int) Math.round(height / 16.0));
    int[] base = new int[1];
    Size s = Imgproc.getTextSize(word, Imgproc.FONT_HERSHEY_SIMPLEX, scale, thickness, base);
    int y = (int) Math.round((height + s.height) / 2.0);
    Imgproc.putText(
        m,
        word,
        new Point(x, y),
        Imgproc.FONT_HERSHEY_SIMPLEX,
        scale,
        gray(INK),
        thickness,
        Imgproc.LINE_AA);
    Path file = dir.resolve(name + ".png");
    if (!Imgcodecs.imwrite(file.toString(), m)) {
      throw new java.io.IOException("could not write " + file);
    }
    m.release();
    return file;
  }

  private static Scalar gray(int v) {
    return new Scalar(v, v, v);
  }

  /** Which pixels of a rendered image are text, row by row. */
  static boolean[] textPixels(Path png) {
    Mat m = Imgcodecs.imread(png.toString(), Imgcodecs.IMREAD_GRAYSCALE);
    boolean[] out = new boolean[m.rows() * m.cols()];
    byte[] px = new byte[out.length];
    m.get(0, 0, px);
    for (int i = 0; i < out.length; i++) {
      out[i] = (px[i] & 0xff) < (BACKGROUND + INK) / 2;
    }
    m.release();
    return out;
  }
}
