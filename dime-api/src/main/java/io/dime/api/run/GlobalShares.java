package io.dime.api.run;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The global analysis over a grid of reference datapoints (n^k model rows): each term's share of
 * the output variance (Sobol indices under the product measure) and, as in Hessel and Lee's EMAP,
 * the accuracy of the additive projection at the references next to the model's own. A model whose
 * additive projection is as accurate as itself does not use interactions for its decisions.
 *
 * @param references n, the grid side
 * @param rows model rows used (n^k); 0 when the analysis failed
 * @param shares per class name, per term key ("g1", "g12"): the term's share of the variance over
 *     the grid (shares of a class sum to 1; all NaN, not defined, for a class whose output does not
 *     vary over the grid beyond rounding, which has no variance to share); empty when the analysis
 *     failed
 * @param modelAccuracy accuracy of the model's argmax at the references against their labels (NaN
 *     without labels or with one output)
 * @param additiveAccuracy accuracy of the additive projection's argmax (NaN likewise)
 * @param additiveShare share of the variance carried by terms of order at most 1, averaged over the
 *     classes whose output varies (NaN, not defined, when none does; before 0.3 it was 0, which
 *     read as "not additive at all" for a constant model)
 * @param error why the analysis failed; empty when it ran
 * @since 0.1
 */
public record GlobalShares(
    int references,
    long rows,
    Map<String, Map<String, Double>> shares,
    double modelAccuracy,
    double additiveAccuracy,
    double additiveShare,
    Optional<String> error) {
  public GlobalShares {
    Map<String, Map<String, Double>> copy = new LinkedHashMap<>();
    requireNonNull(shares, "shares is null")
        .forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
    shares = Collections.unmodifiableMap(copy);
    requireNonNull(error, "error is null");
  }

  /** The outcome of an analysis that could not run. */
  public static GlobalShares failed(int references, String error) {
    return new GlobalShares(
        references, 0, Map.of(), Double.NaN, Double.NaN, Double.NaN, Optional.of(error));
  }
}
