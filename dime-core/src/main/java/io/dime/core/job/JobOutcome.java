package io.dime.core.job;

import static java.util.Objects.requireNonNull;

import io.dime.api.run.RunSummary;
import java.util.Optional;

/**
 * How a job ended.
 *
 * @param summary the run's summary; empty when the job was cancelled
 * @param explained records with an explanation (kept ones included)
 * @param failed records with an error
 * @param cancelled whether the job was cancelled before its last record
 * @param explainSeconds wall time of the explanation phase
 */
public record JobOutcome(
    Optional<RunSummary> summary,
    int explained,
    int failed,
    boolean cancelled,
    double explainSeconds) {
  public JobOutcome {
    requireNonNull(summary, "summary is null");
  }

  /** 0 when every record was explained, 1 when some failed (they are in the output). */
  public int exitCode() {
    return failed == 0 && !cancelled ? 0 : 1;
  }
}
