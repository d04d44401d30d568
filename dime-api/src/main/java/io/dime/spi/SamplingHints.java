package io.dime.spi;

import static java.util.Objects.requireNonNull;

/**
 * A modality's LIME defaults: how masks are drawn and the kernel applied to the cosine distance d
 * between a mask and the all-ones mask: weight = sqrt(exp(-(d * distanceScale)^2 / width^2)).
 *
 * @param distribution the mask distribution
 * @param kernelWidth the kernel width (0.25 for images and vectors, 25 for text)
 * @param distanceScale multiplier on the distance (1, or 100 for text as in {@code lime})
 * @since 0.1
 */
public record SamplingHints(
    MaskDistribution distribution, double kernelWidth, double distanceScale) {
  /**
   * Checks the arguments.
   *
   * @throws NullPointerException when {@code distribution} is null
   * @throws IllegalArgumentException when the width or the scale is not positive
   */
  public SamplingHints {
    requireNonNull(distribution, "distribution is null");
    if (!(kernelWidth > 0) || !(distanceScale > 0)) {
      throw new IllegalArgumentException("kernel width and distance scale must be positive");
    }
  }

  /** Images and vectors: keep each feature with probability 1/2, width 0.25. */
  public static final SamplingHints DENSE =
      new SamplingHints(MaskDistribution.BERNOULLI_HALF, 0.25, 1);

  /** Text: uniform number of hidden words, width 25 on distance x 100. */
  public static final SamplingHints TEXT =
      new SamplingHints(MaskDistribution.UNIFORM_COUNT, 25, 100);
}
