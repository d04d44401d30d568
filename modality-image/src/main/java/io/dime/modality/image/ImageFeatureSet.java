package io.dime.modality.image;

import static java.util.Objects.requireNonNull;

import io.dime.api.FeatureMap;
import io.dime.spi.FeatureSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The superpixels of one image and the perturber that hides them. The fully hidden image is made
 * once, so {@link #apply} is one pass of array copies over the runs of equal labels. Immutable and
 * thread-safe.
 */
final class ImageFeatureSet implements FeatureSet<Image> {
  private final Image value;
  private final Image hidden;
  private final Segmentation segmentation;
  private final String featurizer;
  private final List<String> names;

  ImageFeatureSet(Image value, Segmentation segmentation, Image hidden, String featurizer) {
    this.value = requireNonNull(value, "value is null");
    this.segmentation = requireNonNull(segmentation, "segmentation is null");
    this.hidden = requireNonNull(hidden, "hidden is null");
    this.featurizer = requireNonNull(featurizer, "featurizer is null");
    List<String> n = new ArrayList<>(segmentation.count);
    for (int i = 0; i < segmentation.count; i++) {
      n.add("s" + i);
    }
    this.names = List.copyOf(n);
  }

  /**
   * The image with every segment hidden by the perturber: each segment's mean colour (each channel
   * rounded to the nearest integer, halves up), a constant colour, or the blurred image.
   */
  static Image hiddenImage(Image value, Segmentation seg, ImageSettings settings) {
    byte[] out;
    switch (settings.perturber) {
      case "blur" -> out = OpenCv.gaussianBlur(value, settings.blurSigma);
      case "constant" -> {
        out = new byte[value.pixelCount() * 3];
        for (int i = 0; i < out.length; i += 3) {
          out[i] = (byte) settings.fill[0];
          out[i + 1] = (byte) settings.fill[1];
          out[i + 2] = (byte) settings.fill[2];
        }
      }
      default -> {
        byte[] src = value.bytes();
        long[] sums = new long[seg.count * 3];
        for (int p = 0, i = 0; p < seg.labels.length; p++, i += 3) {
          int s = 3 * seg.labels[p];
          sums[s] += src[i] & 0xFF;
          sums[s + 1] += src[i + 1] & 0xFF;
          sums[s + 2] += src[i + 2] & 0xFF;
        }
        byte[] mean = new byte[seg.count * 3];
        for (int s = 0; s < seg.count; s++) {
          long n = seg.pixelCounts[s];
          for (int c = 0; c < 3; c++) {
            mean[3 * s + c] = (byte) ((2 * sums[3 * s + c] + n) / (2 * n));
          }
        }
        out = new byte[src.length];
        for (int p = 0, i = 0; p < seg.labels.length; p++, i += 3) {
          System.arraycopy(mean, 3 * seg.labels[p], out, i, 3);
        }
      }
    }
    return Image.wrap(value.width(), value.height(), out);
  }

  @Override
  public Image value() {
    return value;
  }

  @Override
  public int size() {
    return segmentation.count;
  }

  @Override
  public List<String> names() {
    return names;
  }

  @Override
  public Image apply(boolean[] keep) {
    requireNonNull(keep, "keep is null");
    if (keep.length != segmentation.count) {
      throw new IllegalArgumentException(
          "mask has " + keep.length + " entries for " + segmentation.count + " segments");
    }
    int kept = 0;
    for (boolean k : keep) {
      kept += k ? 1 : 0;
    }
    if (kept == keep.length) {
      return value;
    }
    if (kept == 0) {
      return hidden;
    }
    byte[] shown = value.bytes();
    byte[] masked = hidden.bytes();
    byte[] out = new byte[shown.length];
    int[] start = segmentation.runStart;
    int[] length = segmentation.runLength;
    int[] label = segmentation.runLabel;
    for (int r = 0; r < start.length; r++) {
      System.arraycopy(
          keep[label[r]] ? shown : masked, 3 * start[r], out, 3 * start[r], 3 * length[r]);
    }
    return Image.wrap(value.width(), value.height(), out);
  }

  /**
   * Plain data for views and reports: {@code width}, {@code height}, {@code featurizer}, {@code
   * segments} (one label per pixel, row by row, int[]), and per segment {@code pixelCounts}
   * (int[]), {@code centroidX} and {@code centroidY} (mean column and row of its pixels, 0-based,
   * double[]). Arrays are fresh copies.
   */
  @Override
  public Map<String, Object> layout() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("width", value.width());
    m.put("height", value.height());
    m.put("featurizer", featurizer);
    m.put("segments", segmentation.labels.clone());
    m.put("pixelCounts", segmentation.pixelCounts.clone());
    m.put("centroidX", segmentation.centroidX.clone());
    m.put("centroidY", segmentation.centroidY.clone());
    return m;
  }

  /** The superpixel label map, run-length encoded; exactly {@code layout().get("segments")}. */
  @Override
  public Optional<FeatureMap> featureMap() {
    return Optional.of(FeatureMap.Pixels.of(value.width(), value.height(), segmentation.labels));
  }

  Segmentation segmentation() {
    return segmentation;
  }
}
