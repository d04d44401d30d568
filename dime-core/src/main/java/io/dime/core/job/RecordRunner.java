package io.dime.core.job;

import io.dime.api.Datapoint;
import io.dime.api.ExplainResult;
import io.dime.api.Explanation;
import io.dime.api.run.JobResult;
import io.dime.api.run.SourceRecord;
import io.dime.core.Dime;
import io.dime.spi.FeatureSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Delivers every record's result in source order: unreadable and kept records as they are, the
 * others as the job's {@link RecordExplainer} returns them, with progress for each.
 */
final class RecordRunner {
  private final Dime engine;
  private final JobConfig config;
  private final JobPlan plan;
  private final BooleanSupplier cancelRequested;
  private final Consumer<JobResult> deliver;
  private boolean cancelled;
  private String stopped;
  private int modelFailuresInARow;
  private String lastModelError;
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

  // whether the stop reason is to name the pool datapoints the model fails on by themselves
  private boolean diagnose;

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
    List<RecordExplainer.Work> work = new ArrayList<>();
    for (int i = 0; i < plan.records().size(); i++) {
      if (plan.explainsNow(i)) {
        work.add(new RecordExplainer.Work(i, plan.records().get(i)));
      }
    }
    t0 = System.nanoTime();
    RecordExplainer.Request request =
        new RecordExplainer.Request(
            engine, work, config.targets(), config.threads(), this::readForExplaining);
    try (RecordExplainer.Results results = config.explainer().start(request)) {
      for (int i = 0; i < plan.records().size(); i++) {
        if (stopping()) {
          results.cancel();
        }
        SourceRecord r = plan.records().get(i);
        if (!r.readable()) {
          deliver.accept(JobPlan.unreadable(r));
        } else if (!plan.explainsNow(i)) {
          SourceRecord full = RereadableSource.full(config.source(), r);
          if (!full.readable()) {
            // its inputs are no longer those the kept explanation was made of: as any record that
            // changed while the job ran, it fails naming itself, and a rerun explains it anew;
            // the listener is told, as of a record explained in this run that fails
            JobResult failed = JobPlan.unreadable(full);
            deliver.accept(failed);
            config.listener().unreadable(failed);
            continue;
          }
          JobResult kept = plan.kept(i);
          Optional<Datapoint> dp = full.datapoint();
          deliver.accept(
              new JobResult(
                  kept.status(),
                  kept.line(),
                  kept.result(),
                  dp,
                  withFeatures && !dp.get().values().isEmpty()
                      ? ExplanationJob.features(engine, dp.get())
                      : Map.of()));
        } else if (!deliverExplained(i, r, next(results))) {
          break;
        }
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (diagnose) {
      stopped += poolDiagnosis();
    }
    return seconds;
  }

  /**
   * Where the job holds records without their values ({@link RereadableSource#light}): each
   * record's values as read again for its explanation, until it is delivered (at most the records
   * in flight).
   */
  private final Map<SourceRecord, SourceRecord> readAgain =
      java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

  /** {@link RecordExplainer.Request#reread}: read once, kept for the delivery. */
  private SourceRecord readForExplaining(SourceRecord r) {
    SourceRecord full = RereadableSource.full(config.source(), r);
    if (full != r) {
      readAgain.put(r, full);
    }
    return full;
  }

  /**
   * A readable record's datapoint with its values for the sinks: as read for its explanation, or
   * read again now; the record's light datapoint (no values) when its inputs changed since the job
   * read them.
   */
  private Optional<Datapoint> values(SourceRecord r) {
    SourceRecord full = readAgain.remove(r);
    if (full == null) {
      full = RereadableSource.full(config.source(), r);
    }
    return full.readable() ? full.datapoint() : r.datapoint();
  }

  private boolean stopping() {
    if (!cancelled && cancelRequested.getAsBoolean()) {
      cancelled = true;
    }
    return cancelled;
  }

  private Optional<Dime.Outcome> next(RecordExplainer.Results results) {
    try {
      Optional<Dime.Outcome> o = results.next();
      if (o.isEmpty()) {
        cancelled = true;
      }
      return o;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancelled = true;
      return Optional.empty(); // the job stops
    }
  }

  /** Delivers record i's outcome; false when there is none (the job stops). */
  private boolean deliverExplained(int index, SourceRecord r, Optional<Dime.Outcome> outcome) {
    if (outcome.isEmpty()) {
      return false;
    }
    ExplainResult result = outcome.get().result();
    Map<String, FeatureSet<?>> features = outcome.get().features();
    Optional<Datapoint> dp = values(r);
    if (this.features
        && features.isEmpty()
        && result instanceof Explanation
        && !dp.get().values().isEmpty()) {
      // explained elsewhere: the features are the same when drawn again here
      features = ExplanationJob.features(engine, dp.get());
    }
    deliver.accept(new JobResult(JobResult.Status.EXPLAINED, r.line(), result, dp, features));
    countModelFailures(result);
    done++;
    double elapsed = (System.nanoTime() - t0) / 1e9;
    double rate = done / Math.max(elapsed, 1e-9);
    config
        .listener()
        .explained(
            new JobProgress(
                index,
                r.line(),
                result,
                done,
                plan.todo(),
                elapsed,
                rate,
                (plan.todo() - done) / rate));
    return true;
  }

  /**
   * When the model fails on reference pool datapoints by themselves, which makes every explanation
   * fail (each one mixes its record with pool datapoints): which, to leave out of the pool. When
   * the first pool datapoints fail the way the records did, or the model does not answer for them
   * either, the model (or its server) fails whatever the input: that is said instead, and the pool
   * is not blamed. The check is bounded ({@link Dime#poolFailures}): a dead or stalled server
   * cannot hold the stopped job for one call per pool datapoint.
   */
  private String poolDiagnosis() {
    Dime.PoolFailures found = engine.poolFailures(POOL_DIAGNOSIS_LIMIT, POOL_DIAGNOSIS_TIME);
    java.util.Map<String, String> bad = found.failed();
    long seconds = POOL_DIAGNOSIS_TIME.toSeconds();
    if (found.allLike(lastModelError) || found.allAlike()) {
      return ". The model fails on the first "
          + found.tried()
          + " reference pool datapoint(s) by themselves too ("
          + quoted(bad.keySet())
          + (found.allLike(lastModelError)
              ? ", with the same error"
              : ", each with: " + bad.values().iterator().next())
          + "): the model (or its server) fails whatever the input, not on particular"
          + " datapoints";
    }
    if (bad.isEmpty()) {
      return found.timedOut() && found.tried() == 0
          ? ". The model gave no answer for the first reference pool datapoint by itself either,"
              + " within the "
              + seconds
              + " s given to that check: the model (or its server) fails whatever the input, not"
              + " on particular datapoints"
          : "";
    }
    StringBuilder b =
        new StringBuilder(
            ". The model also fails on "
                + bad.size()
                + " reference pool datapoint(s) by themselves, and every explanation mixes its"
                + " record with pool datapoints: leave them out of the pool (--pool) or fix them: ");
    int n = 0;
    for (java.util.Map.Entry<String, String> e : bad.entrySet()) {
      if (n++ == 5) {
        b.append(", ...");
        break;
      }
      b.append(n > 1 ? ", " : "")
          .append('\'')
          .append(e.getKey())
          .append("' (")
          .append(e.getValue());
      b.append(')');
    }
    if (found.tried() < found.size()) {
      b.append(" (the check tried the first ")
          .append(found.tried())
          .append(" of the pool's ")
          .append(found.size())
          .append(" datapoints")
          .append(found.timedOut() ? ", in the " + seconds + " s it may take)" : ")");
    }
    return b.toString();
  }

  private static String quoted(java.util.Collection<String> ids) {
    StringBuilder b = new StringBuilder();
    for (String id : ids) {
      b.append(b.length() > 0 ? ", " : "").append('\'').append(id).append('\'');
    }
    return b.toString();
  }

  /** At most this many pool datapoints are run alone when diagnosing a stopped run. */
  private static final int POOL_DIAGNOSIS_LIMIT = 5000;

  /** The most time that diagnosis may take, model calls included. */
  private static final java.time.Duration POOL_DIAGNOSIS_TIME = java.time.Duration.ofSeconds(10);

  /**
   * Stops the run when the model has failed on {@code maxModelFailures} records in a row: one clear
   * reason instead of the same error for every record left (a rerun resumes). Whatever the
   * explainer, the results are counted here in source order, so the job stops at the same record.
   */
  private void countModelFailures(ExplainResult result) {
    if (result instanceof io.dime.api.RecordError e && e.stage().equals("model")) {
      modelFailuresInARow++;
      lastModelError = e.message();
      int max = config.maxModelFailures();
      if (max > 0 && modelFailuresInARow >= max && stopped == null) {
        stopped =
            "the model failed on "
                + modelFailuresInARow
                + " records in a row (the last: "
                + e.message()
                + ")";
        diagnose = true; // once the records in flight are cancelled (run's end)
        cancelled = true;
      }
    } else {
      modelFailuresInARow = 0;
    }
  }
}
