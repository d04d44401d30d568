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
 * @param standardError standard error of the value: the spread of the draws under {@code sampled}
 *     and {@code anchored}; under {@code exact} with a random reference set and {@code
 *     paper_faithful}, a delete-group jackknife over the set (NaN with one reference); 0 under
 *     {@code exact} with a representative set or the whole pool, which leaves out the set's own
 *     error (the provenance's {@code standardErrors} says what each includes)
 * @param replicateError with replicates: the standard error of the mean over replicates, from their
 *     spread (K - 1 degrees of freedom for K replicates); NaN without replicates
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
