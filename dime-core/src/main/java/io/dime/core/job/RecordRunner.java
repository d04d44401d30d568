package io.dime.core.job;

import io.dime.api.ExplainResult;
import io.dime.api.run.JobResult;
import io.dime.api.run.SourceRecord;
import io.dime.core.Dime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Explains a job's records on its threads and delivers every record's result in source order: a
 * record is submitted as soon as it is reached, at most a window of records ahead of the one being
 * delivered, so the threads stay busy while results keep their order and memory stays bounded.
 */
final class RecordRunner {
  /** A record on its way: its position and, when it is explained now, its explanation. */
  private record Pending(int index, Future<Dime.Outcome> future) {}

  private final Dime engine;
  private final JobConfig config;
  private final JobPlan plan;
  private final BooleanSupplier cancelRequested;
  private final Consumer<JobResult> deliver;
  private final Deque<Pending> window = new ArrayDeque<>();
  private boolean cancelled;
  private String stopped;
  private int modelFailuresInARow;
  private boolean features;
  private long t0;
  private int done;

  RecordRunner(
      Dime engine,
      JobConfig config,
      JobPlan plan,
      BooleanSupplier cancelRequested,
      Consumer<JobResult> deliver) {
    this.engine = engine;
    this.config = config;
    this.plan = plan;
    this.cancelRequested = cancelRequested;
    this.deliver = deliver;
  }

  /** Whether the run stopped before its last record. */
  boolean cancelled() {
    return cancelled;
  }

  /** Why the run stopped itself (too many model failures in a row), or null. */
  String stopped() {
    return stopped;
  }

  /**
   * Explains and delivers every record.
   *
   * @param withFeatures whether kept records are featurized for the sinks
   * @return the wall time of the explanation phase in seconds
   */
  double run(boolean withFeatures) {
    this.features = withFeatures;
    int limit = Math.max(4, 4 * config.threads());
    ExecutorService exec = Executors.newFixedThreadPool(config.threads());
    t0 = System.nanoTime();
    try {
      for (int i = 0; i < plan.records().size() && !stopping(); i++) {
        Future<Dime.Outcome> f = null;
        if (plan.explainsNow(i)) {
          SourceRecord r = plan.records().get(i);
          f =
              exec.submit(
                  () -> engine.explainOrErrorWithFeatures(r.datapoint().get(), config.targets()));
        }
        window.add(new Pending(i, f));
        while (window.size() > limit && !stopping()) {
          deliverHead();
        }
      }
      while (!window.isEmpty()) {
        Pending head = window.peek();
        if (stopping() && head.future() != null && head.future().cancel(false)) {
          window.poll(); // not started: left for a rerun
        } else {
          deliverHead();
        }
      }
    } finally {
      exec.shutdownNow();
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private boolean stopping() {
    if (!cancelled && cancelRequested.getAsBoolean()) {
      cancelled = true;
    }
    return cancelled;
  }

  private void deliverHead() {
    Pending p = window.poll();
    SourceRecord r = plan.records().get(p.index());
    if (!r.readable()) {
      deliver.accept(JobPlan.unreadable(r));
      return;
    }
    if (p.future() == null) {
      deliver.accept(
          new JobResult(
              JobResult.Status.RESUMED,
              r.line(),
              plan.keptByRecord().get(p.index()),
              r.datapoint(),
              features ? ExplanationJob.features(engine, r.datapoint().get()) : Map.of()));
      return;
    }
    Dime.Outcome o = outcome(p.future());
    if (o == null) {
      return; // interrupted: the job stops
    }
    ExplainResult result =
        ExplanationJob.normalised(withDigest(ExplanationJob.atLine(o.result(), r.line()), r));
    deliver.accept(
        new JobResult(JobResult.Status.EXPLAINED, r.line(), result, r.datapoint(), o.features()));
    countModelFailures(result);
    done++;
    double elapsed = (System.nanoTime() - t0) / 1e9;
    double rate = done / Math.max(elapsed, 1e-9);
    config
        .listener()
        .explained(
            new JobProgress(
                p.index(),
                r.line(),
                result,
                done,
                plan.todo(),
                elapsed,
                rate,
                (plan.todo() - done) / rate));
  }

  /**
   * Stops the run when the model has failed on {@code maxModelFailures} records in a row: one clear
   * reason instead of the same error for every record left (a rerun resumes).
   */
  private void countModelFailures(ExplainResult result) {
    if (result instanceof io.dime.api.RecordError e && e.stage().equals("model")) {
      modelFailuresInARow++;
      int max = config.maxModelFailures();
      if (max > 0 && modelFailuresInARow >= max && stopped == null) {
        stopped =
            "the model failed on "
                + modelFailuresInARow
                + " records in a row (the last: "
                + e.message()
                + ")";
        cancelled = true;
      }
    } else {
      modelFailuresInARow = 0;
    }
  }

  /** An explanation with the digest of its record's inputs, when the source gave one. */
  private static ExplainResult withDigest(ExplainResult result, SourceRecord r) {
    if (result instanceof io.dime.api.Explanation e && r.inputDigest().isPresent()) {
      return e.withProvenance(e.provenance().withInputDigest(r.inputDigest().get()));
    }
    return result;
  }

  private Dime.Outcome outcome(Future<Dime.Outcome> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancelled = true;
      return null;
    } catch (ExecutionException e) {
      // explainOrError turns bad input and model failures into errors; anything else is a bug
      throw new IllegalStateException(e.getCause());
    }
  }
}
