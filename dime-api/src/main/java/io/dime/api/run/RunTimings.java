package io.dime.api.run;

import java.util.OptionalDouble;

/**
 * Wall-clock timings of a job: the only part of a summary that differs between two runs with the
 * same seed.
 *
 * @param totalSeconds from the start of the job to the summary
 * @param explainSeconds the explanation phase (all threads together)
 * @param secondsPerPoint the explanation phase over the datapoints explained in this run; empty
 *     when none was
 * @since 0.1
 */
public record RunTimings(
    double totalSeconds, double explainSeconds, OptionalDouble secondsPerPoint) {
  public RunTimings {
    java.util.Objects.requireNonNull(secondsPerPoint, "secondsPerPoint is null");
  }
}
