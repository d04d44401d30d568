package io.dime.spi;

import static java.util.Objects.requireNonNull;

/**
 * A surrogate's fit of one target column.
 *
 * @param weights one per feature (0 for features not selected)
 * @param standardErrors one per feature (NaN where not estimable, 0 where not selected)
 * @param intercept the intercept in the target's units
 * @param score kernel-weighted R^2 on the samples
 */
public record ColumnFit(double[] weights, double[] standardErrors, double intercept, double score) {
  public ColumnFit {
    requireNonNull(weights, "weights is null");
    requireNonNull(standardErrors, "standardErrors is null");
  }
}
