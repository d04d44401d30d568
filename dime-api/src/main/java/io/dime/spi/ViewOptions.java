package io.dime.spi;

/**
 * How to draw a view.
 *
 * @param palette "diverging" (colour-blind-safe blue/orange), "green_red" (the paper's), or null
 *     (or blank) for the modality's configured palette (itself "diverging" unless set); see {@link
 *     Palette} and {@link #palette(Palette)}
 * @param topN show only the n features with the largest absolute weights; 0 for all
 * @param title caption for the view ("UC image, class 'yes'"), or null
 * @since 0.1
 */
public record ViewOptions(String palette, int topN, String title) {
  /**
   * Options for all features in the modality's palette.
   *
   * @param title caption for the view, or null
   */
  public static ViewOptions defaults(String title) {
    return new ViewOptions(null, 0, title);
  }

  /**
   * The palette to draw with: the one {@link #palette()} names (case-insensitive), or {@code
   * configured} when it names none (null or blank).
   *
   * @param configured the modality's own palette ({@link Palette#DIVERGING} when it has no
   *     setting), not null
   * @return never null
   * @throws IllegalArgumentException for an unknown name, naming it and the available palettes
   */
  public Palette palette(Palette configured) {
    java.util.Objects.requireNonNull(configured, "configured is null");
    return palette == null || palette.isBlank() ? configured : Palette.of(palette);
  }

  /**
   * Which features a view marks: all of them when {@link #topN()} is 0 or at least the feature
   * count, else the {@code topN} with the largest absolute weights (ties by feature index; a
   * non-finite weight counts as 0).
   *
   * @param weights one weight per feature, not null
   * @return one flag per feature, true for a marked one
   * @throws IllegalArgumentException for a negative topN
   */
  public boolean[] shown(double[] weights) {
    if (topN < 0) {
      throw new IllegalArgumentException("topN must be 0 (all) or positive, found " + topN);
    }
    boolean[] shown = new boolean[weights.length];
    if (topN == 0 || topN >= weights.length) {
      java.util.Arrays.fill(shown, true);
      return shown;
    }
    Integer[] order = new Integer[weights.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Arrays.sort on objects is stable: equal magnitudes keep index order.
    java.util.Arrays.sort(
        order, (a, b) -> Double.compare(magnitude(weights[b]), magnitude(weights[a])));
    for (int i = 0; i < topN; i++) {
      shown[order[i]] = true;
    }
    return shown;
  }

  private static double magnitude(double w) {
    return Double.isFinite(w) ? Math.abs(w) : 0;
  }
}
