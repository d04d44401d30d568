package io.dime.api.run;

import static java.util.Objects.requireNonNull;

import io.dime.api.Provenance;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code summary.json} holds about one explanation job.
 *
 * @param schemaVersion version of the JSON form ({@link io.dime.api.Explanation#SCHEMA_VERSION})
 * @param counts records seen, explained and failed
 * @param passes model passes
 * @param globalAnalysis variance shares and the additive projection's accuracy
 * @param hiddenBaseline the hidden-feature check
 * @param dominance the DIME paper's Table 4: per explanation type ("UC", "MI", "LIME") and
 *     modality, the mean over explained (datapoint, class) pairs of the mean absolute weight of the
 *     top-5 features
 * @param notes things to keep in mind when reading the explanations
 * @param provenance the engine's provenance (no reference draws)
 * @param timings wall-clock timings
 * @since 0.1
 */
public record RunSummary(
    int schemaVersion,
    RecordCounts counts,
    PassTotals passes,
    GlobalShares globalAnalysis,
    HiddenFeatureCheck hiddenBaseline,
    Map<String, Map<String, Double>> dominance,
    List<String> notes,
    Provenance provenance,
    RunTimings timings) {
  public RunSummary {
    requireNonNull(counts, "counts is null");
    requireNonNull(passes, "passes is null");
    requireNonNull(globalAnalysis, "globalAnalysis is null");
    requireNonNull(hiddenBaseline, "hiddenBaseline is null");
    Map<String, Map<String, Double>> copy = new LinkedHashMap<>();
    requireNonNull(dominance, "dominance is null")
        .forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
    dominance = Collections.unmodifiableMap(copy);
    notes = List.copyOf(notes);
    requireNonNull(provenance, "provenance is null");
    requireNonNull(timings, "timings is null");
  }
}
