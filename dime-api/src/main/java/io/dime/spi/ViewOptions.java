package io.dime.spi;

/**
 * How to draw a view.
 *
 * @param palette "diverging" (colour-blind-safe blue/orange), "green_red" (the paper's), or null
 *     for the modality's configured palette (itself "diverging" unless set); see {@link Palette}
 * @param topN show only the n features with the largest absolute weights; 0 for all
 * @param title caption for the view ("UC image, class 'yes'")
 */
public record ViewOptions(String palette, int topN, String title) {
  public static ViewOptions defaults(String title) {
    return new ViewOptions(null, 0, title);
  }
}
