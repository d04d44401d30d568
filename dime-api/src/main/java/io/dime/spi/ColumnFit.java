package io.dime.spi;

import static java.util.Objects.requireNonNull;

/**
 * A surrogate's fit of one target column. Arrays are not copied and must not be changed.
 *
 * @param weights one per feature (0 for features not selected), in the target's units per feature
 *     shown; not null
 * @param standardErrors one per feature (NaN where not estimable, 0 where not selected); not null
 * @param intercept the intercept in the target's units
 * @param score kernel-weighted R^2 on the samples
 * @since 0.1
 */
public record ColumnFit(double[] weights, double[] standardErrors, double intercept, double score) {
  /**
   * Checks the arrays are given.
   *
   * @throws NullPointerException when {@code weights} or {@code standardErrors} is null
   */
  public ColumnFit {
    requireNonNull(weights, "weights is null");
    requireNonNull(standardErrors, "standardErrors is null");
  }
}
