package io.dime.api.run;

import java.util.OptionalDouble;

/**
 * Wall-clock timings of a job: the only part of a summary that differs between two runs with the
 * same seed.
 *
 * @param totalSeconds from the start of the job to the summary
 * @param explainSeconds the explanation phase (all threads together)
 * @param secondsPerPoint the explanation phase's wall time divided by the datapoints explained in
 *     this run (a throughput figure: with several threads, points overlap, so it is less than the
 *     time one point takes); empty when none was
 * @param latencySecondsPerPoint the median wall time of one datapoint's explanation in this run
 *     (each record's {@code timings.totalSeconds}); empty when none was (since 0.2)
 * @since 0.1
 */
public record RunTimings(
    double totalSeconds,
    double explainSeconds,
    OptionalDouble secondsPerPoint,
    OptionalDouble latencySecondsPerPoint) {
  public RunTimings {
    java.util.Objects.requireNonNull(secondsPerPoint, "secondsPerPoint is null");
    java.util.Objects.requireNonNull(latencySecondsPerPoint, "latencySecondsPerPoint is null");
  }

  /** Timings without the latency (a summary written before it was recorded). */
  public RunTimings(double totalSeconds, double explainSeconds, OptionalDouble secondsPerPoint) {
    this(totalSeconds, explainSeconds, secondsPerPoint, OptionalDouble.empty());
  }
}
