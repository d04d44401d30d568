package io.dime.modality.timeseries;

import static java.util.Objects.requireNonNull;

import io.dime.api.ElementType;
import io.dime.api.InputException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.Encoder;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import io.dime.spi.ReadContext;
import io.dime.spi.SamplingHints;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The {@code timeseries} modality: a {@link Series} of one or more channels, split into fixed
 * windows per channel (or whole channels), hidden by the window's mean, by linear interpolation
 * across the window, or by a baseline value, and encoded as one FLOAT32 tensor [channels, length].
 *
 * <p>Settings:
 *
 * <ul>
 *   <li>{@code features}: {@code "windows"} (default) or {@code "channels"} (each whole channel is
 *       one feature).
 *   <li>{@code window}: window length in time steps for {@code "windows"}; default the series
 *       length / 10 rounded up (at least 1). Windows start at 0 and tile each channel; the last one
 *       may be shorter. Feature names are {@code c0[0:10)}, or use the channel names of a CSV
 *       header ({@code temp[0:10)}).
 *   <li>{@code perturber}: {@code "mean"} (default: a hidden feature takes its own mean), {@code
 *       "interpolate"} (windows only: the straight line between the original values just before and
 *       just after the window; at a series edge, the one neighbour there is, repeated; with no
 *       neighbour, the window's mean), {@code "baseline"}, or {@code "reference"} (the values of
 *       one pool series of the same shape at the same time steps, the series drawn for each
 *       datapoint from its seed, never the explained series itself). Each hidden feature's values
 *       depend on the original series (or the drawn reference) only, never on which other features
 *       are hidden.
 *   <li>{@code baseline}: the value of hidden points for perturber {@code "baseline"}; default 0.
 *   <li>{@code input}: the model input the encoder fills; default the modality's name.
 *   <li>{@code length}, {@code channels}: the fixed number of time steps and channels the model
 *       takes (0, the default, for any); other series are rejected as bad input.
 *   <li>{@code mean}, {@code std}: normalisation (x - mean) / std applied by the encoder, each one
 *       number for every channel or a list with one number per channel.
 *   <li>{@code header}: for CSV files, {@code "auto"} (default: the first row is a header when none
 *       of its cells is a number), {@code "true"} or {@code "false"}.
 * </ul>
 */
public final class TimeseriesModality implements Modality<Series> {
  /** Every setting the modality takes. */
  public static final Set<String> SETTINGS =
      Set.of(
          "features",
          "window",
          "perturber",
          "baseline",
          "input",
          "length",
          "channels",
          "mean",
          "std",
          "header");

  /**
   * Colour-blind-safe blue and orange (Okabe and Ito): positive weights blue {@code #0072B2},
   * negative weights orange {@code #E69F00}, 0 white; the image modality's end colours.
   */
  static final Palette DIVERGING =
      new Palette(
          "diverging",
          io.dime.spi.Palette.DIVERGING.negative(),
          io.dime.spi.Palette.DIVERGING.neutral(),
          io.dime.spi.Palette.DIVERGING.positive());

  /**
   * The DIME paper's (and LIME's) colours: positive green {@code #1A9850}, negative red {@code
   * #D73027}.
   */
  static final Palette GREEN_RED =
      new Palette(
          "green_red",
          io.dime.spi.Palette.GREEN_RED.negative(),
          io.dime.spi.Palette.GREEN_RED.neutral(),
          io.dime.spi.Palette.GREEN_RED.positive());

  private final String name;
  private final String features;
  private final int window;
  private final String perturber;
  private final double baseline;
  private final String input;
  private final int length;
  private final int channels;
  private final double[] mean;
  private final double[] std;
  private final String headerSetting;
  private final SeriesReader.Header header;

  /**
   * A palette's end colours and its middle, as {@code #RRGGBB}.
   *
   * @param name "diverging" or "green_red"
   * @param negative the colour of the most negative weight
   * @param neutral the colour of weight 0
   * @param positive the colour of the most positive weight
   */
  record Palette(String name, String negative, String neutral, String positive) {}

  /**
   * Creates the modality.
   *
   * @param name the modality's name (the manifest field it reads), not null
   * @param config its settings, not null
   * @throws IllegalArgumentException for an unknown or bad setting, naming it
   */
  public TimeseriesModality(String name, PluginConfig config) {
    this.name = requireNonNull(name, "name is null");
    requireNonNull(config, "config is null");
    config.requireKnown(SETTINGS);
    String who = config.component();
    this.features = config.getChoice("features", "windows", Set.of("windows", "channels"));
    this.window = config.getInt("window", 0);
    if (config.get("window").isPresent()) {
      if (window < 1) {
        throw new IllegalArgumentException(
            who + ": setting 'window' must be a positive number of time steps, found " + window);
      }
      if (features.equals("channels")) {
        throw new IllegalArgumentException(
            who + ": setting 'window' applies to features 'windows' only, not 'channels'");
      }
    }
    this.perturber =
        config.getChoice(
            "perturber", "mean", Set.of("mean", "interpolate", "baseline", "reference"));
    if (perturber.equals("interpolate") && features.equals("channels")) {
      throw new IllegalArgumentException(
          who
              + ": perturber 'interpolate' needs features 'windows' (a whole channel has no"
              + " neighbouring values to interpolate between); use 'mean' or 'baseline'");
    }
    this.baseline = config.getDouble("baseline", 0);
    if (config.get("baseline").isPresent()) {
      if (!perturber.equals("baseline")) {
        throw new IllegalArgumentException(
            who
                + ": setting 'baseline' applies to perturber 'baseline' only, not '"
                + perturber
                + "'");
      }
      if (!Double.isFinite(baseline)) {
        throw new IllegalArgumentException(
            who + ": setting 'baseline' must be finite, found " + baseline);
      }
    }
    this.input = config.getString("input", name);
    if (input.isBlank()) {
      throw new IllegalArgumentException(who + ": setting 'input' is blank");
    }
    this.length = nonNegative(config, "length");
    this.mean = perChannel(config, "mean", 0);
    this.std = perChannel(config, "std", 1);
    for (double s : std) {
      if (!(s > 0) || !Double.isFinite(s)) {
        throw new IllegalArgumentException(
            who + ": setting 'std' must be positive and finite, found " + Arrays.toString(std));
      }
    }
    for (double m : mean) {
      if (!Double.isFinite(m)) {
        throw new IllegalArgumentException(
            who + ": setting 'mean' must be finite, found " + Arrays.toString(mean));
      }
    }
    int given = nonNegative(config, "channels");
    int fromMean = mean.length > 1 ? mean.length : 0;
    int fromStd = std.length > 1 ? std.length : 0;
    int ch = given;
    for (int n : new int[] {fromMean, fromStd}) {
      if (n > 0 && ch > 0 && n != ch) {
        throw new IllegalArgumentException(
            who
                + ": settings disagree on the number of channels: channels "
                + given
                + ", mean "
                + Arrays.toString(mean)
                + ", std "
                + Arrays.toString(std));
      }
      ch = Math.max(ch, n);
    }
    this.channels = ch;
    this.headerSetting = config.getChoice("header", "auto", Set.of("auto", "true", "false"));
    this.header =
        switch (headerSetting) {
          case "true" -> SeriesReader.Header.PRESENT;
          case "false" -> SeriesReader.Header.ABSENT;
          default -> SeriesReader.Header.AUTO;
        };
  }

  private static int nonNegative(PluginConfig config, String key) {
    int n = config.getInt(key, 0);
    if (n < 0) {
      throw new IllegalArgumentException(
          config.component() + ": setting '" + key + "' must be 0 (any) or positive, found " + n);
    }
    return n;
  }

  /** One number for every channel (an array of length 1) or a list, one per channel. */
  private static double[] perChannel(PluginConfig config, String key, double dflt) {
    Object v = config.get(key).orElse(null);
    if (v == null) {
      return new double[] {dflt};
    }
    if (v instanceof Number n) {
      return new double[] {n.doubleValue()};
    }
    double[] d = config.getDoubles(key).orElseThrow();
    if (d.length == 0) {
      throw new IllegalArgumentException(
          config.component() + ": setting '" + key + "' is an empty list");
    }
    return d;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return TimeseriesModalityFactory.NAME;
  }

  @Override
  public Class<Series> valueType() {
    return Series.class;
  }

  /**
   * Reads a series: a JSON array of numbers (one channel), an array of arrays (one per channel), or
   * a CSV file path relative to the context's base directory.
   */
  @Override
  public Series read(Object field, ReadContext context) {
    requireNonNull(context, "context is null");
    Series s;
    if (field instanceof List<?> list) {
      s = SeriesReader.readJson(list, name, context.recordId());
    } else if (field instanceof String file) {
      s = SeriesReader.readCsv(context.baseDirectory(), file, header, name, context.recordId());
    } else {
      throw new InputException(
          context.recordId(),
          "modality '"
              + name
              + "' expects an array of numbers, an array of arrays (one per channel) or a CSV file"
              + " path; found "
              + SeriesReader.describe(field));
    }
    return check(s, context.recordId());
  }

  /** Checks the type and, where the settings fix them, the number of channels and time steps. */
  @Override
  public Series check(Object value, String recordId) {
    Series s = Modality.super.check(value, recordId);
    String problem = shapeProblem(s);
    if (problem != null) {
      throw new InputException(recordId, problem);
    }
    return s;
  }

  private String shapeProblem(Series s) {
    if (channels > 0 && s.channels() != channels) {
      return "modality '"
          + name
          + "' has "
          + s.channels()
          + " channels; expected "
          + channels
          + " (settings 'channels', 'mean', 'std')";
    }
    if (length > 0 && s.length() != length) {
      return "modality '"
          + name
          + "' has "
          + s.length()
          + " values per channel; expected "
          + length
          + " (setting 'length')";
    }
    return null;
  }

  /** The window length used for a series of {@code seriesLength} steps. */
  int windowFor(int seriesLength) {
    return window > 0 ? window : Math.max(1, (seriesLength + 9) / 10);
  }

  @Override
  public FeatureSet<Series> featurize(Series value, PoolStatistics pool, SplittableRandom rng) {
    requireNonNull(value, "value is null");
    int n = value.length();
    List<int[]> bounds = new ArrayList<>();
    int w = features.equals("windows") ? windowFor(n) : n;
    for (int c = 0; c < value.channels(); c++) {
      for (int start = 0; start < n; start += w) {
        bounds.add(new int[] {c, start, Math.min(n, start + w)});
      }
    }
    List<String> names = new ArrayList<>(bounds.size());
    double[] hidden =
        perturber.equals("reference")
            ? reference(value, pool, rng).values().clone()
            : new double[value.values().length];
    for (int[] b : bounds) {
      String channel = value.channelLabel(b[0]);
      names.add(features.equals("windows") ? channel + "[" + b[1] + ":" + b[2] + ")" : channel);
      if (!perturber.equals("reference")) {
        hide(value.values(), b[0] * n, b[1], b[2], n, hidden);
      }
    }
    Map<String, Object> layout = new LinkedHashMap<>();
    layout.put("features", features);
    if (features.equals("windows")) {
      layout.put("window", w);
    }
    layout.put("perturber", perturber);
    layout.put("channels", value.channels());
    layout.put("length", n);
    List<String> channelLabels = new ArrayList<>();
    for (int c = 0; c < value.channels(); c++) {
      channelLabels.add(value.channelLabel(c));
    }
    layout.put("channel_names", List.copyOf(channelLabels));
    List<Map<String, Object>> bandList = new ArrayList<>();
    for (int[] b : bounds) {
      bandList.add(Map.of("channel", b[0], "start", b[1], "end", b[2]));
    }
    layout.put("bounds", List.copyOf(bandList));
    return new SeriesFeatures(
        value, bounds.toArray(new int[0][]), List.copyOf(names), hidden, layout);
  }

  /**
   * One pool series of the explained series' shape, drawn with the datapoint's featurizing stream;
   * the explained series itself (or an equal one) is skipped.
   */
  private Series reference(Series value, PoolStatistics pool, SplittableRandom rng) {
    List<Object> values = pool == null ? List.of() : pool.values();
    if (values.isEmpty()) {
      throw new InputException(
          null,
          "modality '"
              + name
              + "': perturber 'reference' takes hidden values from the reference pool, which is"
              + " empty");
    }
    for (int i = 0; i < values.size(); i++) {
      Series s = (Series) values.get(i);
      if (s.channels() != value.channels() || s.length() != value.length()) {
        throw new InputException(
            null,
            "modality '"
                + name
                + "': perturber 'reference' needs pool series of the explained series' shape, "
                + value.channels()
                + " channels x "
                + value.length()
                + " steps; pool series "
                + i
                + " has "
                + s.channels()
                + " x "
                + s.length());
      }
    }
    int i = pool.drawOther(rng, value);
    if (i < 0) {
      throw new InputException(
          null,
          "modality '"
              + name
              + "': perturber 'reference' needs a pool series other than the explained one;"
              + " the pool holds only that series");
    }
    return (Series) values.get(i);
  }

  /** Writes the hidden form of [start, end) of the channel at {@code offset} into {@code out}. */
  private void hide(double[] x, int offset, int start, int end, int n, double[] out) {
    switch (perturber) {
      case "baseline" -> Arrays.fill(out, offset + start, offset + end, baseline);
      case "interpolate" -> {
        boolean hasLeft = start > 0;
        boolean hasRight = end < n;
        if (hasLeft && hasRight) {
          double a = x[offset + start - 1];
          double b = x[offset + end];
          int span = end - start + 1;
          for (int i = start; i < end; i++) {
            out[offset + i] = a + (b - a) * (i - start + 1) / span;
          }
        } else if (hasLeft || hasRight) {
          double v = hasLeft ? x[offset + start - 1] : x[offset + end];
          Arrays.fill(out, offset + start, offset + end, v);
        } else {
          Arrays.fill(out, offset + start, offset + end, mean(x, offset + start, offset + end));
        }
      }
      default ->
          Arrays.fill(out, offset + start, offset + end, mean(x, offset + start, offset + end));
    }
  }

  private static double mean(double[] x, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += x[i];
    }
    return sum / (to - from);
  }

  /** Features of one series: bounds per feature and the fully hidden values, computed once. */
  private static final class SeriesFeatures implements FeatureSet<Series> {
    private final Series value;
    private final int[][] bounds;
    private final List<String> names;
    private final double[] hidden;
    private final Map<String, Object> layout;

    SeriesFeatures(
        Series value,
        int[][] bounds,
        List<String> names,
        double[] hidden,
        Map<String, Object> layout) {
      this.value = value;
      this.bounds = bounds;
      this.names = names;
      this.hidden = hidden;
      this.layout = Collections.unmodifiableMap(layout);
    }

    @Override
    public Series value() {
      return value;
    }

    @Override
    public int size() {
      return bounds.length;
    }

    @Override
    public List<String> names() {
      return names;
    }

    @Override
    public Series apply(boolean[] keep) {
      requireNonNull(keep, "keep is null");
      if (keep.length != bounds.length) {
        throw new IllegalArgumentException(
            "mask of length " + keep.length + " for " + bounds.length + " features");
      }
      double[] out = null;
      int n = value.length();
      for (int f = 0; f < keep.length; f++) {
        if (!keep[f]) {
          if (out == null) {
            out = value.values().clone();
          }
          int from = bounds[f][0] * n + bounds[f][1];
          System.arraycopy(hidden, from, out, from, bounds[f][2] - bounds[f][1]);
        }
      }
      return out == null ? value : Series.trusted(value.channels(), n, out, value.names());
    }

    @Override
    public Map<String, Object> layout() {
      return layout;
    }

    int[] bounds(int feature) {
      return bounds[feature].clone();
    }
  }

  @Override
  public Encoder<Series> encoder() {
    return new SeriesEncoder();
  }

  private final class SeriesEncoder implements Encoder<Series> {
    @Override
    public List<TensorSpec> outputs() {
      return List.of(
          new TensorSpec(
              input,
              ElementType.FLOAT32,
              new long[] {channels > 0 ? channels : -1, length > 0 ? length : -1}));
    }

    @Override
    public List<Tensor> encode(Series value) {
      requireNonNull(value, "value is null");
      String problem = shapeProblem(value);
      if (problem != null) {
        throw new InputException(null, problem);
      }
      int c = value.channels();
      int n = value.length();
      double[] x = value.values();
      float[] f = new float[x.length];
      for (int k = 0; k < c; k++) {
        double m = mean.length == 1 ? mean[0] : mean[k];
        double s = std.length == 1 ? std[0] : std[k];
        int off = k * n;
        for (int i = 0; i < n; i++) {
          f[off + i] = (float) ((x[off + i] - m) / s);
        }
      }
      return List.of(Tensor.ofFloats(input, new long[] {c, n}, f));
    }
  }

  @Override
  public SamplingHints samplingHints() {
    return SamplingHints.DENSE;
  }

  /**
   * The series with its features as weighted bands (kind {@code "series"}): {@code title}, {@code
   * length}, {@code channels} (per channel its {@code name} and {@code values}), {@code features}
   * (per feature its {@code name}, {@code channel}, window bounds {@code start} inclusive and
   * {@code end} exclusive, {@code weight}, {@code colour} as {@code #RRGGBB} and {@code shaded},
   * false for features outside the top n), {@code palette} ({@code name} and {@code negative},
   * {@code neutral} and {@code positive} colours) and {@code scale} (the largest absolute weight,
   * which takes an end colour).
   *
   * @throws IllegalArgumentException for a weight count that is not the feature count, or an
   *     unknown palette
   */
  @Override
  public View view(FeatureSet<Series> features, double[] weights, ViewOptions options) {
    requireNonNull(features, "features is null");
    requireNonNull(weights, "weights is null");
    requireNonNull(options, "options is null");
    if (weights.length != features.size()) {
      throw new IllegalArgumentException(
          "modality '"
              + name
              + "': "
              + weights.length
              + " weights for "
              + features.size()
              + " features");
    }
    Palette palette = palette(options.palette());
    Series s = features.value();
    int[][] bounds = boundsOf(features);
    double scale = 0;
    for (double w : weights) {
      if (Double.isFinite(w)) {
        scale = Math.max(scale, Math.abs(w));
      }
    }
    boolean[] shaded = options.shown(weights);
    List<Map<String, Object>> channelList = new ArrayList<>();
    for (int c = 0; c < s.channels(); c++) {
      Map<String, Object> ch = new LinkedHashMap<>();
      ch.put("name", s.channelLabel(c));
      ch.put("values", s.channel(c));
      channelList.add(ch);
    }
    List<Map<String, Object>> bands = new ArrayList<>();
    for (int f = 0; f < weights.length; f++) {
      Map<String, Object> band = new LinkedHashMap<>();
      band.put("name", features.names().get(f));
      band.put("channel", bounds[f][0]);
      band.put("start", bounds[f][1]);
      band.put("end", bounds[f][2]);
      band.put("weight", weights[f]);
      band.put("colour", colour(palette, weights[f], scale));
      band.put("shaded", shaded[f]);
      bands.add(band);
    }
    Map<String, Object> paletteData = new LinkedHashMap<>();
    paletteData.put("name", palette.name());
    paletteData.put("negative", palette.negative());
    paletteData.put("neutral", palette.neutral());
    paletteData.put("positive", palette.positive());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("title", options.title() == null ? "" : options.title());
    data.put("length", s.length());
    data.put("channels", channelList);
    data.put("features", bands);
    data.put("palette", paletteData);
    data.put("scale", scale);
    data.put("top_n", options.topN());
    return new View("series", data);
  }

  static Palette palette(String name) {
    String p = name == null ? DIVERGING.name() : name.toLowerCase(Locale.ROOT);
    return switch (p) {
      case "diverging" -> DIVERGING;
      case "green_red" -> GREEN_RED;
      default ->
          throw new IllegalArgumentException(
              "unknown palette '" + name + "'; available: [diverging, green_red]");
    };
  }

  /** Bounds per feature, from this modality's feature sets or, for others, from their layout. */
  private static int[][] boundsOf(FeatureSet<Series> features) {
    int[][] out = new int[features.size()][];
    if (features instanceof SeriesFeatures sf) {
      for (int f = 0; f < out.length; f++) {
        out[f] = sf.bounds(f);
      }
      return out;
    }
    Object b = features.layout().get("bounds");
    if (!(b instanceof List<?> list) || list.size() != out.length) {
      throw new IllegalArgumentException(
          "features were not made by a timeseries modality (no window bounds in the layout)");
    }
    for (int f = 0; f < out.length; f++) {
      Map<?, ?> m = (Map<?, ?>) list.get(f);
      out[f] =
          new int[] {
            ((Number) m.get("channel")).intValue(),
            ((Number) m.get("start")).intValue(),
            ((Number) m.get("end")).intValue()
          };
    }
    return out;
  }

  /** Which features are shaded: all, or the n with the largest absolute weights (ties: first). */
  /** The neutral colour blended toward the end colour of the weight's sign by |w| / scale. */
  static String colour(Palette p, double w, double scale) {
    if (!(scale > 0) || !Double.isFinite(w) || w == 0) {
      return p.neutral();
    }
    double t = Math.min(1, Math.abs(w) / scale);
    String end = w > 0 ? p.positive() : p.negative();
    int from = Integer.parseInt(p.neutral().substring(1), 16);
    int to = Integer.parseInt(end.substring(1), 16);
    int rgb = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
      int a = (from >> shift) & 0xFF;
      int b = (to >> shift) & 0xFF;
      rgb |= (int) Math.round(a + (b - a) * t) << shift;
    }
    return String.format(Locale.ROOT, "#%06X", rgb);
  }

  /** Every setting, defaults included. */
  @Override
  public Map<String, Object> provenance() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("features", features);
    if (features.equals("windows")) {
      m.put("window", window > 0 ? (Object) window : "auto (length / 10 rounded up)");
    }
    m.put("perturber", perturber);
    if (perturber.equals("baseline")) {
      m.put("baseline", baseline);
    }
    m.put("input", input);
    m.put("length", length);
    m.put("channels", channels);
    m.put("mean", boxed(mean));
    m.put("std", boxed(std));
    m.put("header", headerSetting);
    return m;
  }

  private static List<Double> boxed(double[] d) {
    List<Double> out = new ArrayList<>(d.length);
    for (double x : d) {
      out.add(x);
    }
    return List.copyOf(out);
  }
}
