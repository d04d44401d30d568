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
 * @param standardErrors one standard error per weight, from the weighted residuals and, for a
 *     random reference set ({@code exact} with random selection, {@code paper_faithful}), its
 *     jackknife (NaN where the residual degrees of freedom are exhausted or, under the draw-based
 *     estimators, where no residual can show the draws' error; 0 for features left out)
 * @param intercept the surrogate's intercept, including the target's constant parts
 * @param score kernel-weighted R^2 of the fit on the perturbation samples; NaN (not defined) when
 *     the target does not vary beyond the model's floating-point rounding, which the explanation's
 *     warnings name
 * @param localPrediction the surrogate's prediction at the unperturbed input (intercept plus the
 *     sum of the weights)
 * @param replicateErrors with replicates (independent reruns with other seeds): the standard error
 *     of each weight's mean over the replicates, from their spread (K - 1 degrees of freedom for K
 *     replicates); empty without replicates
 * @param faithfulness deletion and insertion curves and held-out R^2 of this fit (see {@link
 *     Faithfulness}); empty when faithfulness is switched off. With replicates: the mean over the
 *     replicates of each replicate's own curves and scores
 * @since 0.1
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
    double[] replicateErrors,
    Optional<Faithfulness> faithfulness) {
  public SurrogateFit {
    requireNonNull(key, "key is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(term, "term is null");
    requireNonNull(weights, "weights is null");
    requireNonNull(standardErrors, "standardErrors is null");
    requireNonNull(replicateErrors, "replicateErrors is null");
    requireNonNull(faithfulness, "faithfulness is null");
    if (weights.length != standardErrors.length) {
      throw new IllegalArgumentException("weights and standardErrors differ in length");
    }
  }

  /** This fit with the given faithfulness measures. */
  public SurrogateFit withFaithfulness(Optional<Faithfulness> f) {
    return new SurrogateFit(
        key,
        kind,
        term,
        weights,
        standardErrors,
        intercept,
        score,
        localPrediction,
        replicateErrors,
        f);
  }

  /**
   * The surrogate's prediction for a mask: the intercept plus the weights of the kept features.
   *
   * @param keep one entry per feature, true where the feature is kept
   */
  public double predict(boolean[] keep) {
    if (keep.length != weights.length) {
      throw new IllegalArgumentException(
          "mask of " + keep.length + " features for " + weights.length + " weights");
    }
    double y = intercept;
    for (int j = 0; j < keep.length; j++) {
      if (keep[j]) {
        y += weights[j];
      }
    }
    return y;
  }
}
