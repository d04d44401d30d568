package io.dime.spi;

import static java.util.Objects.requireNonNull;

/**
 * Helpers for {@link Modality#view} implementations, so that every modality checks its arguments
 * and scales its weights the same way. Colours come from {@link Palette}, the palette to use from
 * {@link ViewOptions#palette(Palette)} and which features to mark from {@link
 * ViewOptions#shown(double[])}.
 *
 * @since 0.1
 */
public final class ViewKit {
  private ViewKit() {}

  /**
   * Checks the arguments of {@link Modality#view}: none is null, and there is one weight per
   * feature.
   *
   * @param modality the modality's {@link Modality#name() name}, for the message
   * @param features the featurized value
   * @param weights the weights to draw
   * @param options how to draw them
   * @throws NullPointerException when {@code features}, {@code weights} or {@code options} is null,
   *     naming it ({@code "weights is null"})
   * @throws IllegalArgumentException when the weight count is not the feature count: {@code
   *     modality 'm': 3 weights for 4 features}
   */
  public static void checkWeights(
      String modality, FeatureSet<?> features, double[] weights, ViewOptions options) {
    requireNonNull(features, "features is null");
    requireNonNull(weights, "weights is null");
    requireNonNull(options, "options is null");
    if (weights.length != features.size()) {
      throw new IllegalArgumentException(
          "modality '"
              + modality
              + "': "
              + weights.length
              + " weights for "
              + features.size()
              + " features");
    }
  }

  /**
   * The largest absolute value among the finite weights, the usual scale of {@link
   * Palette#colour(double, double)}; 0 when no weight is finite and non-zero.
   *
   * @param weights the weights, not null
   * @return a finite number of at least 0
   */
  public static double maxAbs(double[] weights) {
    double max = 0;
    for (double w : weights) {
      if (Double.isFinite(w)) {
        max = Math.max(max, Math.abs(w));
      }
    }
    return max;
  }
}
