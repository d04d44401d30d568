package io.dime.modality.image;

import io.dime.spi.Palette;
import io.dime.spi.PluginConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opencv.imgproc.Imgproc;

/**
 * The image modality's settings, parsed and checked once. A setting that does not apply to the
 * chosen featurizer or perturber is rejected (so a typo'd combination is not silently ignored). See
 * {@link ImageModality} for the list.
 */
final class ImageSettings {
  static final Set<String> KEYS =
      Set.of(
          "featurizer",
          "segments",
          "regionSize",
          "compactness",
          "iterations",
          "minSizePercent",
          "sigma",
          "k",
          "minSize",
          "rows",
          "cols",
          "perturber",
          "fill",
          "blurSigma",
          "input",
          "resize",
          "centerCrop",
          "interpolation",
          "channelOrder",
          "scale",
          "mean",
          "std",
          "layout",
          "palette",
          "colorScale",
          "maxPixels");

  /** Which featurizer or perturber each specific setting belongs to. */
  private static final Map<String, String> OWNER =
      Map.ofEntries(
          Map.entry("regionSize", "slic"),
          Map.entry("compactness", "slic"),
          Map.entry("iterations", "slic"),
          Map.entry("minSizePercent", "slic"),
          Map.entry("sigma", "felzenszwalb"),
          Map.entry("k", "felzenszwalb"),
          Map.entry("minSize", "felzenszwalb"),
          Map.entry("rows", "grid"),
          Map.entry("cols", "grid"),
          Map.entry("fill", "constant"),
          Map.entry("blurSigma", "blur"));

  static final int DEFAULT_SEGMENTS = 50;

  /**
   * The largest Gaussian standard deviation, in pixels, of {@code blurSigma} and {@code sigma}:
   * OpenCV's kernel is about 6 sigma wide, so a larger one blurs an image of the largest size
   * ({@link #DEFAULT_MAX_PIXELS}) to its mean anyway, takes minutes per image, and beyond about
   * 3.6e8 fails inside OpenCV.
   */
  static final double MAX_SIGMA = 1000;

  /**
   * The largest {@code compactness}. OpenCV's SLIC weighs distances in single precision: from about
   * 1e19 they overflow, and a 64 x 48 image of region size 8 came out as one segment at 1e20 (48 at
   * 2e19). Far below that, a compactness of 1e6 already gives the same segments as 1e18.
   */
  static final double MAX_COMPACTNESS = 1e9;

  /**
   * The largest Felzenszwalb {@code k}. OpenCV's graph segmentation takes it in single precision,
   * where 1e300 is infinite; far below that, from about 1e6, a 64 x 48 image is one segment.
   */
  static final double MAX_K = 1e9;

  /**
   * The most pixels an image may declare in its header (4096 x 4096): decoding takes 3 bytes a
   * pixel, twice, and encoding 4 bytes a pixel per channel.
   */
  static final int DEFAULT_MAX_PIXELS = 4096 * 4096;

  /**
   * The largest {@code maxPixels}: an image is held as one array of 3 bytes a pixel, and the
   * largest Java array has {@code Integer.MAX_VALUE - 8} entries.
   */
  static final int MAX_MAX_PIXELS = (Integer.MAX_VALUE - 8) / 3;

  /** The longest side {@code resize} and {@code centerCrop} take. */
  static final int MAX_SIDE = 65_536;

  /** A width and a height in pixels. */
  record Dims(int width, int height) {
    List<Integer> toList() {
      return List.of(width, height);
    }
  }

  final String component;
  final String featurizer;
  final Integer segments; // slic (unless regionSize) and grid (unless rows/cols)
  final Integer regionSize;
  final double compactness;
  final int iterations;
  final int minSizePercent;
  final double sigma;
  final double k;
  final int minSize;
  final int rows;
  final int cols;
  final boolean gridFromSegments;

  final String perturber;
  final int[] fill;
  final double blurSigma;

  final String input;
  final Integer resizeShorter; // resize given as one number: the shorter side
  final Dims resize; // resize given as [w, h]
  final Dims centerCrop;
  final String interpolation;
  final String channelOrder;
  final double scale;
  final double[] mean;
  final double[] std;
  final String layout;

  final Palette palette;
  final String colorScale;
  final int maxPixels;

  /** The largest image file read: 8 bytes a pixel of {@link #maxPixels}, plus 1 MiB of metadata. */
  long maxFileBytes() {
    return 8L * maxPixels + (1L << 20);
  }

  ImageSettings(PluginConfig config) {
    config.requireKnown(KEYS);
    this.component = config.component();
    this.featurizer =
        config.getChoice("featurizer", "slic", Set.of("slic", "felzenszwalb", "grid"));
    this.perturber =
        config.getChoice(
            "perturber", "mean", Set.of("mean", "constant", "blur", "pool-mean", "reference"));
    checkOwners(config);
    ListSettings lists = new ListSettings(config);
    checkSegmentCount(config);
    this.regionSize =
        config.get("regionSize").isPresent() ? positive("regionSize", config, 0) : null;
    this.segments =
        featurizer.equals("felzenszwalb") || regionSize != null
            ? null
            : intIn("segments", config, DEFAULT_SEGMENTS, 1, 1_000_000);
    this.compactness = compactness(config);
    this.iterations = intIn("iterations", config, 10, 1, 1000);
    this.minSizePercent = intIn("minSizePercent", config, 25, 0, 100);
    this.sigma = nonNegativeDouble("sigma", config, 0.5);
    atMost("sigma", sigma, MAX_SIGMA);
    this.k = felzenszwalbK(config);
    this.minSize = intIn("minSize", config, 100, 0, Integer.MAX_VALUE);
    int side = segments == null ? 1 : Math.max(1, (int) Math.round(Math.sqrt(segments)));
    Integer r = config.get("rows").isPresent() ? positive("rows", config, 0) : null;
    Integer c = config.get("cols").isPresent() ? positive("cols", config, 0) : null;
    this.gridFromSegments = r == null && c == null;
    this.rows = r != null ? r : c != null ? c : side;
    this.cols = c != null ? c : r != null ? r : side;

    this.fill = lists.fill();
    this.blurSigma = positiveDouble("blurSigma", config, 5);
    atMost("blurSigma", blurSigma, MAX_SIGMA);

    this.input = config.getString("input", null);
    if (input != null && input.isBlank()) {
      throw bad("setting 'input' is blank");
    }
    Object resizeValue = config.get("resize").orElse(null);
    this.resizeShorter =
        resizeValue instanceof Number ? intIn("resize", config, 0, 1, MAX_SIDE) : null;
    this.resize = resizeValue instanceof Number ? null : lists.dims("resize", resizeValue);
    this.centerCrop = lists.dims("centerCrop", config.get("centerCrop").orElse(null));
    checkCropFitsResize();
    checkGridFits();
    if (config.get("interpolation").isPresent() && resizeValue == null) {
      throw bad("setting 'interpolation' applies only with 'resize'");
    }
    this.interpolation =
        config.getChoice(
            "interpolation", "bilinear", Set.of("bilinear", "area", "nearest", "bicubic"));
    String order = config.getChoice("channelOrder", "rgb", Set.of("rgb", "bgr", "grey", "gray"));
    this.channelOrder = order.equals("gray") ? "grey" : order;
    this.scale = config.getDouble("scale", 1.0 / 255);
    // a negative scale or std, as the time series refuses, flipped the sign of every pixel
    if (!Double.isFinite(scale) || !(scale > 0)) {
      throw bad("setting 'scale' must be a finite positive number, found " + scale);
    }
    this.mean = lists.perChannel("mean", 0, channels());
    this.std = lists.perChannel("std", 1, channels());
    for (int ch = 0; ch < channels(); ch++) {
      if (!(std[ch] > 0)) {
        throw bad(
            "setting 'std' of channel "
                + ch
                + " is "
                + std[ch]
                + "; a standard deviation must be positive");
      }
    }
    checkEncodedRange();
    this.layout = config.getChoice("layout", "nchw", Set.of("nchw", "nhwc"));

    this.palette = Palette.setting(config, "palette");
    this.colorScale = config.getChoice("colorScale", "two_sided", Set.of("two_sided", "symmetric"));
    this.maxPixels = intIn("maxPixels", config, DEFAULT_MAX_PIXELS, 1, MAX_MAX_PIXELS);
    checkModelSizeFits();
  }

  /**
   * Rejects a resize or crop that makes every image larger than {@code maxPixels}: OpenCV would be
   * asked for the pixels of the resized image (resize 65537 on a 12 x 9 image: 17 GB).
   */
  private void checkModelSizeFits() {
    if (resize != null && (long) resize.width() * resize.height() > maxPixels) {
      throw bad(
          "resize "
              + resize.width()
              + "x"
              + resize.height()
              + " is "
              + (long) resize.width() * resize.height()
              + " pixels; the most is "
              + maxPixels
              + " (setting 'maxPixels')");
    }
    if (resizeShorter != null && (long) resizeShorter * resizeShorter > maxPixels) {
      throw bad(
          "resize "
              + resizeShorter
              + " makes every image at least "
              + resizeShorter
              + "x"
              + resizeShorter
              + " = "
              + (long) resizeShorter * resizeShorter
              + " pixels; the most is "
              + maxPixels
              + " (setting 'maxPixels')");
    }
    if (centerCrop != null && (long) centerCrop.width() * centerCrop.height() > maxPixels) {
      throw bad(
          "centerCrop "
              + centerCrop.width()
              + "x"
              + centerCrop.height()
              + " is "
              + (long) centerCrop.width() * centerCrop.height()
              + " pixels, more than any image may have: the most is "
              + maxPixels
              + " (setting 'maxPixels')");
    }
  }

  /**
   * Rejects a scale, mean and std that take a sample (0 to 255) beyond FLOAT32's range: the model
   * would be fed an infinity for it and answer NaN ('scale: 1e300', 'std: 1e-300'); and one that
   * encodes samples 0 and 255 alike ('scale: 1e-300'). The encoded value is linear in the sample,
   * so samples 0 and 255 are its extremes.
   */
  private void checkEncodedRange() {
    for (int c = 0; c < channels(); c++) {
      for (int sample : new int[] {0, 255}) {
        double v = (sample * scale - mean[c]) / std[c];
        if (Float.isInfinite((float) v)) {
          throw bad(
              encoding(c)
                  + " make sample "
                  + sample
                  + " of channel "
                  + c
                  + " "
                  + v
                  + ", beyond the model's FLOAT32 input (largest "
                  + Float.MAX_VALUE
                  + ")");
        }
      }
      float black = (float) ((0.0 - mean[c]) / std[c]); // as the encoder computes it: never -0.0
      float white = (float) ((255 * scale - mean[c]) / std[c]);
      if (black == white) {
        // scale 1e-300: 0 and 255 both encode as 0; every image would reach the model the same
        throw bad(
            encoding(c)
                + " encode every sample of channel "
                + c
                + ", 0 to 255, as the same FLOAT32 value "
                + black
                + "; the model could not tell any two images apart");
      }
    }
  }

  /** "settings 'scale' S, 'mean' M and 'std' D" of channel {@code c}, for the range messages. */
  private String encoding(int c) {
    return "settings 'scale' " + scale + ", 'mean' " + mean[c] + " and 'std' " + std[c];
  }

  /** Rejects a setting that belongs to another featurizer or perturber than the chosen ones. */
  private void checkOwners(PluginConfig config) {
    for (String key : config.values().keySet()) { // in the order given, for a stable message
      String owner = OWNER.get(key);
      if (owner != null && !owner.equals(featurizer) && !owner.equals(perturber)) {
        String what = Set.of("constant", "blur").contains(owner) ? "perturber" : "featurizer";
        throw bad(
            "setting '"
                + key
                + "' applies to "
                + what
                + " '"
                + owner
                + "' only; this modality uses featurizer '"
                + featurizer
                + "' and perturber '"
                + perturber
                + "'");
      }
    }
  }

  /** Rejects 'segments' where the count is fixed another way. */
  private void checkSegmentCount(PluginConfig config) {
    boolean hasSegments = config.get("segments").isPresent();
    if (featurizer.equals("felzenszwalb") && hasSegments) {
      throw bad(
          "setting 'segments' applies to featurizers 'slic' and 'grid'; Felzenszwalb's count"
              + " follows from 'k', 'sigma' and 'minSize'");
    }
    if (hasSegments && config.get("regionSize").isPresent()) {
      throw bad("give 'segments' or 'regionSize', not both");
    }
    if (hasSegments && (config.get("rows").isPresent() || config.get("cols").isPresent())) {
      throw bad("give 'segments' or 'rows'/'cols', not both");
    }
  }

  private void checkCropFitsResize() {
    if (resizeShorter != null
        && centerCrop != null
        && Math.min(centerCrop.width(), centerCrop.height()) > resizeShorter) {
      // the resized image has a side of resizeShorter, shorter than both sides of the crop
      throw bad(
          "centerCrop "
              + centerCrop.width()
              + "x"
              + centerCrop.height()
              + " is larger than any image resized to a shorter side of "
              + resizeShorter
              + " (setting 'resize')");
    }
    if (resize != null
        && centerCrop != null
        && (centerCrop.width() > resize.width() || centerCrop.height() > resize.height())) {
      throw bad(
          "centerCrop "
              + centerCrop.width()
              + "x"
              + centerCrop.height()
              + " is larger than resize "
              + resize.width()
              + "x"
              + resize.height());
    }
  }

  /**
   * Rejects a grid with more rows or columns than every image the model takes has pixels: each
   * record would fail with "image 224x224 is smaller than the grid".
   */
  private void checkGridFits() {
    if (!featurizer.equals("grid")) {
      return;
    }
    Dims fixed = centerCrop != null ? centerCrop : resize;
    String setting = centerCrop != null ? "centerCrop" : "resize";
    String grid =
        "the grid of "
            + rows
            + " rows and "
            + cols
            + " columns"
            + (gridFromSegments ? " (setting 'segments' " + segments + ")" : "");
    if (fixed != null && (rows > fixed.height() || cols > fixed.width())) {
      throw bad(
          grid
              + " does not fit the "
              + fixed.width()
              + "x"
              + fixed.height()
              + " image the model takes (setting '"
              + setting
              + "'): at most "
              + fixed.height()
              + " rows and "
              + fixed.width()
              + " columns");
    }
    if (fixed == null && resizeShorter != null && Math.min(rows, cols) > resizeShorter) {
      throw bad(
          grid
              + " does not fit any image resized to a shorter side of "
              + resizeShorter
              + " (setting 'resize')");
    }
  }

  /** The OpenCV interpolation flag for {@link #interpolation}. */
  int interpolationFlag() {
    return switch (interpolation) {
      case "area" -> Imgproc.INTER_AREA;
      case "nearest" -> Imgproc.INTER_NEAREST;
      case "bicubic" -> Imgproc.INTER_CUBIC;
      default -> Imgproc.INTER_LINEAR;
    };
  }

  /** Every effective setting (defaults included), as plain data, in a fixed order. */
  Map<String, Object> provenance(String tensorName) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("featurizer", featurizer);
    switch (featurizer) {
      case "slic" -> {
        if (regionSize != null) {
          p.put("regionSize", regionSize);
        } else {
          p.put("segments", segments);
        }
        p.put("compactness", compactness);
        p.put("iterations", iterations);
        p.put("minSizePercent", minSizePercent);
      }
      case "felzenszwalb" -> {
        p.put("sigma", sigma);
        p.put("k", k);
        p.put("minSize", minSize);
      }
      default -> {
        if (gridFromSegments) {
          p.put("segments", segments);
        }
        p.put("rows", rows);
        p.put("cols", cols);
      }
    }
    p.put("perturber", perturber);
    if (perturber.equals("constant")) {
      p.put("fill", List.of(fill[0], fill[1], fill[2]));
    } else if (perturber.equals("blur")) {
      p.put("blurSigma", blurSigma);
    }
    p.put("input", tensorName);
    if (resizeShorter != null) {
      p.put("resize", resizeShorter);
    } else if (resize != null) {
      p.put("resize", resize.toList());
    }
    if (resizeShorter != null || resize != null) {
      p.put("interpolation", interpolation);
    }
    if (centerCrop != null) {
      p.put("centerCrop", centerCrop.toList());
    }
    p.put("channelOrder", channelOrder);
    p.put("scale", scale);
    p.put("mean", boxed(channels() == 1 ? new double[] {mean[0]} : mean));
    p.put("std", boxed(channels() == 1 ? new double[] {std[0]} : std));
    p.put("layout", layout);
    p.put("palette", palette.id());
    p.put("colorScale", colorScale);
    p.put("maxPixels", maxPixels);
    return p;
  }

  private static List<Double> boxed(double[] a) {
    List<Double> out = new ArrayList<>();
    for (double v : a) {
      out.add(v);
    }
    return List.copyOf(out);
  }

  private IllegalArgumentException bad(String message) {
    return new IllegalArgumentException(component + ": " + message);
  }

  private int intIn(String key, PluginConfig config, int dflt, int min, int max) {
    Object raw = config.get(key).orElse(null);
    // a number outside the range is said against the range, a whole number beyond int too (1e12),
    // which getInt would refuse against int's
    boolean outside = raw instanceof Number n && (n.doubleValue() < min || n.doubleValue() > max);
    int v = outside ? min : config.getInt(key, dflt);
    if (outside || v < min || v > max) {
      // "at least 1" for a number too small; a number beyond int (2147483648) is not too small
      boolean below = outside ? ((Number) raw).doubleValue() < min : v < min;
      throw bad(
          "setting '"
              + key
              + "' must be "
              + (max == Integer.MAX_VALUE && below
                  ? "at least " + min
                  : "from " + min + " to " + max)
              + ", found "
              + (outside ? raw : v));
    }
    return v;
  }

  private int positive(String key, PluginConfig config, int dflt) {
    return intIn(key, config, dflt, 1, Integer.MAX_VALUE);
  }

  private double positiveDouble(String key, PluginConfig config, double dflt) {
    double v = config.getDouble(key, dflt);
    if (!(v > 0) || !Double.isFinite(v)) {
      throw bad("setting '" + key + "' must be a positive number, found " + v);
    }
    return v;
  }

  private double compactness(PluginConfig config) {
    return positiveUpTo(
        "compactness",
        config,
        10,
        MAX_COMPACTNESS,
        "OpenCV's SLIC computes in single precision; from about 1e19 it gives one segment");
  }

  private double felzenszwalbK(PluginConfig config) {
    return positiveUpTo(
        "k",
        config,
        300,
        MAX_K,
        "OpenCV's graph segmentation takes it in single precision, infinite from about 3.4e38;"
            + " from about 1e6 a 64 x 48 image is one segment");
  }

  /** A positive setting of a segmenter at most {@code max}, which {@code why} explains. */
  private double positiveUpTo(
      String key, PluginConfig config, double dflt, double max, String why) {
    double v = positiveDouble(key, config, dflt);
    if (v > max) {
      throw bad("setting '" + key + "' must be at most " + max + " (" + why + "), found " + v);
    }
    return v;
  }

  private void atMost(String key, double v, double max) {
    if (v > max) {
      throw bad("setting '" + key + "' must be at most " + (int) max + " (pixels), found " + v);
    }
  }

  private double nonNegativeDouble(String key, PluginConfig config, double dflt) {
    double v = config.getDouble(key, dflt);
    if (!(v >= 0) || !Double.isFinite(v)) {
      throw bad("setting '" + key + "' must be a number of at least 0, found " + v);
    }
    return v;
  }

  /** Channels of the encoded tensor: 1 for {@code channelOrder: grey}, else 3. */
  int channels() {
    return channelOrder.equals("grey") ? 1 : 3;
  }
}
