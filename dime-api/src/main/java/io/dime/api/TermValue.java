package io.dime.api;

import static java.util.Objects.requireNonNull;

/**
 * The value of one term g_S at the explained point, for one class: the value decomposition "logit
 * 3.2 = 0.5 bias + 1.1 image + 0.2 text + 1.4 image x text".
 *
 * @param term the subset; {@link Term#EMPTY} is the bias; a residual lumps the terms above the cap
 * @param key JSON key ("gE", "g1", "g12", or "residual")
 * @param label human label ("bias", "image", "image x text", "above order 2")
 * @param value the term's value at the point
 * @param standardError Monte-Carlo standard error of the value (0 for the exact estimator)
 * @param replicateError with replicates: the standard error of the mean over replicates, from their
 *     spread; NaN without replicates
 * @since 0.1
 */
public record TermValue(
    Term term,
    String key,
    String label,
    double value,
    double standardError,
    double replicateError) {
  public TermValue {
    requireNonNull(term, "term is null");
    requireNonNull(key, "key is null");
    requireNonNull(label, "label is null");
  }
}
