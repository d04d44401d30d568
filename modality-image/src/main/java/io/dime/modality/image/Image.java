package io.dime.modality.image;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * An immutable 8-bit RGB image: {@code width x height} pixels, three channels in the order red,
 * green, blue, stored row by row (pixel (x, y) starts at byte {@code 3 * (y * width + x)}).
 *
 * <p>Values are plain Java (no native memory), so they are cheap to keep and safe to share between
 * threads. Two images are equal when they have the same size and the same pixels.
 */
public final class Image {
  private final int width;
  private final int height;
  private final byte[] rgb;
  private int hash;

  private Image(int width, int height, byte[] rgb) {
    this.width = width;
    this.height = height;
    this.rgb = rgb;
  }

  /**
   * An image from interleaved RGB bytes (red, green, blue per pixel, row by row); the array is
   * copied.
   *
   * @throws IllegalArgumentException if a size is not positive or the array length is not {@code 3
   *     * width * height}
   */
  public static Image ofRgb(int width, int height, byte[] rgb) {
    requireNonNull(rgb, "rgb is null");
    checkSize(width, height, rgb.length);
    return new Image(width, height, rgb.clone());
  }

  /**
   * An image from packed pixels {@code 0xRRGGBB}, row by row (the top byte, alpha, is ignored).
   *
   * @throws IllegalArgumentException if a size is not positive or the array length is not {@code
   *     width * height}
   */
  public static Image ofPackedRgb(int width, int height, int[] pixels) {
    requireNonNull(pixels, "pixels is null");
    checkSize(width, height, pixels.length * 3L);
    byte[] rgb = new byte[pixels.length * 3];
    for (int p = 0, i = 0; p < pixels.length; p++, i += 3) {
      int c = pixels[p];
      rgb[i] = (byte) (c >>> 16);
      rgb[i + 1] = (byte) (c >>> 8);
      rgb[i + 2] = (byte) c;
    }
    return new Image(width, height, rgb);
  }

  /** Wraps an array this package made and will not change again; no copy. */
  static Image wrap(int width, int height, byte[] rgb) {
    checkSize(width, height, rgb.length);
    return new Image(width, height, rgb);
  }

  private static void checkSize(int width, int height, long length) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "image size must be positive, found " + width + "x" + height);
    }
    long expected = 3L * width * height;
    if (expected > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("image " + width + "x" + height + " is too large");
    }
    if (length != expected) {
      throw new IllegalArgumentException(
          "an RGB image of "
              + width
              + "x"
              + height
              + " has "
              + expected
              + " bytes, found "
              + length);
    }
  }

  /** Width in pixels, at least 1. */
  public int width() {
    return width;
  }

  /** Height in pixels, at least 1. */
  public int height() {
    return height;
  }

  /** Number of channels: always 3 (red, green, blue). */
  public int channels() {
    return 3;
  }

  /** Number of pixels, {@code width * height}. */
  public int pixelCount() {
    return width * height;
  }

  /**
   * One channel of one pixel, 0 to 255.
   *
   * @param channel 0 red, 1 green, 2 blue
   */
  public int sample(int x, int y, int channel) {
    checkPixel(x, y);
    if (channel < 0 || channel > 2) {
      throw new IndexOutOfBoundsException("channel " + channel + " is not 0, 1 or 2");
    }
    return rgb[3 * (y * width + x) + channel] & 0xFF;
  }

  /** The pixel at (x, y) packed as {@code 0xRRGGBB}. */
  public int rgb(int x, int y) {
    checkPixel(x, y);
    int i = 3 * (y * width + x);
    return (rgb[i] & 0xFF) << 16 | (rgb[i + 1] & 0xFF) << 8 | (rgb[i + 2] & 0xFF);
  }

  /** A copy of the interleaved RGB bytes, row by row. */
  public byte[] toRgbBytes() {
    return rgb.clone();
  }

  /** The pixels packed as {@code 0xRRGGBB}, row by row (a new array). */
  public int[] toPackedRgb() {
    int[] out = new int[width * height];
    for (int p = 0, i = 0; p < out.length; p++, i += 3) {
      out[p] = (rgb[i] & 0xFF) << 16 | (rgb[i + 1] & 0xFF) << 8 | (rgb[i + 2] & 0xFF);
    }
    return out;
  }

  /** The bytes themselves, for this package's readers; never hand them out or change them. */
  byte[] bytes() {
    return rgb;
  }

  private void checkPixel(int x, int y) {
    if (x < 0 || x >= width || y < 0 || y >= height) {
      throw new IndexOutOfBoundsException(
          "pixel (" + x + ", " + y + ") is outside the " + width + "x" + height + " image");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o == this
        || o instanceof Image other
            && width == other.width
            && height == other.height
            && hashCode() == other.hashCode()
            && Arrays.equals(rgb, other.rgb);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = 31 * (31 * width + height) + Arrays.hashCode(rgb);
      hash = h;
    }
    return h;
  }

  @Override
  public String toString() {
    return "Image[" + width + "x" + height + " RGB]";
  }
}
