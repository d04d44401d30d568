package io.dime.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A local linear surrogate for one target (a term, UC, MI or the model itself) of one explained
 * class on one modality's features.
 *
 * @param key stable JSON key: "UC", "MI", "LIME", "residual" or a term key such as "g12"
 * @param kind what is explained
 * @param term the term for {@link TargetKind#TERM}, empty otherwise
 * @param weights one weight per feature (0 for features left out by feature selection)
 * @param standardErrors one standard error per weight, from the weighted residuals (NaN where the
 *     residual degrees of freedom are exhausted; 0 for features left out)
 * @param intercept the surrogate's intercept, including the target's constant parts
 * @param score kernel-weighted R^2 of the fit on the perturbation samples
 * @param localPrediction the surrogate's prediction at the unperturbed input (intercept plus the
 *     sum of the weights)
 * @param replicateErrors with replicates (independent reruns with other seeds): the standard error
 *     of each weight's mean over the replicates, from their spread; empty without replicates
 */
public record SurrogateFit(
    String key,
    TargetKind kind,
    Optional<Term> term,
    double[] weights,
    double[] standardErrors,
    double intercept,
    double score,
    double localPrediction,
    double[] replicateErrors) {
  public SurrogateFit {
    requireNonNull(key, "key is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(term, "term is null");
    requireNonNull(weights, "weights is null");
    requireNonNull(standardErrors, "standardErrors is null");
    requireNonNull(replicateErrors, "replicateErrors is null");
    if (weights.length != standardErrors.length) {
      throw new IllegalArgumentException("weights and standardErrors differ in length");
    }
  }
}
