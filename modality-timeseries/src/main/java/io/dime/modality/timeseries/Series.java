package io.dime.modality.timeseries;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable multichannel time series: {@code channels} rows of {@code length} finite doubles,
 * all channels of one length, and optionally one distinct name per channel (from a CSV header). Two
 * series are equal when their values (compared as {@link Double#compare} does), shapes and channel
 * names are equal.
 */
public final class Series {
  private final int channels;
  private final int length;

  /** Channel-major: value (c, i) at {@code c * length + i}. */
  private final double[] values;

  private final List<String> channelNames;

  private Series(int channels, int length, double[] values, List<String> channelNames) {
    this.channels = channels;
    this.length = length;
    this.values = values;
    this.channelNames = channelNames;
  }

  /**
   * A series from its channels (copied) and optional channel names.
   *
   * @param data one row per channel, all of one positive length, every value finite
   * @param channelNames one distinct non-blank name per channel, or empty for none
   * @throws IllegalArgumentException for no channels, an empty or ragged channel, a value that is
   *     not finite, or names that do not fit
   */
  public static Series of(double[][] data, List<String> channelNames) {
    requireNonNull(data, "data is null");
    requireNonNull(channelNames, "channelNames is null");
    if (data.length == 0) {
      throw new IllegalArgumentException("a series needs at least one channel");
    }
    int length = requireNonNull(data[0], "channel 0 is null").length;
    if (length == 0) {
      throw new IllegalArgumentException("a series needs at least one value per channel");
    }
    double[] flat = new double[data.length * length];
    for (int c = 0; c < data.length; c++) {
      double[] row = requireNonNull(data[c], "channel " + c + " is null");
      if (row.length != length) {
        throw new IllegalArgumentException(
            "ragged channels: channel 0 has "
                + length
                + " values, channel "
                + c
                + " has "
                + row.length);
      }
      for (int i = 0; i < length; i++) {
        if (!Double.isFinite(row[i])) {
          throw new IllegalArgumentException(
              "value at channel " + c + " index " + i + " is " + row[i] + " (not finite)");
        }
      }
      System.arraycopy(row, 0, flat, c * length, length);
    }
    return new Series(data.length, length, flat, checkNames(channelNames, data.length));
  }

  /** A series from its channels (copied), without channel names. */
  public static Series of(double[][] data) {
    return of(data, List.of());
  }

  /** A one-channel series (copied), without a channel name. */
  public static Series of(double... values) {
    return of(new double[][] {requireNonNull(values, "values is null")}, List.of());
  }

  /**
   * Wraps a channel-major array without copying or checking its values; for perturbed copies of a
   * checked series, whose values the caller owns and no longer changes.
   */
  static Series trusted(int channels, int length, double[] values, List<String> channelNames) {
    return new Series(channels, length, values, channelNames);
  }

  private static List<String> checkNames(List<String> names, int channels) {
    if (names.isEmpty()) {
      return List.of();
    }
    if (names.size() != channels) {
      throw new IllegalArgumentException(
          names.size() + " channel names for " + channels + " channels: " + names);
    }
    Set<String> seen = new HashSet<>();
    for (String n : names) {
      if (n == null || n.isBlank()) {
        throw new IllegalArgumentException("blank channel name in " + names);
      }
      if (!seen.add(n)) {
        throw new IllegalArgumentException("channel name '" + n + "' is used twice in " + names);
      }
    }
    return List.copyOf(names);
  }

  /** Number of channels (at least 1). */
  public int channels() {
    return channels;
  }

  /** Number of values per channel (at least 1). */
  public int length() {
    return length;
  }

  /** The value of {@code channel} at {@code index}. */
  public double get(int channel, int index) {
    if (channel < 0 || channel >= channels || index < 0 || index >= length) {
      throw new IndexOutOfBoundsException(
          "(" + channel + ", " + index + ") outside " + channels + " x " + length);
    }
    return values[channel * length + index];
  }

  /** A copy of one channel's values. */
  public double[] channel(int channel) {
    if (channel < 0 || channel >= channels) {
      throw new IndexOutOfBoundsException("channel " + channel + " of " + channels);
    }
    return Arrays.copyOfRange(values, channel * length, (channel + 1) * length);
  }

  /** A copy of all values, one row per channel. */
  public double[][] toArray() {
    double[][] out = new double[channels][];
    for (int c = 0; c < channels; c++) {
      out[c] = channel(c);
    }
    return out;
  }

  /** The channel names, when the series has them. */
  public Optional<List<String>> channelNames() {
    return channelNames.isEmpty() ? Optional.empty() : Optional.of(channelNames);
  }

  /** The channel's name, or {@code "c" + channel} when the series has no names. */
  public String channelLabel(int channel) {
    if (channel < 0 || channel >= channels) {
      throw new IndexOutOfBoundsException("channel " + channel + " of " + channels);
    }
    return channelNames.isEmpty() ? "c" + channel : channelNames.get(channel);
  }

  /** The backing channel-major array; callers in this package must not change it. */
  double[] values() {
    return values;
  }

  List<String> names() {
    return channelNames;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Series s
        && channels == s.channels
        && length == s.length
        && Arrays.equals(values, s.values)
        && channelNames.equals(s.channelNames);
  }

  @Override
  public int hashCode() {
    return (Arrays.hashCode(values) * 31 + channelNames.hashCode()) * 31 + channels;
  }

  /** The shape, names and the first values of each channel. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Series[").append(channels).append(" x ").append(length);
    for (int c = 0; c < channels; c++) {
      b.append(c == 0 ? ": " : "; ").append(channelLabel(c)).append('=');
      int shown = Math.min(length, 6);
      b.append(Arrays.toString(Arrays.copyOfRange(values, c * length, c * length + shown)));
      if (shown < length) {
        b.setLength(b.length() - 1);
        b.append(", ...]");
      }
    }
    return b.append(']').toString();
  }
}
