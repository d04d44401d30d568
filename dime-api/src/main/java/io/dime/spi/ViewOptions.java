package io.dime.spi;

/**
 * How to draw a view.
 *
 * @param palette "diverging" (colour-blind-safe blue/orange, the default) or "green_red" (the
 *     paper's)
 * @param topN show only the n features with the largest absolute weights; 0 for all
 * @param title caption for the view ("UC image, class 'yes'")
 */
public record ViewOptions(String palette, int topN, String title) {
  public static ViewOptions defaults(String title) {
    return new ViewOptions("diverging", 0, title);
  }
}
