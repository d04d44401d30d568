package io.dime.api.run;

import java.io.IOException;

/**
 * Where an explanation job's results go: a JSONL file, a summary, an HTML report, a Spark
 * partition's rows. The job calls {@link #accept} once per record in the source's order, from one
 * thread, then {@link #finish} once with the job's summary, then {@link #close}; a job that stops
 * early (cancelled, or failed) calls {@link #close} without {@link #finish}.
 *
 * @since 0.1
 */
public interface ResultSink extends AutoCloseable {
  /**
   * One record's result.
   *
   * @throws IOException when the result cannot be kept; the job stops
   */
  void accept(JobResult result) throws IOException;

  /**
   * After the last result: the job's summary.
   *
   * @throws IOException when the sink cannot complete its output
   */
  default void finish(RunSummary summary) throws IOException {}

  /**
   * Whether this sink uses {@link JobResult#features()}; when no sink does, the job does not
   * featurize the records it resumes.
   */
  default boolean usesFeatures() {
    return false;
  }

  @Override
  default void close() throws IOException {}
}
