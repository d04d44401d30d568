package io.dime.modality.timeseries;

import static java.util.Objects.requireNonNull;

import io.dime.api.FeatureMap;
import io.dime.api.InputException;
import io.dime.spi.FeatureSet;
import io.dime.spi.PoolStatistics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The windows (or whole channels) of one series and the perturber that hides them. The fully hidden
 * values are computed once, so {@link #apply} copies the hidden windows over a copy of the series.
 * Immutable and thread-safe.
 */
final class TimeseriesFeatureSet implements FeatureSet<Series> {
  private final Series value;
  private final int[][] bounds;
  private final List<String> names;
  private final double[] hidden;
  private final Map<String, Object> layout;

  private TimeseriesFeatureSet(
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

  /**
   * Splits a series into features and hides each one as the settings say.
   *
   * @param modality the modality's name, for messages
   * @param pool the reference pool, for perturber {@code reference}
   * @param rng draws the reference series
   * @throws InputException when perturber {@code reference} finds no usable pool series
   */
  static TimeseriesFeatureSet of(
      String modality,
      TimeseriesSettings settings,
      Series value,
      PoolStatistics pool,
      SplittableRandom rng) {
    int n = value.length();
    boolean windows = settings.features.equals("windows");
    boolean reference = settings.perturber.equals("reference");
    List<int[]> bounds = new ArrayList<>();
    int w = windows ? settings.windowFor(n) : n;
    // under 'mean' a last window of one step would be its own mean, a feature nothing hides: it
    // joins the window before it (windows of one step are all their own means: checkHides)
    boolean joinOneStepRest = settings.perturber.equals("mean") && w > 1;
    for (int c = 0; c < value.channels(); c++) {
      for (int start = 0; start < n; ) {
        int end = Math.min(n, start + w);
        if (joinOneStepRest && n - end == 1) {
          end = n;
        }
        bounds.add(new int[] {c, start, end});
        start = end;
      }
    }
    List<String> names = new ArrayList<>(bounds.size());
    double[] hidden =
        reference
            ? reference(modality, value, pool, rng).values().clone()
            : new double[value.values().length];
    for (int[] b : bounds) {
      String channel = value.channelLabel(b[0]);
      names.add(windows ? channel + "[" + b[1] + ":" + b[2] + ")" : channel);
      if (!reference) {
        hide(settings, value.values(), b[0] * n, b[1], b[2], n, hidden);
      }
    }
    if (!reference && !settings.perturber.equals("baseline")) {
      checkHides(modality, settings.perturber, value, hidden, windows ? w : 0);
    }
    return new TimeseriesFeatureSet(
        value,
        bounds.toArray(new int[0][]),
        List.copyOf(names),
        hidden,
        layout(settings, value, w, bounds));
  }

  /**
   * Refuses a series that perturber {@code mean} or {@code interpolate}, which hide a feature with
   * values made from the series itself, cannot change at all: a series of one step, windows of one
   * step under {@code mean} (each its own mean), a constant series. Every weight would be 0 and
   * read as "the model ignores the series". (Under {@code baseline} or {@code reference} such a
   * series is the reference itself, and 0 is the right answer.)
   *
   * @param window the window length, 0 for whole channels
   */
  private static void checkHides(
      String modality, String perturber, Series value, double[] hidden, int window) {
    double[] x = value.values();
    for (int i = 0; i < x.length; i++) {
      if (hidden[i] != x[i]) {
        return;
      }
    }
    String hint =
        perturber.equals("mean") && window == 1 && value.length() > 1
            ? "windows of one step are their own means; set 'window' to 2 or more, or use"
            : value.length() == 1 ? "a single step has no other value; use" : "use";
    throw new InputException(
        null,
        "modality '"
            + modality
            + "': perturber '"
            + perturber
            + "' hides nothing in this series of "
            + value.length()
            + (value.length() == 1 ? " step" : " steps")
            + (window > 0 ? " (windows of " + window + ")" : "")
            + ": every hidden feature equals the feature itself, so every weight would be 0; "
            + hint
            + " perturber 'baseline' or 'reference'");
  }

  private static Map<String, Object> layout(
      TimeseriesSettings settings, Series value, int window, List<int[]> bounds) {
    Map<String, Object> layout = new LinkedHashMap<>();
    layout.put("features", settings.features);
    if (settings.features.equals("windows")) {
      layout.put("window", window);
    }
    layout.put("perturber", settings.perturber);
    layout.put("channels", value.channels());
    layout.put("length", value.length());
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
    return layout;
  }

  /**
   * One pool series of the explained series' shape, drawn with the datapoint's featurizing stream;
   * the explained series itself (or an equal one) is skipped.
   */
  private static Series reference(
      String modality, Series value, PoolStatistics pool, SplittableRandom rng) {
    List<Object> values = pool == null ? List.of() : pool.values();
    if (values.isEmpty()) {
      throw new InputException(
          null,
          "modality '"
              + modality
              + "': perturber 'reference' takes hidden values from the reference pool, which is"
              + " empty");
    }
    for (int i = 0; i < values.size(); i++) {
      Series s = (Series) values.get(i);
      if (s.channels() != value.channels() || s.length() != value.length()) {
        throw new InputException(
            null,
            "modality '"
                + modality
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
              + modality
              + "': perturber 'reference' needs a pool series other than the explained one;"
              + " the pool holds only that series");
    }
    return (Series) values.get(i);
  }

  /** Writes the hidden form of [start, end) of the channel at {@code offset} into {@code out}. */
  private static void hide(
      TimeseriesSettings settings,
      double[] x,
      int offset,
      int start,
      int end,
      int n,
      double[] out) {
    switch (settings.perturber) {
      case "baseline" -> Arrays.fill(out, offset + start, offset + end, settings.baseline);
      case "interpolate" -> {
        boolean hasLeft = start > 0;
        boolean hasRight = end < n;
        if (hasLeft && hasRight) {
          double a = x[offset + start - 1];
          double b = x[offset + end];
          int span = end - start + 1;
          boolean wide = !Double.isFinite(b - a); // -1e308 to 1e308: weigh the ends instead
          for (int i = start; i < end; i++) {
            double t = (double) (i - start + 1) / span;
            out[offset + i] = wide ? a * (1 - t) + b * t : a + (b - a) * (i - start + 1) / span;
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

  /** The mean of {@code x[from, to)}; finite for finite values, even where their sum is not. */
  static double mean(double[] x, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += x[i];
    }
    if (Double.isFinite(sum)) {
      return sum / (to - from);
    }
    double scaled = 0; // each term at most max|x| / n: no overflow
    for (int i = from; i < to; i++) {
      scaled += x[i] / (to - from);
    }
    return scaled;
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

  /** Each window's channel and [start, end) sample bounds (a whole channel when not windowed). */
  @Override
  public Optional<FeatureMap> featureMap() {
    int d = bounds.length;
    int[] channels = new int[d];
    int[] starts = new int[d];
    int[] ends = new int[d];
    for (int f = 0; f < d; f++) {
      channels[f] = bounds[f][0];
      starts[f] = bounds[f][1];
      ends[f] = bounds[f][2];
    }
    return Optional.of(
        new FeatureMap.Windows(value.channels(), value.length(), channels, starts, ends));
  }

  /** Channel, start (inclusive) and end (exclusive) of one feature. */
  int[] bounds(int feature) {
    return bounds[feature].clone();
  }
}
