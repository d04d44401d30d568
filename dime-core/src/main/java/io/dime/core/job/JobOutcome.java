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
 * @param stopped why the job stopped itself before its last record (the model failed on too many
 *     records in a row); empty when it did not
 */
public record JobOutcome(
    Optional<RunSummary> summary,
    int explained,
    int failed,
    boolean cancelled,
    double explainSeconds,
    Optional<String> stopped) {
  public JobOutcome {
    requireNonNull(summary, "summary is null");
    requireNonNull(stopped, "stopped is null");
  }

  /**
   * 0 when every record was explained, 1 when some failed (they are in the output) or the job was
   * cancelled, 3 when the job stopped itself ({@link #stopped()}).
   */
  public int exitCode() {
    if (stopped.isPresent()) {
      return 3;
    }
    return failed == 0 && !cancelled ? 0 : 1;
  }
}
