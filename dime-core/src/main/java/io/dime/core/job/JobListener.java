package io.dime.core.job;

/**
 * Follows a job: what a progress bar, a log or a caller's own monitoring needs. Called from the
 * thread that runs the job, in order; a listener must not block for long.
 */
public interface JobListener {
  /** After the records are read and the checkpoint restored, before the first explanation. */
  default void started(JobStart start) {}

  /** After each record explained (or failed) in this run, in source order. */
  default void explained(JobProgress progress) {}

  /** At the end: finished, or cancelled. */
  default void finished(JobOutcome outcome) {}

  /** A listener that does nothing. */
  JobListener NONE = new JobListener() {};
}
