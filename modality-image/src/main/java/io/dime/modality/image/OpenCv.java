package io.dime.modality.image;

import org.bytedeco.javacpp.Loader;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import org.opencv.ximgproc.GraphSegmentation;
import org.opencv.ximgproc.SuperpixelSLIC;
import org.opencv.ximgproc.Ximgproc;

/**
 * The one place that touches OpenCV: loads the natives once and converts between {@link Image} and
 * {@link Mat}. Every {@link Mat} made here is released before the method returns, so no native
 * memory outlives a call.
 */
final class OpenCv {
  private static final Throwable LOAD_FAILURE = load();

  private OpenCv() {}

  private static Throwable load() {
    try {
      Loader.load(org.bytedeco.opencv.opencv_java.class);
      return null;
    } catch (Throwable t) { // UnsatisfiedLinkError and friends: reported by ensureLoaded
      return t;
    }
  }

  /**
   * Fails with a message that says what to do when the OpenCV natives did not load.
   *
   * @throws IllegalStateException naming the platform and the missing artifact
   */
  static void ensureLoaded() {
    if (LOAD_FAILURE != null) {
      throw new IllegalStateException(
          "the image modality needs OpenCV's native library, which did not load on platform "
              + Loader.getPlatform()
              + "; put org.bytedeco:opencv (classifier "
              + Loader.getPlatform()
              + ") and its javacpp and openblas native jars on the class path: "
              + LOAD_FAILURE,
          LOAD_FAILURE);
    }
  }

  /** OpenCV's version, e.g. "4.10.0". */
  static String version() {
    ensureLoaded();
    return Core.VERSION;
  }

  /**
   * Decodes PNG, JPEG (EXIF orientation applied) or another format OpenCV reads into RGB; alpha is
   * dropped, grey is spread to three channels, 16-bit samples are scaled to 8 bits.
   *
   * @return the image, or null when OpenCV cannot decode the bytes
   */
  static Image decode(byte[] encoded) {
    ensureLoaded();
    MatOfByte buf = new MatOfByte(encoded);
    Mat bgr = null;
    Mat rgb = new Mat();
    try {
      bgr = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR);
      if (bgr == null || bgr.empty() || bgr.channels() != 3 || bgr.depth() != CvType.CV_8U) {
        return null;
      }
      Imgproc.cvtColor(bgr, rgb, Imgproc.COLOR_BGR2RGB);
      return Image.wrap(rgb.cols(), rgb.rows(), bytesOf(rgb));
    } finally {
      release(buf, bgr, rgb);
    }
  }

  /**
   * Encodes interleaved RGB bytes as a PNG (zlib level 3: near level 6 in size, about 3x faster).
   */
  static byte[] encodePng(int width, int height, byte[] rgbBytes) {
    ensureLoaded();
    Mat rgb = matOf(width, height, rgbBytes);
    Mat bgr = new Mat();
    MatOfByte out = new MatOfByte();
    MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_PNG_COMPRESSION, 3);
    try {
      Imgproc.cvtColor(rgb, bgr, Imgproc.COLOR_RGB2BGR);
      if (!Imgcodecs.imencode(".png", bgr, out, params)) {
        throw new IllegalStateException("OpenCV could not encode a PNG");
      }
      return out.toArray();
    } finally {
      release(rgb, bgr, out, params);
    }
  }

  /** Resizes to exactly {@code width x height} with an {@code Imgproc.INTER_*} interpolation. */
  static Image resize(Image image, int width, int height, int interpolation) {
    ensureLoaded();
    Mat src = matOf(image);
    Mat dst = new Mat();
    try {
      Imgproc.resize(src, dst, new Size(width, height), 0, 0, interpolation);
      return Image.wrap(width, height, bytesOf(dst));
    } finally {
      release(src, dst);
    }
  }

  /**
   * Each pixel's luma as OpenCV's {@code COLOR_RGB2GRAY} gives it (ITU-R BT.601 weights 0.299,
   * 0.587, 0.114 in fixed point, rounded), row by row: one byte a pixel. A grey pixel (r = g = b)
   * keeps its level.
   */
  static byte[] grey(Image image) {
    ensureLoaded();
    Mat src = matOf(image);
    Mat dst = new Mat();
    try {
      Imgproc.cvtColor(src, dst, Imgproc.COLOR_RGB2GRAY);
      byte[] out = new byte[image.width() * image.height()];
      dst.get(0, 0, out);
      return out;
    } finally {
      release(src, dst);
    }
  }

  /**
   * A Gaussian blur with standard deviation {@code sigma} pixels in x and y (kernel size chosen by
   * OpenCV from sigma, borders reflected), as interleaved RGB bytes.
   */
  static byte[] gaussianBlur(Image image, double sigma) {
    ensureLoaded();
    Mat src = matOf(image);
    Mat dst = new Mat();
    try {
      Imgproc.GaussianBlur(src, dst, new Size(0, 0), sigma, sigma, Core.BORDER_REFLECT_101);
      return bytesOf(dst);
    } finally {
      release(src, dst);
    }
  }

  /**
   * SLIC superpixels (OpenCV ximgproc, the SLIC variant) on the image converted to CIE L*a*b*.
   *
   * @param regionSize nominal superpixel side in pixels, 1 to min(width, height)
   * @param ruler compactness
   * @param minSizePercent connectivity enforcement: smaller fragments, in percent of the nominal
   *     superpixel area, are merged into a neighbour; 0 skips the step
   * @return one raw label per pixel, row by row (not yet contiguous)
   */
  static int[] slic(Image image, int regionSize, float ruler, int iterations, int minSizePercent) {
    ensureLoaded();
    Mat rgb = matOf(image);
    Mat lab = new Mat();
    Mat labels = new Mat();
    try {
      Imgproc.cvtColor(rgb, lab, Imgproc.COLOR_RGB2Lab);
      SuperpixelSLIC slic = Ximgproc.createSuperpixelSLIC(lab, Ximgproc.SLIC, regionSize, ruler);
      slic.iterate(iterations);
      if (minSizePercent > 0 && slic.getNumberOfSuperpixels() > 0) {
        slic.enforceLabelConnectivity(minSizePercent);
      }
      slic.getLabels(labels);
      return intsOf(labels);
    } finally {
      release(rgb, lab, labels);
    }
  }

  /**
   * Felzenszwalb and Huttenlocher's graph segmentation (OpenCV ximgproc) on the RGB image.
   *
   * @return one raw label per pixel, row by row
   */
  static int[] felzenszwalb(Image image, double sigma, float k, int minSize) {
    ensureLoaded();
    Mat rgb = matOf(image);
    Mat labels = new Mat();
    try {
      GraphSegmentation g = Ximgproc.createGraphSegmentation(sigma, k, minSize);
      g.processImage(rgb, labels);
      return intsOf(labels);
    } finally {
      release(rgb, labels);
    }
  }

  private static Mat matOf(Image image) {
    return matOf(image.width(), image.height(), image.bytes());
  }

  private static Mat matOf(int width, int height, byte[] rgb) {
    Mat m = new Mat(height, width, CvType.CV_8UC3);
    m.put(0, 0, rgb);
    return m;
  }

  private static byte[] bytesOf(Mat m) {
    Mat c = m.isContinuous() ? m : m.clone();
    try {
      byte[] out = new byte[(int) (c.total() * c.channels())];
      c.get(0, 0, out);
      return out;
    } finally {
      if (c != m) {
        c.release();
      }
    }
  }

  private static int[] intsOf(Mat m) {
    if (m.type() != CvType.CV_32S) {
      throw new IllegalStateException(
          "OpenCV gave labels of type " + CvType.typeToString(m.type()));
    }
    Mat c = m.isContinuous() ? m : m.clone();
    try {
      int[] out = new int[(int) c.total()];
      c.get(0, 0, out);
      return out;
    } finally {
      if (c != m) {
        c.release();
      }
    }
  }

  private static void release(Mat... mats) {
    for (Mat m : mats) {
      if (m != null) {
        m.release();
      }
    }
  }
}
