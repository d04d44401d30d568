package io.dime.api;

/**
 * Model forward passes (rows) for one explained datapoint.
 *
 * @param rows rows actually sent to the model
 * @param cachedRows rows answered from the duplicate-row cache instead
 * @param formula the budget formula of the estimator (DESIGN.md section 4); {@code rows +
 *     cachedRows == formula} always holds
 * @since 0.1
 */
public record PassCount(long rows, long cachedRows, long formula) {}
