package io.dime.core.job;

import static java.util.Objects.requireNonNull;

import io.dime.api.run.SourceRecord;
import io.dime.core.Dime;
import io.dime.core.Targets;
import java.util.List;
import java.util.Optional;

/**
 * The step of an {@link ExplanationJob} that explains the records it explains in this run, made
 * pluggable (as Spring Batch's partition handler is for a step): the job reads and plans the
 * records, restores what its checkpoint kept, and hands an explainer the rest; the explainer
 * returns one outcome per record, in the order given, and the job delivers them to its sinks with
 * the kept and unreadable records in their places and makes the summary. {@link #local()}, the
 * default, explains on the job's threads; {@link RemoteExplainer}s explain elsewhere (dime-spark on
 * a Spark cluster).
 *
 * <p>Whatever the explainer, each record is explained as {@link ExplanationJob#explainRecord} does
 * it, so the results are the same: randomness is seeded per record, not per thread or machine.
 */
public interface RecordExplainer {
  /**
   * A record to explain.
   *
   * @param index its position in the source, 0-based
   * @param record the record; always readable
   */
  record Work(int index, SourceRecord record) {
    public Work {
      requireNonNull(record, "record is null");
      if (!record.readable()) {
        throw new IllegalArgumentException("an unreadable record is not explained");
      }
    }
  }

  /**
   * What an explainer is asked to do.
   *
   * @param engine the job's engine (prepared on first use)
   * @param work the records to explain, in source order
   * @param targets the classes to explain per datapoint
   * @param threads datapoints the job may explain at once on this machine, 1 to {@link
   *     io.dime.core.DimeBuilder#MAX_THREADS}
   * @param reread a work record's values read again, where the job holds the record without them
   *     ({@link RereadableSource#light}); an unreadable record when its inputs changed since. An
   *     explainer on this machine calls it once per record, on the thread that explains it; one
   *     that explains elsewhere reads the record from its line there
   */
  record Request(
      Dime engine,
      List<Work> work,
      Targets targets,
      int threads,
      java.util.function.UnaryOperator<SourceRecord> reread) {
    public Request {
      requireNonNull(engine, "engine is null");
      work = List.copyOf(work);
      requireNonNull(targets, "targets is null");
      requireNonNull(reread, "reread is null");
      if (threads < 1 || threads > io.dime.core.DimeBuilder.MAX_THREADS) {
        // the local explainer's window, 4 x threads records, overflowed from 2^29
        throw new IllegalArgumentException(
            "threads must be from 1 to "
                + io.dime.core.DimeBuilder.MAX_THREADS
                + ", found "
                + threads);
      }
    }

    /** A request whose records hold their values. */
    public Request(Dime engine, List<Work> work, Targets targets, int threads) {
      this(engine, work, targets, threads, java.util.function.UnaryOperator.identity());
    }
  }

  /** The outcomes of a request, taken one at a time in the request's order. */
  interface Results extends AutoCloseable {
    /**
     * The outcome of the next record of the request, waiting until it is done: its result (through
     * the JSON mapping, errors at the record's line) and, when the explainer has them, the features
     * it was explained on (empty otherwise: the job featurizes the datapoint again when a sink
     * needs them).
     *
     * @return empty once {@link #cancel()} left this record (and the ones after it) unexplained
     * @throws InterruptedException when the waiting thread is interrupted
     * @throws IllegalStateException when explaining failed in a way that is not the record's fault
     *     (a bug, a lost cluster); the message names the cause
     */
    Optional<Dime.Outcome> next() throws InterruptedException;

    /** Starts no more records; records already being explained may still come back. */
    void cancel();

    /** Releases the threads or the remote work (cancelling what is left). */
    @Override
    void close();
  }

  /**
   * Starts explaining the request's records.
   *
   * @return their outcomes, in the request's order
   */
  Results start(Request request);

  /**
   * The default: the job's {@code threads} threads, at most a window of {@code 4 x threads} records
   * ahead of the one being delivered, so that the threads stay busy and memory stays bounded.
   */
  static RecordExplainer local() {
    return LocalRecordExplainer.INSTANCE;
  }
}
