package io.dime.spi;

import static java.util.Objects.requireNonNull;

/**
 * The perturbation samples of one modality and their surrogate weights, drawn by a {@link
 * Surrogate}.
 *
 * @param masks S masks of d features each (true = kept); arrays are not copied and must not be
 *     changed
 * @param weights one non-negative sample weight per mask; not copied, not null
 * @since 0.1
 */
public record SampleDesign(boolean[][] masks, double[] weights) {
  /**
   * Checks there is one weight per mask.
   *
   * @throws NullPointerException when an array is null
   * @throws IllegalArgumentException when the counts differ
   */
  public SampleDesign {
    requireNonNull(masks, "masks is null");
    requireNonNull(weights, "weights is null");
    if (masks.length != weights.length) {
      throw new IllegalArgumentException(
          masks.length + " masks but " + weights.length + " weights");
    }
  }

  /** The number of samples S. */
  public int samples() {
    return masks.length;
  }

  /** The number of features d; 0 when there is no sample. */
  public int features() {
    return masks.length == 0 ? 0 : masks[0].length;
  }
}
