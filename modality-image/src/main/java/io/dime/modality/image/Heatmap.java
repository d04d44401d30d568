package io.dime.modality.image;

import io.dime.spi.Palette;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Draws feature weights over the image as a PNG heat map (view kind {@code "heatmap"}).
 *
 * <p>Each shown segment is blended towards its sign's end colour with opacity {@code t = |w| /
 * end}, where {@code end} is the weight at that end of the colour scale: the segment at an end is
 * filled with exactly the end colour, a weight of 0 leaves the image as it is. With the default
 * {@code two_sided} scale each sign has its own end (the most positive weight and the most negative
 * one), so the extreme segment of each sign carries its end colour exactly; with {@code symmetric}
 * both ends are the largest absolute weight. Superpixel boundaries are drawn last, one pixel wide
 * (a pixel whose right or lower neighbour is in another segment), in neutral grey {@code #808080},
 * except in a segment whose every pixel is such a pixel (one pixel wide), which would otherwise
 * show no colour at all. With {@code topN > 0} only the n segments with the largest absolute
 * weights (ties: lower index first) are coloured and set the scale.
 */
final class Heatmap {
  /** Superpixel boundaries: a neutral mid grey. */
  static final int BOUNDARY = 0x808080;

  private Heatmap() {}

  static View render(
      Image image,
      Segmentation seg,
      double[] weights,
      ViewOptions options,
      ImageSettings settings) {
    checkWeights(seg.count, weights);
    ViewOptions opts = options == null ? new ViewOptions(null, 0, null) : options;
    Palette palette = opts.palette(settings.palette);
    boolean[] shown = opts.shown(weights);
    Scale scale = Scale.of(weights, shown, settings.colorScale.equals("symmetric"));

    // per segment: opacity and colour
    int d = seg.count;
    float[] alpha = new float[d];
    int[] colour = new int[d];
    int coloured = 0;
    for (int i = 0; i < d; i++) {
      double w = weights[i];
      if (!shown[i] || w == 0) {
        continue;
      }
      alpha[i] = (float) Math.min(1, w > 0 ? w / scale.positive : -w / scale.negative);
      colour[i] = w > 0 ? palette.positiveRgb() : palette.negativeRgb();
      coloured++;
    }
    int[] colouredSegments = new int[coloured];
    for (int i = 0, k = 0; i < d; i++) {
      if (alpha[i] > 0) {
        colouredSegments[k++] = i;
      }
    }
    byte[] out = blend(image, seg, alpha, colour);

    Map<String, Object> data = new LinkedHashMap<>();
    data.put("png", OpenCv.encodePng(image.width(), image.height(), out));
    data.put("width", image.width());
    data.put("height", image.height());
    data.put("palette", palette.id());
    data.put("negativeColor", palette.negative());
    data.put("positiveColor", palette.positive());
    data.put("boundaryColor", Palette.hex(BOUNDARY));
    data.put("colorScale", settings.colorScale);
    data.put("scaleMin", scale.negative == 0 ? 0.0 : -scale.negative);
    data.put("scaleMax", scale.positive);
    data.put("topN", opts.topN());
    data.put("coloredSegments", colouredSegments);
    if (options != null && options.title() != null) {
      data.put("title", options.title());
    }
    return new View("heatmap", data);
  }

  private static void checkWeights(int d, double[] weights) {
    if (weights == null || weights.length != d) {
      throw new IllegalArgumentException(
          "heat map needs one weight per segment ("
              + d
              + "), found "
              + (weights == null ? "null" : weights.length));
    }
    for (int i = 0; i < d; i++) {
      if (!Double.isFinite(weights[i])) {
        throw new IllegalArgumentException("weight " + i + " is " + weights[i] + " (not finite)");
      }
    }
  }

  /**
   * The weights at the two ends of the colour scale, both at least 0: the largest shown weight and
   * the largest shown negated weight, or with {@code symmetric} both the largest absolute one.
   */
  private record Scale(double positive, double negative) {
    static Scale of(double[] weights, boolean[] shown, boolean symmetric) {
      double posEnd = 0;
      double negEnd = 0;
      for (int i = 0; i < weights.length; i++) {
        if (shown[i]) {
          posEnd = Math.max(posEnd, weights[i]);
          negEnd = Math.max(negEnd, -weights[i]);
        }
      }
      if (symmetric) {
        posEnd = negEnd = Math.max(posEnd, negEnd);
      }
      return new Scale(posEnd, negEnd);
    }
  }

  /** The image with each segment blended towards its colour, and the boundaries drawn. */
  private static byte[] blend(Image image, Segmentation seg, float[] alpha, int[] colour) {
    byte[] src = image.bytes();
    byte[] out = new byte[src.length];
    boolean[] boundary = new boolean[seg.labels.length];
    boolean[] hasInterior = new boolean[seg.count];
    for (int p = 0; p < boundary.length; p++) {
      boundary[p] = seg.isBoundary(p);
      hasInterior[seg.labels[p]] |= !boundary[p];
    }
    for (int p = 0, b = 0; p < seg.labels.length; p++, b += 3) {
      int s = seg.labels[p];
      if (boundary[p] && hasInterior[s]) {
        put(out, b, BOUNDARY);
      } else if (alpha[s] >= 1) {
        put(out, b, colour[s]);
      } else if (alpha[s] > 0) {
        float a = alpha[s];
        int c = colour[s];
        out[b] = blend(src[b], c >>> 16, a);
        out[b + 1] = blend(src[b + 1], c >>> 8, a);
        out[b + 2] = blend(src[b + 2], c, a);
      } else {
        out[b] = src[b];
        out[b + 1] = src[b + 1];
        out[b + 2] = src[b + 2];
      }
    }
    return out;
  }

  private static void put(byte[] out, int b, int rgb) {
    out[b] = (byte) (rgb >>> 16);
    out[b + 1] = (byte) (rgb >>> 8);
    out[b + 2] = (byte) rgb;
  }

  private static byte blend(byte image, int colour, float a) {
    return (byte) Math.round((image & 0xFF) * (1 - a) + (colour & 0xFF) * a);
  }
}
