package io.dime.api.run;

/**
 * The model passes of a whole job.
 *
 * @param totalRows rows sent to the model by the explanations of this file, summed
 * @param cachedRows rows answered from the duplicate-row cache instead, summed
 * @param formulaPerPoint the estimator's formula for one datapoint and one explained class, with
 *     every modality at its nominal feature count: a record's own {@code passes.formula} differs by
 *     the classes it explains, by its modalities' actual feature counts (fewer features than the
 *     faithfulness curve's steps take fewer curve passes) and by the replicates (this is one
 *     replicate's; a record's own is this times the replicates)
 * @param preparationRows rows spent once per run before the first explanation
 * @param formulaTotal the sum of the explained records' own {@code passes.formula} (since 0.2; it
 *     equals totalRows + cachedRows)
 * @since 0.1
 */
public record PassTotals(
    long totalRows,
    long cachedRows,
    long formulaPerPoint,
    long preparationRows,
    long formulaTotal) {
  /** Totals of a summary written before formulaTotal: rows and cached rows add up to it. */
  public PassTotals(long totalRows, long cachedRows, long formulaPerPoint, long preparationRows) {
    this(totalRows, cachedRows, formulaPerPoint, preparationRows, totalRows + cachedRows);
  }
}
