package io.dime.modality.timeseries;

import io.dime.spi.PluginConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The timeseries modality's settings, parsed and checked once. A setting that does not apply to the
 * chosen features or perturber is rejected. See {@link TimeseriesModality} for the list.
 */
final class TimeseriesSettings {
  static final Set<String> KEYS =
      Set.of(
          "features",
          "window",
          "perturber",
          "baseline",
          "input",
          "layout",
          "length",
          "channels",
          "mean",
          "std",
          "header",
          "delimiter",
          "decimal",
          "maxValues");

  /** The default of {@code maxValues}: channels x length of one series. */
  static final int DEFAULT_MAX_VALUES = 10_000_000;

  final String features;
  final int window;
  final String perturber;
  final double baseline;
  final String input;

  /**
   * How a series lies in the model's input: {@code nct} ([batch, channels, length], as 1-D
   * convolutions take), {@code ntc} ([batch, length, channels], as recurrent networks with the
   * batch first and Keras take) or {@code nt} ([batch, length]: one channel).
   */
  final String layout;

  final int length;
  final int channels;
  final double[] mean;
  final double[] std;
  final String headerSetting;
  final SeriesReader.Header header;
  final String delimiterSetting;
  final String decimalSetting;

  /** How CSV files are read: header, delimiter and decimal mark. */
  final SeriesReader.CsvFormat csv;

  final int maxValues;

  /**
   * Parses the settings.
   *
   * @param name the modality's name, the default tensor name
   * @param config the settings
   * @throws IllegalArgumentException for an unknown or bad setting, naming it
   */
  TimeseriesSettings(String name, PluginConfig config) {
    config.requireKnown(KEYS);
    String who = config.component();
    this.features = config.getChoice("features", "windows", Set.of("windows", "channels"));
    this.window =
        whole(config, "window", 0, "a positive number of time steps, at most " + Integer.MAX_VALUE);
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
    // The default hides: a window's own mean would keep what a model of averages reads.
    this.perturber =
        config.getChoice(
            "perturber",
            features.equals("channels") ? "baseline" : "interpolate",
            Set.of("mean", "interpolate", "baseline", "reference"));
    if (perturber.equals("interpolate") && features.equals("channels")) {
      throw new IllegalArgumentException(
          who
              + ": perturber 'interpolate' needs features 'windows' (a whole channel has no"
              + " neighbouring values to interpolate between); use 'mean' or 'baseline'");
    }
    if (perturber.equals("mean") && window == 1) {
      throw new IllegalArgumentException(
          who
              + ": perturber 'mean' with setting 'window' 1 hides nothing (a window of one step is"
              + " its own mean); set 'window' to 2 or more, or use 'interpolate' or 'baseline'");
    }
    this.baseline = baseline(config, perturber);
    this.input = config.getString("input", name);
    if (input.isBlank()) {
      throw new IllegalArgumentException(who + ": setting 'input' is blank");
    }
    this.length = nonNegative(config, "length");
    this.mean = perChannel(config, "mean", 0);
    this.std = perChannel(config, "std", 1);
    checkNormalisation(who, mean, std);
    this.channels = channels(config, mean, std);
    checkBaselineFits(who);
    this.layout = config.getChoice("layout", "nct", Set.of("nct", "ntc", "nt"));
    if (layout.equals("nt") && channels > 1) {
      throw new IllegalArgumentException(
          who
              + ": layout 'nt' ([batch, length]) takes series of one channel; the settings fix "
              + channels
              + " (settings 'channels', 'mean', 'std')");
    }
    this.headerSetting = config.getChoice("header", "auto", Set.of("auto", "true", "false"));
    this.header =
        switch (headerSetting) {
          case "true" -> SeriesReader.Header.PRESENT;
          case "false" -> SeriesReader.Header.ABSENT;
          default -> SeriesReader.Header.AUTO;
        };
    this.delimiterSetting = config.getChoice("delimiter", "auto", Set.of("auto", ",", ";", "tab"));
    this.decimalSetting = config.getChoice("decimal", ".", Set.of(".", ","));
    char delimiter =
        switch (delimiterSetting) {
          case "auto" -> 0;
          case "tab" -> '\t';
          default -> delimiterSetting.charAt(0);
        };
    char decimal = decimalSetting.charAt(0); // both ',': the values are quoted ("1,5",2)
    this.csv = new SeriesReader.CsvFormat(header, delimiter, decimal);
    this.maxValues =
        whole(config, "maxValues", DEFAULT_MAX_VALUES, "from 1 to " + Integer.MAX_VALUE);
    if (maxValues < 1) {
      throw new IllegalArgumentException(
          who + ": setting 'maxValues' must be at least 1, found " + maxValues);
    }
    checkFixedShapeFits(who);
  }

  /** Rejects a length and channel count that fix more values than maxValues allows. */
  private void checkFixedShapeFits(String who) {
    long fixed = (long) Math.max(length, 1) * Math.max(channels, 1);
    if (fixed > maxValues) {
      throw new IllegalArgumentException(
          who
              + ": settings 'length' "
              + length
              + " and 'channels' "
              + channels
              + " (0: any) fix series of at least "
              + fixed
              + " values; 'maxValues' "
              + maxValues
              + " allows fewer, so every series would be refused");
    }
  }

  private static double baseline(PluginConfig config, String perturber) {
    String who = config.component();
    double baseline = config.getDouble("baseline", 0);
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
    return baseline;
  }

  /**
   * Rejects a baseline beyond FLOAT32's range once normalised: every hidden point would be that
   * value, and every perturbed series failed to encode, each record's error naming a value the data
   * does not hold ("value 1.0E300 (channel 0, step 0) ... does not fit").
   */
  private void checkBaselineFits(String who) {
    if (!perturber.equals("baseline")) {
      return;
    }
    for (int c = 0; c < Math.max(mean.length, std.length); c++) {
      double m = mean.length == 1 ? mean[0] : mean[c];
      double s = std.length == 1 ? std[0] : std[c];
      double v = (baseline - m) / s;
      if (Float.isInfinite((float) v)) {
        throw new IllegalArgumentException(
            who
                + ": setting 'baseline' "
                + baseline
                + " is "
                + v
                + " once normalised ("
                + (Math.max(mean.length, std.length) > 1 ? "channel " + c + ", " : "")
                + "mean "
                + m
                + ", std "
                + s
                + "), beyond the model's FLOAT32 input (largest "
                + Float.MAX_VALUE
                + ")");
      }
    }
  }

  private static void checkNormalisation(String who, double[] mean, double[] std) {
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
  }

  /** The channel count the settings fix (0 for any), from 'channels', 'mean' and 'std'. */
  private static int channels(PluginConfig config, double[] mean, double[] std) {
    int given = nonNegative(config, "channels");
    int fromMean = mean.length > 1 ? mean.length : 0;
    int fromStd = std.length > 1 ? std.length : 0;
    int ch = given;
    for (int n : new int[] {fromMean, fromStd}) {
      if (n > 0 && ch > 0 && n != ch) {
        throw new IllegalArgumentException(
            config.component()
                + ": settings disagree on the number of channels: channels "
                + given
                + ", mean "
                + Arrays.toString(mean)
                + ", std "
                + Arrays.toString(std));
      }
      ch = Math.max(ch, n);
    }
    return ch;
  }

  /**
   * A whole-number setting. One beyond int (2147483648, 1e300, .inf) is refused saying what the
   * setting takes, not int's range ("an integer from -2147483648 to 2147483647").
   *
   * @param allowed what the setting takes, for the message: "from 1 to 2147483647"
   */
  private static int whole(PluginConfig config, String key, int dflt, String allowed) {
    Object raw = config.get(key).orElse(null);
    if (raw instanceof Number n
        && (n.doubleValue() > Integer.MAX_VALUE || n.doubleValue() < Integer.MIN_VALUE)) {
      throw new IllegalArgumentException(
          config.component() + ": setting '" + key + "' must be " + allowed + ", found " + raw);
    }
    return config.getInt(key, dflt);
  }

  private static int nonNegative(PluginConfig config, String key) {
    int n = whole(config, key, 0, "0 (any) or positive, at most " + Integer.MAX_VALUE);
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
    if (!(v instanceof List<?>) && !(v instanceof double[])) {
      // getDoubles would say "must be a list of numbers", though one number is fine too
      throw new IllegalArgumentException(
          config.component()
              + ": setting '"
              + key
              + "' needs one number for every channel or a list of one per channel, found '"
              + v
              + "'");
    }
    double[] d = config.getDoubles(key).orElseThrow();
    if (d.length == 0) {
      throw new IllegalArgumentException(
          config.component() + ": setting '" + key + "' is an empty list");
    }
    return d;
  }

  /** The window length used for a series of {@code seriesLength} steps. */
  int windowFor(int seriesLength) {
    return window > 0 ? window : Math.max(1, (seriesLength + 9) / 10);
  }

  /**
   * What is wrong with the shape of {@code s} where the settings fix the number of channels or time
   * steps, or null when nothing is.
   *
   * @param modality the modality's name, for the message
   */
  String shapeProblem(String modality, Series s) {
    long values = (long) s.channels() * s.length();
    if (values > maxValues) {
      return "modality '"
          + modality
          + "' has "
          + s.channels()
          + " channels x "
          + s.length()
          + " values = "
          + values
          + "; the most is "
          + maxValues
          + " (setting 'maxValues')";
    }
    if (layout.equals("nt") && s.channels() != 1) {
      return "modality '"
          + modality
          + "' has "
          + s.channels()
          + " channels; layout 'nt' ([batch, length]) takes one";
    }
    if (channels > 0 && s.channels() != channels) {
      return "modality '"
          + modality
          + "' has "
          + s.channels()
          + " channels; expected "
          + channels
          + " (settings 'channels', 'mean', 'std')";
    }
    if (length > 0 && s.length() != length) {
      return "modality '"
          + modality
          + "' has "
          + s.length()
          + " values per channel; expected "
          + length
          + " (setting 'length')";
    }
    return null;
  }

  /** Every setting, defaults included. */
  Map<String, Object> provenance() {
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
    m.put("layout", layout);
    m.put("length", length);
    m.put("channels", channels);
    m.put("mean", boxed(mean));
    m.put("std", boxed(std));
    m.put("header", headerSetting);
    m.put("delimiter", delimiterSetting);
    m.put("decimal", decimalSetting);
    m.put("maxValues", maxValues);
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
