package io.dime.spi;

import static java.util.Objects.requireNonNull;

/**
 * The perturbation samples of one modality and their surrogate weights, drawn by a {@link
 * Surrogate}.
 *
 * @param masks S masks of d features each (true = kept); arrays are not copied and must not be
 *     changed
 * @param weights one non-negative sample weight per mask; not copied, not null
 * @param errorGroup consecutive samples whose targets share their estimation error, set by the
 *     engine before a fit: samples i and j are in one group when {@code i / errorGroup == j /
 *     errorGroup}; 1 (the default) when every sample's target error is its own. A surrogate's
 *     standard errors should treat a group as one draw of its error (the fast preset's {@code
 *     anchored} estimator gives several consecutive samples one set of reference draws).
 * @since 0.1
 */
public record SampleDesign(boolean[][] masks, double[] weights, int errorGroup) {
  /**
   * Checks there is one weight per mask.
   *
   * @throws NullPointerException when an array is null
   * @throws IllegalArgumentException when the counts differ or the error group is below 1
   * @since 0.3 (the error group)
   */
  public SampleDesign {
    requireNonNull(masks, "masks is null");
    requireNonNull(weights, "weights is null");
    if (masks.length != weights.length) {
      throw new IllegalArgumentException(
          masks.length + " masks but " + weights.length + " weights");
    }
    if (errorGroup < 1) {
      throw new IllegalArgumentException("errorGroup must be >= 1, found " + errorGroup);
    }
  }

  /**
   * A design whose samples' target errors are independent (an error group of 1).
   *
   * @throws NullPointerException when an array is null
   * @throws IllegalArgumentException when the counts differ
   */
  public SampleDesign(boolean[][] masks, double[] weights) {
    this(masks, weights, 1);
  }

  /**
   * The same masks and weights with another error group.
   *
   * @since 0.3
   */
  public SampleDesign withErrorGroup(int group) {
    return new SampleDesign(masks, weights, group);
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
