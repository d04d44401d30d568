package io.dime.spi;

import static java.util.Objects.requireNonNull;

/**
 * The perturbation samples of one modality and their surrogate weights, drawn by a {@link
 * Surrogate}.
 *
 * @param masks S masks of d features each (true = kept); arrays are not copied and must not be
 *     changed
 * @param weights one non-negative sample weight per mask
 */
public record SampleDesign(boolean[][] masks, double[] weights) {
  public SampleDesign {
    requireNonNull(masks, "masks is null");
    requireNonNull(weights, "weights is null");
    if (masks.length != weights.length) {
      throw new IllegalArgumentException(
          masks.length + " masks but " + weights.length + " weights");
    }
  }

  public int samples() {
    return masks.length;
  }

  public int features() {
    return masks.length == 0 ? 0 : masks[0].length;
  }
}
