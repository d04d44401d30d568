package io.dime.api.run;

/**
 * The model passes of a whole job.
 *
 * @param totalRows rows sent to the model by the explanations of this file, summed
 * @param cachedRows rows answered from the duplicate-row cache instead, summed
 * @param formulaPerPoint the estimator's formula for one datapoint and one explained class
 * @param preparationRows rows spent once per run before the first explanation
 * @since 0.1
 */
public record PassTotals(
    long totalRows, long cachedRows, long formulaPerPoint, long preparationRows) {}
