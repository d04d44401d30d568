package io.dime.modality.image;

import static java.util.Objects.requireNonNull;

import io.dime.api.InputException;
import io.dime.spi.Encoder;
import io.dime.spi.FeatureSet;
import io.dime.spi.JsonValues;
import io.dime.spi.Modality;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import io.dime.spi.ReadContext;
import io.dime.spi.SamplingHints;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The {@code image} modality: an RGB {@link Image} read from a PNG or JPEG file (a path relative to
 * the manifest), from {@code {"base64": "..."}} or from bytes; superpixels as features; hidden
 * superpixels replaced by their mean colour, a constant colour, a blurred copy, the pool's mean
 * image or a pool image; one FLOAT32 model input; heat-map views.
 *
 * <h2>Settings</h2>
 *
 * <p>Features ({@code featurizer}: {@code slic} (default), {@code felzenszwalb} or {@code grid}):
 *
 * <ul>
 *   <li>slic (OpenCV ximgproc SLIC on the image in CIE L*a*b*): {@code segments}, the target number
 *       (default 50; the region size is adjusted, at most four runs, until the count after
 *       connectivity enforcement is within 5% or the closest found), or {@code regionSize} (the
 *       superpixel side in pixels, one run, capped at the image's shorter side); {@code
 *       compactness} (OpenCV's ruler, default 10, at most 1e9); {@code iterations} (default 10);
 *       {@code minSizePercent} (fragments smaller than this percentage of the nominal superpixel
 *       area are merged into a neighbour; default 25; 0 skips the step).
 *   <li>felzenszwalb (OpenCV ximgproc graph segmentation on RGB): {@code sigma} (pre-smoothing,
 *       default 0.5, at most 1000), {@code k} (scale; larger gives fewer segments, default 300, at
 *       most 1e9), {@code minSize} (minimum segment size in pixels, default 100).
 *   <li>grid: {@code rows} and {@code cols} (one given: the other equals it), or {@code segments}
 *       (then rows = cols = round(sqrt(segments)); the default 50 gives 7 x 7). An image with fewer
 *       pixel rows or columns than the grid is an input error, and a grid larger than the size
 *       {@code resize} or {@code centerCrop} gives every image is a settings error.
 * </ul>
 *
 * <p>Segments are numbered in the order their first pixel appears (row by row) and named {@code s0,
 * s1, ...}. Segmenters are deterministic; the random source is not used.
 *
 * <p>Hiding ({@code perturber}): {@code mean} (default, LIME's: each hidden segment takes its own
 * mean colour, each channel rounded to the nearest integer, halves up), {@code constant} (colour
 * {@code fill}, [r, g, b] or one grey level, 0 to 255; default [0, 0, 0], black, as LIME's {@code
 * hide_color=0}; [128, 128, 128] is a common alternative that normalises to about 0), {@code blur}
 * (the pixels of a Gaussian blur of the whole image, standard deviation {@code blurSigma} pixels,
 * at most 1000, default 5, borders reflected), {@code pool-mean} (the reference pool's mean image,
 * pixel by pixel, rounded half up) and {@code reference} (the pixels of one pool image, drawn for
 * each datapoint from its seed, never the explained image itself: a hidden part shows what a real
 * input has there). The last two need pool images of the explained image's size.
 *
 * <p>Encoding (one FLOAT32 tensor per row): {@code input} (tensor name, default the modality's
 * name); {@code resize} ([w, h] exactly, or one number: the shorter side, the other side keeping
 * the aspect ratio, truncated; sides from 1 to 65536); {@code interpolation} ({@code bilinear}
 * (default), {@code area}, {@code nearest}, {@code bicubic}; only with resize); {@code centerCrop}
 * ([w, h] or one number; offsets {@code floor((W - w) / 2)}, {@code floor((H - h) / 2)}; an image
 * smaller than the crop is an input error, and a crop larger than {@code resize}'s [w, h], or with
 * both sides longer than its one number, is a settings error); {@code channelOrder} ({@code rgb}
 * default, {@code bgr}, or {@code grey} (also {@code gray}): one channel, each pixel's luma as
 * OpenCV's RGB-to-grey conversion gives it, so a grey-level image keeps its levels exactly); {@code
 * scale} (default 1/255, positive), {@code mean} and {@code std} (per output channel, in output
 * channel order, one number with grey; defaults 0 and 1; std positive, as a standard deviation is,
 * so no setting flips the pixels' sign): value = (sample * scale - mean[c]) / std[c], which must be
 * within FLOAT32's range for every sample from 0 to 255; {@code layout} ({@code nchw} default:
 * shape [3, H, W], [1, H, W] with grey; {@code nhwc}: [H, W, 3] or [H, W, 1]). Without resize or
 * crop the declared H and W are -1 (the image's own size). Resize and crop are applied once, when
 * an image is read or checked, so the superpixels, hidden images, views and feature maps are all of
 * the image the model takes; an image that already has the final size is taken as it is.
 *
 * <p>Views: {@code palette} ({@code diverging}, default, colour-blind-safe Okabe-Ito blue {@code
 * #0072B2} for positive and orange {@code #E69F00} for negative weights; {@code green_red}, the
 * paper's, {@code #1A9850} and {@code #D73027}) used when {@link ViewOptions#palette()} is null or
 * blank; {@code colorScale} ({@code two_sided}, default: each sign scaled to its own extreme, or
 * {@code symmetric}: both to the largest absolute weight). See {@link #view}.
 *
 * <p>Limits: {@code maxPixels} (default 16777216, 4096 x 4096; at most 715827879, the pixels of 3
 * bytes one Java array holds): the size an image declares in its header is read before any pixel is
 * decoded ({@link ImageHeader}: PNG, JPEG, GIF, BMP, WebP, TIFF, PNM), and a larger image is an
 * input error for its record, so a small file declaring a huge image cannot run the JVM out of
 * memory. The same limit holds for the image after {@code resize}: a {@code resize} or {@code
 * centerCrop} larger than {@code maxPixels} is a settings error, and an image that resizing to a
 * shorter side would make larger (a long thin one) is an input error for its record. A file larger
 * than 8 bytes a pixel of {@code maxPixels} plus 1 MiB (129 MiB by default: what the largest image
 * would take uncompressed at 16 bits a channel with alpha) is refused before it is read.
 *
 * <p>A setting that belongs to another featurizer or perturber than the chosen one is rejected.
 */
public final class ImageModality implements Modality<Image> {
  private final String name;
  private final ImageSettings settings;
  private final String tensorName;
  private final ImageEncoder encoder;

  /**
   * Creates an image modality.
   *
   * @param name the modality's name in the pipeline (the manifest field it reads), not null
   * @param config its settings, not null; unknown or inapplicable keys are rejected
   * @throws IllegalArgumentException for a bad setting, naming it
   * @throws IllegalStateException when OpenCV's native library cannot be loaded
   */
  public ImageModality(String name, PluginConfig config) {
    this.name = requireNonNull(name, "name is null");
    requireNonNull(config, "config is null");
    OpenCv.ensureLoaded();
    this.settings = new ImageSettings(config);
    this.tensorName = settings.input == null ? name : settings.input;
    this.encoder = new ImageEncoder(settings, tensorName);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return ImageModalityFactory.NAME;
  }

  @Override
  public Class<Image> valueType() {
    return Image.class;
  }

  /**
   * Reads an image: a path (String, relative to {@link ReadContext#baseDirectory()}), {@code
   * {"base64": "..."}} (a data URL prefix is allowed), {@code {"path": "..."}}, or {@code byte[]}
   * of an encoded image. Decoded by OpenCV: PNG, JPEG (EXIF orientation applied) and the other
   * formats OpenCV reads; alpha dropped, grey spread to RGB.
   */
  @Override
  public Image read(Object field, ReadContext context) {
    requireNonNull(context, "context is null");
    return atModelSize(readAsGiven(field, context), context.recordId());
  }

  /**
   * Checks an image built in code and brings it to the model's size, as {@link #read} does for
   * images read from a manifest.
   */
  @Override
  public Image check(Object value, String recordId) {
    return atModelSize(Modality.super.check(value, recordId), recordId);
  }

  /**
   * The image resized and centre-cropped as the settings say, once, when it is read: features,
   * hidden images, views and feature maps are then all of the image the model takes (an image of
   * 4000 x 3000 pixels for a model of 224 x 224 is segmented and hidden at 224 x 224, not at 12
   * million pixels, and only that is kept in memory). An image that already has the final size is
   * taken as it is.
   */
  private Image atModelSize(Image image, String id) {
    try {
      return encoder.geometry(image);
    } catch (InputException e) {
      throw new InputException(id, prefix() + e.getMessage(), e);
    }
  }

  private Image readAsGiven(Object field, ReadContext context) {
    String id = context.recordId();
    if (field instanceof String path) {
      if (path.stripLeading().regionMatches(true, 0, "data:", 0, 5)) {
        // a data URL given as the field itself, as browsers and notebooks write images inline
        return decode(base64(path, id), "base64 image", id);
      }
      return readPath(path, context);
    }
    if (field instanceof byte[] bytes) {
      return decode(bytes, "image bytes", id);
    }
    if (field instanceof Map<?, ?> map) {
      if (map.size() == 1 && map.get("base64") instanceof String b64) {
        return decode(base64(b64, id), "base64 image", id);
      }
      if (map.size() == 1 && map.get("path") instanceof String path) {
        return readPath(path, context);
      }
      throw new InputException(
          id,
          prefix()
              + "expects {\"base64\": \"...\"} or {\"path\": \"...\"}, found an object with keys "
              + map.keySet());
    }
    throw new InputException(
        id,
        prefix()
            + "expects an image path (a string), {\"base64\": \"...\"} or bytes, found "
            + JsonValues.describe(field));
  }

  private Image readPath(String path, ReadContext context) {
    String id = context.recordId();
    if (path.isBlank()) {
      throw new InputException(id, prefix() + "empty image path");
    }
    String what = "cannot read image '" + abbreviate(path) + "': ";
    byte[] bytes;
    try {
      bytes = context.readFile(path, settings.maxFileBytes());
    } catch (ReadContext.FileException e) {
      throw new InputException(id, prefix() + what + e.getMessage(), e);
    }
    return decodeChecked(bytes, what, id);
  }

  /**
   * Decodes an encoded image after its header's size check; a GIF, which OpenCV does not decode, by
   * its first frame.
   *
   * @param what the start of every message: "cannot read image 'x': "
   */
  private Image decodeChecked(byte[] bytes, String what, String id) {
    ImageHeader header = checkSize(bytes, what, id);
    Image image = decodeWhole(bytes, header, prefix() + what, id);
    if (image == null && GifImages.isGif(bytes)) {
      try {
        image = GifImages.firstFrame(bytes, settings.maxPixels);
      } catch (GifImages.Refused r) {
        throw new InputException(id, prefix() + what + r.getMessage());
      }
    }
    if (image == null) {
      throw new InputException(id, prefix() + what + undecodable(header, bytes.length));
    }
    return image;
  }

  /**
   * Decodes an image, refusing a JPEG cut short: OpenCV fills a truncated JPEG's missing rows with
   * grey and only warns on standard error, so the model would be explained on pixels that are not
   * in the file. The main image's scan must end with the end-of-image marker.
   */
  private static Image decodeWhole(byte[] bytes, ImageHeader header, String what, String id) {
    if (header.format().equals("JPEG") && !EncodedIntegrity.jpegEnds(bytes)) {
      throw new InputException(
          id, what + "the JPEG file is truncated (its image data has no end-of-image marker)");
    }
    if (header.format().equals("PNG")) {
      String problem = EncodedIntegrity.pngProblem(bytes);
      if (problem != null) {
        throw new InputException(id, what + problem);
      }
    }
    return OpenCv.decode(bytes);
  }

  /** Why a file whose header was read could not be decoded. */
  private static String undecodable(ImageHeader h, int length) {
    return "the "
        + h.format()
        + " image ("
        + h.width()
        + " x "
        + h.height()
        + ", "
        + length
        + " bytes) could not be decoded: the file is damaged or truncated, or its size is beyond"
        + " what OpenCV decodes";
  }

  /**
   * Reads the size an encoded image declares before any pixel is decoded, and refuses one larger
   * than the {@code maxPixels} setting (or one whose header is not read here).
   */
  private ImageHeader checkSize(byte[] bytes, String what, String id) {
    ImageHeader h =
        ImageHeader.read(bytes)
            .orElseThrow(() -> new InputException(id, prefix() + what + notAnImage(bytes.length)));
    if (h.pixels() > settings.maxPixels) {
      throw new InputException(
          id,
          prefix()
              + what
              + "the "
              + h.format()
              + " image declares "
              + h.width()
              + " x "
              + h.height()
              + " = "
              + h.pixels()
              + " pixels; the most is "
              + settings.maxPixels
              + " (setting maxPixels)");
    }
    return h;
  }

  private Image decode(byte[] bytes, String what, String id) {
    if (bytes.length == 0) {
      throw new InputException(id, prefix() + "cannot read " + what + ": empty");
    }
    return decodeChecked(bytes, "cannot read " + what + ": ", id);
  }

  private static String notAnImage(int length) {
    return "not an image DIME reads (" + ImageHeader.FORMATS + "); " + length + " bytes";
  }

  private byte[] base64(String text, String id) {
    String s = text.strip();
    if (s.startsWith("data:")) {
      int comma = s.indexOf(',');
      if (comma < 0 || !s.substring(0, comma).endsWith(";base64")) {
        throw new InputException(
            id, prefix() + "cannot read base64 image: a data URL must be 'data:...;base64,...'");
      }
      s = s.substring(comma + 1);
    }
    try {
      return Base64.getDecoder().decode(s.replaceAll("\\s+", ""));
    } catch (IllegalArgumentException e) {
      throw new InputException(
          id, prefix() + "cannot read base64 image: not valid base64 (" + e.getMessage() + ")", e);
    }
  }

  /** The pool mean image, cached for the pool it was computed from. */
  private record PoolMeanImage(List<Object> values, Image mean) {}

  private volatile PoolMeanImage poolMeanImage;

  @Override
  public FeatureSet<Image> featurize(Image value, PoolStatistics pool, SplittableRandom rng) {
    requireNonNull(value, "value is null");
    Segmentation seg = segment(value);
    Image hidden =
        switch (settings.perturber) {
          case "pool-mean" -> poolMean(value, pool);
          case "reference" -> reference(value, pool, rng);
          default -> ImageFeatureSet.hiddenImage(value, seg, settings);
        };
    return new ImageFeatureSet(value, seg, hidden, settings.featurizer);
  }

  /** The pool images, checked to be the size of {@code value}. */
  private List<Image> poolImages(Image value, PoolStatistics pool) {
    if (pool == null || pool.values().isEmpty()) {
      throw new InputException(
          null,
          prefix()
              + "perturber '"
              + settings.perturber
              + "' takes hidden pixels from the reference pool, which is empty");
    }
    List<Image> images = new java.util.ArrayList<>(pool.values().size());
    for (int i = 0; i < pool.values().size(); i++) {
      Image img = (Image) pool.values().get(i);
      if (img.width() != value.width() || img.height() != value.height()) {
        throw new InputException(
            null,
            prefix()
                + "perturber '"
                + settings.perturber
                + "' needs pool images of the explained image's size "
                + value.width()
                + " x "
                + value.height()
                + "; pool image "
                + i
                + " is "
                + img.width()
                + " x "
                + img.height());
      }
      images.add(img);
    }
    return images;
  }

  /** The pool's mean image (each channel of each pixel, rounded half up), cached per pool. */
  private Image poolMean(Image value, PoolStatistics pool) {
    PoolMeanImage cached = poolMeanImage;
    if (cached != null && cached.values() == pool.values()) {
      if (cached.mean().width() == value.width() && cached.mean().height() == value.height()) {
        return cached.mean();
      }
    }
    List<Image> images = poolImages(value, pool);
    long[] sums = new long[value.pixelCount() * 3];
    for (Image img : images) {
      byte[] b = img.bytes();
      for (int i = 0; i < sums.length; i++) {
        sums[i] += b[i] & 0xFF;
      }
    }
    long n = images.size();
    byte[] out = new byte[sums.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) ((2 * sums[i] + n) / (2 * n));
    }
    Image mean = Image.wrap(value.width(), value.height(), out);
    poolMeanImage = new PoolMeanImage(pool.values(), mean);
    return mean;
  }

  /**
   * One pool image, drawn with the datapoint's featurizing stream (so the same seed gives the same
   * reference); the explained image itself is skipped when it is in the pool.
   */
  private Image reference(Image value, PoolStatistics pool, SplittableRandom rng) {
    List<Image> images = poolImages(value, pool);
    int i = pool.drawOther(rng, value);
    if (i < 0) {
      throw new InputException(
          null,
          prefix()
              + "perturber 'reference' needs a pool image other than the explained one; the"
              + " pool holds only that image");
    }
    return images.get(i);
  }

  private Segmentation segment(Image image) {
    int w = image.width();
    int h = image.height();
    switch (settings.featurizer) {
      case "grid" -> {
        if (settings.rows > h || settings.cols > w) {
          throw new InputException(
              null,
              prefix()
                  + "image "
                  + w
                  + "x"
                  + h
                  + " is smaller than the grid of "
                  + settings.rows
                  + " rows and "
                  + settings.cols
                  + " columns");
        }
        return Segmentation.grid(w, h, settings.rows, settings.cols);
      }
      case "felzenszwalb" -> {
        return Segmentation.of(
            w, h, OpenCv.felzenszwalb(image, settings.sigma, (float) settings.k, settings.minSize));
      }
      default -> {
        int maxSide = Math.min(w, h);
        if (settings.regionSize != null) {
          return slic(image, Math.min(settings.regionSize, maxSide));
        }
        return slicForTarget(image, settings.segments);
      }
    }
  }

  private Segmentation slic(Image image, int regionSize) {
    return Segmentation.of(
        image.width(),
        image.height(),
        OpenCv.slic(
            image,
            regionSize,
            (float) settings.compactness,
            settings.iterations,
            settings.minSizePercent));
  }

  /**
   * SLIC with the region size tuned to the target count: connectivity enforcement merges fragments,
   * so the first guess, sqrt(area / target), tends to give fewer segments. Deterministic (a fixed
   * sequence of at most four runs); keeps the run closest to the target (the first on ties). At
   * region size 1 connectivity enforcement gives fewer segments than at 2 (36 against 144 on a 28 x
   * 28 image), so a search stuck at 1 with too few segments tries 2.
   */
  private Segmentation slicForTarget(Image image, int target) {
    int maxSide = Math.min(image.width(), image.height());
    double area = (double) image.width() * image.height();
    int size = clamp((int) Math.round(Math.sqrt(area / target)), maxSide);
    Segmentation best = null;
    java.util.Set<Integer> tried = new java.util.HashSet<>();
    for (int attempt = 0; attempt < 4 && tried.add(size); attempt++) {
      Segmentation s = slic(image, size);
      if (best == null || Math.abs(s.count - target) < Math.abs(best.count - target)) {
        best = s;
      }
      if (Math.abs(s.count - target) <= 0.05 * target) {
        break;
      }
      int next = clamp((int) Math.round(size * Math.sqrt((double) s.count / target)), maxSide);
      int step = s.count > target ? 1 : -1;
      if (next == size) {
        next = clamp(size + step, maxSide);
      }
      if (next == 1 && size == 1 && step < 0 && maxSide >= 2) {
        // too few segments at region size 1, the smallest: the count is not monotone there
        // (connectivity enforcement merges single pixels into few segments), so try 2
        next = 2;
      }
      size = next;
    }
    return best;
  }

  private static int clamp(int regionSize, int maxSide) {
    return Math.max(1, Math.min(regionSize, maxSide));
  }

  @Override
  public Encoder<Image> encoder() {
    return encoder;
  }

  /** The decoded image: 3 bytes a pixel, and the object around them. */
  @Override
  public long valueBytes(Image value) {
    return 64 + 3L * value.width() * value.height();
  }

  @Override
  public SamplingHints samplingHints() {
    return SamplingHints.DENSE;
  }

  /**
   * A {@code "heatmap"} view: {@code png} (byte[], the image with each segment blended towards its
   * sign's palette colour with opacity |weight| / scale end, so the segment at each end of the
   * scale has exactly the end colour; 1-pixel boundaries in grey {@code #808080}, but none in a
   * segment that is all boundary), {@code width}, {@code height}, {@code palette}, {@code
   * positiveColor}, {@code negativeColor}, {@code boundaryColor} ({@code #RRGGBB}), {@code
   * colorScale}, {@code scaleMin} and {@code scaleMax} (the weights drawn with the negative and the
   * positive end colour), {@code topN}, {@code coloredSegments} (int[]) and {@code title} when
   * given.
   *
   * @throws IllegalArgumentException for a weight count other than the number of segments, a weight
   *     that is not finite, an unknown palette or a negative topN
   */
  @Override
  public View view(FeatureSet<Image> features, double[] weights, ViewOptions options) {
    requireNonNull(features, "features is null");
    Segmentation seg;
    if (features instanceof ImageFeatureSet f) {
      seg = f.segmentation();
    } else {
      Map<String, Object> layout = features.layout();
      if (!(layout.get("segments") instanceof int[] labels)) {
        throw new IllegalArgumentException(
            "features of modality '" + name + "' have no segment map in their layout");
      }
      seg = Segmentation.of(features.value().width(), features.value().height(), labels);
    }
    return Heatmap.render(features.value(), seg, weights, options, settings);
  }

  /** Every setting in effect (defaults included) and OpenCV's version under {@code opencv}. */
  @Override
  public Map<String, Object> provenance() {
    Map<String, Object> p = new LinkedHashMap<>(settings.provenance(tensorName));
    p.put("opencv", OpenCv.version());
    return p;
  }

  private String prefix() {
    return "modality '" + name + "': ";
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }
}
