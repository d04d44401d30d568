package io.dime.api;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * Where the features of one modality value lie in that value, so that a feature's weight can be
 * drawn on the input with no plugin code: one map per modality and datapoint ({@link
 * Explanation#featureMaps()}), its features numbered as in {@link
 * ModalityExplanation#featureNames()}.
 *
 * <p>Each kind divides the value into elements numbered in a fixed order, and {@link #owners()}
 * gives each element's feature, or -1 for an element that no feature holds (the spaces between
 * words):
 *
 * <ul>
 *   <li>{@link Pixels} ({@code "pixels"}): an image's superpixel label map, run-length encoded;
 *       elements are the pixels, row by row.
 *   <li>{@link Spans} ({@code "spans"}): a text's features as [begin, end) offsets counted in
 *       Unicode code points (what Python's {@code str} indexes); elements are the code points.
 *   <li>{@link Windows} ({@code "windows"}): a series' features as channel and [start, end) sample
 *       bounds; elements are the samples, channel by channel.
 *   <li>{@link Entries} ({@code "entries"}): a vector's features as entry indices; elements are the
 *       entries.
 * </ul>
 *
 * <p>The records check their own shape (bounds, overlaps, run lengths) and throw {@link
 * IllegalArgumentException} naming the problem. Arrays are copied in and out.
 *
 * @since 0.2
 */
public sealed interface FeatureMap
    permits FeatureMap.Pixels, FeatureMap.Spans, FeatureMap.Windows, FeatureMap.Entries {

  /** The kind as JSON writes it: "pixels", "spans", "windows" or "entries". */
  String kind();

  /** The number of features the map places: the largest feature index plus one. */
  int size();

  /** The number of elements of the value (pixels, code points, samples or entries). */
  int elementCount();

  /**
   * For each element, in the kind's order, the index of the feature that holds it, or -1.
   *
   * @return a fresh array of length {@link #elementCount()}
   */
  int[] owners();

  /**
   * An image's superpixels: the label of every pixel, row by row from the top left, as maximal runs
   * of equal labels ({@code runs} = label, length, label, length, ...; a run may continue onto the
   * next row). The image is the one the features were made on, after any resize or crop.
   *
   * @param width the image's width in pixels
   * @param height the image's height in pixels
   * @param runs label and length pairs; lengths at least 1 and summing to width x height
   * @since 0.2
   */
  record Pixels(int width, int height, int[] runs) implements FeatureMap {
    /** The kind's JSON name. */
    public static final String KIND = "pixels";

    public Pixels {
      if (width < 1 || height < 1) {
        throw new IllegalArgumentException(
            "an image map needs a positive width and height, got " + width + " x " + height);
      }
      runs = requireNonNull(runs, "runs is null").clone();
      if (runs.length == 0 || runs.length % 2 != 0) {
        throw new IllegalArgumentException(
            "runs must be label, length pairs; got " + runs.length + " numbers");
      }
      long total = 0;
      for (int r = 0; r < runs.length; r += 2) {
        if (runs[r] < 0 || runs[r + 1] < 1) {
          throw new IllegalArgumentException(
              "run "
                  + r / 2
                  + " has label "
                  + runs[r]
                  + " and length "
                  + runs[r + 1]
                  + "; labels must be at least 0 and lengths at least 1");
        }
        total += runs[r + 1];
      }
      if (total != (long) width * height) {
        throw new IllegalArgumentException(
            "runs cover " + total + " pixels; the image has " + width + " x " + height);
      }
    }

    /**
     * The map of a per-pixel label array.
     *
     * @param labels one label (at least 0) per pixel, row by row; length width x height
     */
    public static Pixels of(int width, int height, int[] labels) {
      requireNonNull(labels, "labels is null");
      if ((long) width * height != labels.length) {
        throw new IllegalArgumentException(
            labels.length + " labels for a " + width + " x " + height + " image");
      }
      int[] out = new int[2 * labels.length];
      int n = 0;
      for (int p = 0; p < labels.length; p++) {
        if (n > 0 && out[n - 2] == labels[p]) {
          out[n - 1]++;
        } else {
          out[n++] = labels[p];
          out[n++] = 1;
        }
      }
      return new Pixels(width, height, Arrays.copyOf(out, n));
    }

    @Override
    public int[] runs() {
      return runs.clone();
    }

    /** One label per pixel, row by row (the decoded runs). */
    public int[] labels() {
      int[] out = new int[width * height];
      int p = 0;
      for (int r = 0; r < runs.length; r += 2) {
        Arrays.fill(out, p, p + runs[r + 1], runs[r]);
        p += runs[r + 1];
      }
      return out;
    }

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public int size() {
      int max = -1;
      for (int r = 0; r < runs.length; r += 2) {
        max = Math.max(max, runs[r]);
      }
      return max + 1;
    }

    @Override
    public int elementCount() {
      return width * height;
    }

    @Override
    public int[] owners() {
      return labels();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Pixels p
          && p.width == width
          && p.height == height
          && Arrays.equals(p.runs, runs);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * width + height) + Arrays.hashCode(runs);
    }

    @Override
    public String toString() {
      return "Pixels[" + width + " x " + height + ", " + runs.length / 2 + " runs]";
    }
  }

  /**
   * A text's features as spans: feature i is the code points [begins[i], ends[i]) of the text.
   * Spans do not overlap; code points between them belong to no feature.
   *
   * @param length the text's length in code points
   * @param begins each feature's first code point
   * @param ends each feature's end (exclusive), after its begin
   * @since 0.2
   */
  record Spans(int length, int[] begins, int[] ends) implements FeatureMap {
    /** The kind's JSON name. */
    public static final String KIND = "spans";

    public Spans {
      begins = requireNonNull(begins, "begins is null").clone();
      ends = requireNonNull(ends, "ends is null").clone();
      if (begins.length != ends.length || begins.length == 0) {
        throw new IllegalArgumentException(
            begins.length + " begins and " + ends.length + " ends; one of each per feature");
      }
      int[] zeros = new int[begins.length];
      cover("span", length, zeros, begins, ends, 1);
    }

    /**
     * The spans of a Java string's features given as UTF-16 offsets ({@link String#substring}),
     * converted to code points.
     *
     * @param text the featurized text
     * @param charBegins each feature's first {@code char} index
     * @param charEnds each feature's end {@code char} index (exclusive)
     */
    public static Spans ofChars(String text, int[] charBegins, int[] charEnds) {
      requireNonNull(text, "text is null");
      int[] b = new int[charBegins.length];
      int[] e = new int[charEnds.length];
      for (int i = 0; i < b.length; i++) {
        b[i] = text.codePointCount(0, charBegins[i]);
      }
      for (int i = 0; i < e.length; i++) {
        e[i] = text.codePointCount(0, charEnds[i]);
      }
      return new Spans(text.codePointCount(0, text.length()), b, e);
    }

    @Override
    public int[] begins() {
      return begins.clone();
    }

    @Override
    public int[] ends() {
      return ends.clone();
    }

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public int size() {
      return begins.length;
    }

    @Override
    public int elementCount() {
      return length;
    }

    @Override
    public int[] owners() {
      return cover("span", length, new int[begins.length], begins, ends, 1);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Spans s
          && s.length == length
          && Arrays.equals(s.begins, begins)
          && Arrays.equals(s.ends, ends);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * length + Arrays.hashCode(begins)) + Arrays.hashCode(ends);
    }

    @Override
    public String toString() {
      return "Spans[" + begins.length + " in " + length + " code points]";
    }
  }

  /**
   * A series' features as windows: feature i is samples [starts[i], ends[i]) of channel
   * channels[i]. Windows do not overlap.
   *
   * @param channelCount the series' number of channels
   * @param length the number of samples per channel
   * @param channels each feature's channel, in [0, channelCount)
   * @param starts each feature's first sample
   * @param ends each feature's end sample (exclusive), after its start
   * @since 0.2
   */
  record Windows(int channelCount, int length, int[] channels, int[] starts, int[] ends)
      implements FeatureMap {
    /** The kind's JSON name. */
    public static final String KIND = "windows";

    public Windows {
      channels = requireNonNull(channels, "channels is null").clone();
      starts = requireNonNull(starts, "starts is null").clone();
      ends = requireNonNull(ends, "ends is null").clone();
      if (channels.length != starts.length || starts.length != ends.length || starts.length == 0) {
        throw new IllegalArgumentException(
            channels.length
                + " channels, "
                + starts.length
                + " starts and "
                + ends.length
                + " ends; one of each per feature");
      }
      if (channelCount < 1) {
        throw new IllegalArgumentException("a series map needs at least one channel");
      }
      for (int i = 0; i < channels.length; i++) {
        if (channels[i] < 0 || channels[i] >= channelCount) {
          throw new IllegalArgumentException(
              "window " + i + " is on channel " + channels[i] + " of " + channelCount);
        }
      }
      cover("window", length, channels, starts, ends, channelCount);
    }

    @Override
    public int[] channels() {
      return channels.clone();
    }

    @Override
    public int[] starts() {
      return starts.clone();
    }

    @Override
    public int[] ends() {
      return ends.clone();
    }

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public int size() {
      return starts.length;
    }

    @Override
    public int elementCount() {
      return channelCount * length;
    }

    @Override
    public int[] owners() {
      return cover("window", length, channels, starts, ends, channelCount);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Windows w
          && w.channelCount == channelCount
          && w.length == length
          && Arrays.equals(w.channels, channels)
          && Arrays.equals(w.starts, starts)
          && Arrays.equals(w.ends, ends);
    }

    @Override
    public int hashCode() {
      return Arrays.deepHashCode(new Object[] {channelCount, length, channels, starts, ends});
    }

    @Override
    public String toString() {
      return "Windows[" + starts.length + " on " + channelCount + " x " + length + "]";
    }
  }

  /**
   * A vector's features as entries: feature i is entry indices[i]. Indices are distinct.
   *
   * @param length the vector's length
   * @param indices each feature's entry, in [0, length)
   * @since 0.2
   */
  record Entries(int length, int[] indices) implements FeatureMap {
    /** The kind's JSON name. */
    public static final String KIND = "entries";

    public Entries {
      indices = requireNonNull(indices, "indices is null").clone();
      if (indices.length == 0) {
        throw new IllegalArgumentException("an entry map needs at least one feature");
      }
      boolean[] seen = new boolean[Math.max(0, length)];
      for (int i = 0; i < indices.length; i++) {
        if (indices[i] < 0 || indices[i] >= length) {
          throw new IllegalArgumentException(
              "feature " + i + " is entry " + indices[i] + " of a vector of length " + length);
        }
        if (seen[indices[i]]) {
          throw new IllegalArgumentException(
              "entry " + indices[i] + " is given to two features; each entry has one");
        }
        seen[indices[i]] = true;
      }
    }

    /** Feature i is entry i, for a vector of the given length. */
    public static Entries identity(int length) {
      int[] indices = new int[length];
      Arrays.setAll(indices, i -> i);
      return new Entries(length, indices);
    }

    @Override
    public int[] indices() {
      return indices.clone();
    }

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public int size() {
      return indices.length;
    }

    @Override
    public int elementCount() {
      return length;
    }

    @Override
    public int[] owners() {
      int[] owner = new int[length];
      Arrays.fill(owner, -1);
      for (int i = 0; i < indices.length; i++) {
        owner[indices[i]] = i;
      }
      return owner;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entries e && e.length == length && Arrays.equals(e.indices, indices);
    }

    @Override
    public int hashCode() {
      return 31 * length + Arrays.hashCode(indices);
    }

    @Override
    public String toString() {
      return "Entries[" + indices.length + " of " + length + "]";
    }
  }

  /**
   * The owner of each element of {@code groups} rows of {@code length} elements, where feature i
   * holds [starts[i], ends[i]) of row groups[i]; checks that every interval is non-empty, inside
   * its row and overlaps no other.
   */
  private static int[] cover(
      String what, int length, int[] groups, int[] starts, int[] ends, int groupCount) {
    if (length < 0) {
      throw new IllegalArgumentException("a length of " + length + " is negative");
    }
    int[] owner = new int[Math.multiplyExact(groupCount, length)];
    Arrays.fill(owner, -1);
    for (int i = 0; i < starts.length; i++) {
      if (starts[i] < 0 || ends[i] <= starts[i] || ends[i] > length) {
        throw new IllegalArgumentException(
            what
                + " "
                + i
                + " is ["
                + starts[i]
                + ", "
                + ends[i]
                + "); it must be non-empty and end at most at "
                + length);
      }
      int base = groups[i] * length;
      for (int e = starts[i]; e < ends[i]; e++) {
        if (owner[base + e] >= 0) {
          throw new IllegalArgumentException(
              what + " " + i + " overlaps " + what + " " + owner[base + e] + " at " + e);
        }
        owner[base + e] = i;
      }
    }
    return owner;
  }
}
