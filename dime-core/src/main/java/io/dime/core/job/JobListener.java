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

  /**
   * After each record that could not be read when it was delivered, though the job began with it
   * readable, in source order: a record kept from an earlier run whose line or files changed while
   * this one ran ({@code result} is {@link io.dime.api.run.JobResult.Status#UNREADABLE}, its error
   * naming the record). A record unreadable from the start is known before {@link #started} and not
   * told here; one explained in this run that changed is told to {@link #explained}.
   */
  default void unreadable(io.dime.api.run.JobResult result) {}

  /** At the end: finished, or cancelled. */
  default void finished(JobOutcome outcome) {}

  /** A listener that does nothing. */
  JobListener NONE = new JobListener() {};
}
