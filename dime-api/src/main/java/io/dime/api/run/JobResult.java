package io.dime.api.run;

import static java.util.Objects.requireNonNull;

import io.dime.api.Datapoint;
import io.dime.api.ExplainResult;
import io.dime.spi.FeatureSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an explanation job hands its {@link ResultSink}s for one record, in the source's order: the
 * explanation or error exactly as the job's output holds it, the datapoint, and the features each
 * modality was explained on (so that a sink draws views without featurizing again).
 *
 * @param status where the result comes from
 * @param line the record's 1-based line in its manifest; 0 when unknown (a stale result)
 * @param result the explanation, or the error naming the record and the problem
 * @param datapoint the datapoint; empty for a record that could not be read and for a stale result
 * @param features per modality name, in pipeline order, the features the explanation used; empty
 *     for errors and stale results
 * @since 0.1
 */
public record JobResult(
    Status status,
    int line,
    ExplainResult result,
    Optional<Datapoint> datapoint,
    Map<String, FeatureSet<?>> features) {
  /** Where a result comes from. */
  public enum Status {
    /** Explained (or failed while being explained) in this run. */
    EXPLAINED,
    /** Explained by an earlier run into the same output and kept. */
    RESUMED,
    /** The record could not be read. */
    UNREADABLE,
    /** Kept from an earlier run, but its id is no longer in the source. */
    STALE
  }

  public JobResult {
    requireNonNull(status, "status is null");
    requireNonNull(result, "result is null");
    requireNonNull(datapoint, "datapoint is null");
    features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
  }

  /** Whether the record was explained (now or by an earlier run). */
  public boolean explained() {
    return result instanceof io.dime.api.Explanation;
  }
}
