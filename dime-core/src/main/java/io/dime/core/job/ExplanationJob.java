package io.dime.core.job;

import static java.util.Objects.requireNonNull;

import io.dime.api.Datapoint;
import io.dime.api.ExplainResult;
import io.dime.api.Explanation;
import io.dime.api.Provenance;
import io.dime.api.RecordError;
import io.dime.api.run.GlobalShares;
import io.dime.api.run.HiddenFeatureCheck;
import io.dime.api.run.JobResult;
import io.dime.api.run.RecordSource;
import io.dime.api.run.ResultSink;
import io.dime.api.run.RunSummary;
import io.dime.api.run.RunTimings;
import io.dime.api.run.SourceRecord;
import io.dime.core.Dime;
import io.dime.core.DimeBuilder;
import io.dime.core.Targets;
import io.dime.core.io.Json;
import io.dime.core.io.SummaryJson;
import io.dime.spi.FeatureSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One explanation job: every record of a {@link RecordSource} explained by a prepared engine, the
 * results handed in source order to {@link ResultSink}s, and a {@link RunSummary} at the end. The
 * job owns what a long run needs: a record that cannot be read or explained becomes an error result
 * naming it and the problem while the others go on; a {@link Checkpoint} lets a stopped job resume
 * (kept explanations are not explained again); progress goes to a {@link JobListener}; {@link
 * #cancel()} stops it between records. The command line's {@code dime explain}, {@code dime demo}
 * and {@code dime reproduce} all run through it.
 *
 * <pre>{@code
 * try (Dime dime = Dime.builder()...build();
 *     RecordSource source = JsonlManifest.open(manifest, modalities)) {
 *   ExplanationsFile out = new ExplanationsFile(dir.resolve(ExplanationsFile.NAME));
 *   JobOutcome outcome =
 *       ExplanationJob.builder(dime)
 *           .source(source)
 *           .checkpoint(out) // writes explanations.jsonl, resumes from it
 *           .sink(new SummaryFile(dir.resolve(SummaryFile.NAME)))
 *           .listener(progress)
 *           .build()
 *           .run();
 * }
 * }</pre>
 *
 * <p>Sinks see every result exactly as {@code explanations.jsonl} holds it: each result passes
 * through the JSON mapping ({@link Json#line}, {@link Json#readResult}) before it reaches them, and
 * the summary through {@code summary.json}'s, so that what is drawn from memory and what is read
 * back from the files is the same.
 *
 * <p>The job reads its source's records up front (to count them and match them with the checkpoint)
 * and keeps one output line per record. Its {@link RecordExplainer} explains the records this run
 * explains: by default on {@code threads} threads, a bounded window ahead of the record being
 * delivered; dime-spark's on a Spark cluster. Either way every record is explained by {@link
 * #explainRecord}, and the results reach the sinks in source order.
 */
public final class ExplanationJob {
  /** The default of {@link Builder#maxModelFailures}. */
  public static final int DEFAULT_MAX_MODEL_FAILURES = 10;

  /** Pool records for the hidden-feature check: 2 x k model rows each. */
  public static final int HIDDEN_BASELINE_RECORDS = 100;

  private final Dime engine;
  private final JobConfig config;
  private volatile boolean cancelled;

  private ExplanationJob(Dime engine, JobConfig config) {
    this.engine = engine;
    this.config = config;
  }

  /** A job for a prepared engine; set at least its {@link Builder#source source}. */
  public static Builder builder(Dime engine) {
    return new Builder(requireNonNull(engine, "engine is null"));
  }

  /**
   * Stops the job after the records in flight: it submits no more, delivers what is done, and
   * returns a cancelled outcome without a summary. Safe from any thread.
   */
  public void cancel() {
    cancelled = true;
  }

  /**
   * Runs the job.
   *
   * @throws IOException when the source cannot be read or a sink cannot write
   * @throws IllegalArgumentException when the checkpoint holds explanations made with other
   *     settings
   */
  public JobOutcome run() throws IOException {
    long started = config.startedNanos();
    Provenance provenance = engine.provenance();
    Map<String, KeptExplanation> kept =
        config.checkpoint() == null ? Map.of() : config.checkpoint().keep(provenance);
    JobPlan plan = JobPlan.of(readAll(config.source()), kept);
    List<ResultSink> sinks = new ArrayList<>();
    SummaryAccumulator summary = new SummaryAccumulator(engine.modalityNames());
    sinks.add(summary);
    sinks.addAll(config.sinks());
    try {
      if (config.checkpoint() != null) {
        config.checkpoint().begin(plan.known());
      }
      config
          .listener()
          .started(
              new JobStart(
                  plan.records().size(),
                  plan.records().size() - plan.unreadable(),
                  plan.unreadable(),
                  plan.resumed(),
                  plan.changed(),
                  plan.todo(),
                  config.threads(),
                  engine.passFormula(1) * provenance.replicates()));
      boolean features = sinks.stream().anyMatch(ResultSink::usesFeatures);
      RecordRunner runner =
          new RecordRunner(engine, config, plan, this::isCancelled, r -> deliver(sinks, r));
      double explainSeconds = runner.run(features);
      if (runner.cancelled()) {
        JobOutcome out =
            new JobOutcome(
                Optional.empty(),
                summary.explained(),
                summary.failed(),
                true,
                explainSeconds,
                Optional.ofNullable(runner.stopped()));
        config.listener().finished(out);
        return out;
      }
      for (KeptExplanation e : plan.stale()) {
        deliver(sinks, JobPlan.staleResult(e));
      }
      RunSummary s = summarise(summary, provenance, explainSeconds, started, plan.todo());
      for (ResultSink sink : sinks) {
        sink.finish(s);
      }
      JobOutcome out =
          new JobOutcome(
              Optional.of(s),
              summary.explained(),
              summary.failed(),
              false,
              explainSeconds,
              Optional.empty());
      config.listener().finished(out);
      return out;
    } finally {
      closeAll(sinks);
    }
  }

  private boolean isCancelled() {
    return cancelled || Thread.currentThread().isInterrupted();
  }

  /**
   * The source's records; of a {@link RereadableSource}, without their values ({@link
   * RereadableSource#light}), which are read again when a record is explained or delivered.
   */
  private static List<SourceRecord> readAll(RecordSource source) throws IOException {
    List<SourceRecord> out = new ArrayList<>();
    boolean light = source instanceof RereadableSource;
    for (Optional<SourceRecord> r = source.next(); r.isPresent(); r = source.next()) {
      out.add(light ? RereadableSource.light(r.get()) : r.get());
    }
    return out;
  }

  private static void deliver(List<ResultSink> sinks, JobResult r) {
    try {
      for (ResultSink sink : sinks) {
        sink.accept(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void closeAll(List<ResultSink> sinks) throws IOException {
    IOException first = null;
    for (ResultSink sink : sinks) {
      try {
        sink.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private RunSummary summarise(
      SummaryAccumulator acc,
      Provenance provenance,
      double explainSeconds,
      long started,
      int explainedThisRun)
      throws IOException {
    GlobalShares global = GlobalShares.failed(0, "not run");
    HiddenFeatureCheck hidden = HiddenFeatureCheck.failed("not run");
    if (config.globalChecks()) {
      int grid = globalGrid(config.poolSize(), engine.modalityCount(), engine.outputNames().size());
      try {
        global = engine.globalAnalysis(grid);
      } catch (RuntimeException e) {
        global = GlobalShares.failed(grid, String.valueOf(e.getMessage()));
      }
      try {
        hidden = HiddenFeatureCheck.of(engine.hiddenBaseline(HIDDEN_BASELINE_RECORDS));
      } catch (RuntimeException e) {
        hidden = HiddenFeatureCheck.failed(String.valueOf(e.getMessage()));
      }
    }
    List<String> notes = new ArrayList<>(config.notes());
    ReferenceNote.of(provenance.estimator(), config.poolSize()).ifPresent(notes::add);
    RunSummary s =
        new RunSummary(
            Explanation.SCHEMA_VERSION,
            acc.counts(config.poolSize(), config.poolSkipped()),
            acc.passes(engine.passFormula(), engine.preparationRows()),
            global,
            hidden,
            acc.dominance(),
            notes,
            provenance,
            new RunTimings(
                (System.nanoTime() - started) / 1e9,
                explainSeconds,
                explainedThisRun == 0
                    ? OptionalDouble.empty()
                    : OptionalDouble.of(explainSeconds / explainedThisRun),
                acc.latency()));
    // The summary as summary.json holds it.
    return SummaryJson.read(SummaryJson.write(s));
  }

  /**
   * Explains datapoints built in code on {@code threads} threads and hands each result to {@code
   * results} in input order: a job with an in-memory source, one sink, and no summary checks. The
   * results are the engine's own, not passed through the JSON mapping (nothing is written): the
   * same numbers and the same JSON line as the written path's (the mapping keeps every double
   * exactly; only Java types inside provenance maps may differ, a Long where a line read back gives
   * an Integer), without the cost of a round trip per datapoint.
   *
   * @return the number of datapoints that failed
   */
  public static int explainAll(
      Dime engine,
      List<Datapoint> datapoints,
      Targets targets,
      int threads,
      java.util.function.Consumer<ExplainResult> results) {
    return explainAll(engine, datapoints, targets, threads, results, false);
  }

  /**
   * {@link #explainAll(Dime, List, Targets, int, java.util.function.Consumer)}, with each result
   * passed through the JSON mapping as a written job's are when {@code asWritten} (what a dry run
   * times: the same work per datapoint as {@code dime explain}).
   *
   * @return the number of datapoints that failed
   */
  public static int explainAll(
      Dime engine,
      List<Datapoint> datapoints,
      Targets targets,
      int threads,
      java.util.function.Consumer<ExplainResult> results,
      boolean asWritten) {
    List<SourceRecord> records = new ArrayList<>();
    for (Datapoint dp : datapoints) {
      records.add(SourceRecord.of(0, dp));
    }
    try {
      return builder(engine)
          .source(RecordSource.of("datapoints", records))
          .targets(targets)
          .threads(Math.max(1, threads))
          .sink(r -> results.accept(r.result()))
          .globalChecks(false)
          .explainer(asWritten ? LocalRecordExplainer.INSTANCE : LocalRecordExplainer.IN_MEMORY)
          .build()
          .run()
          .failed();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an in-memory source and sink do no I/O
    }
  }

  /** The most cells of the global analysis's grid: n^k model passes. */
  public static final long GLOBAL_GRID_CELLS = 1_000_000L;

  /** The most values the global analysis's grid holds: cells x outputs (8 bytes each, twice). */
  public static final long GLOBAL_GRID_VALUES = 10_000_000L;

  /**
   * References per modality of the global analysis (a grid of n^k passes): 50 for two modalities,
   * 20 for three, 10 for more, fewer where n^k would pass {@link #GLOBAL_GRID_CELLS} (seven
   * modalities and more) or n^k times the model's outputs {@link #GLOBAL_GRID_VALUES} (a model of
   * 1000 classes), and never below 2 (a grid the analysis then refuses, with a message, when even
   * 2^k is too large).
   *
   * @param poolCount the pool's datapoints
   * @param k modalities
   * @param outputs the model's outputs (classes or targets)
   */
  public static int globalGrid(int poolCount, int k, int outputs) {
    int n = Math.min(poolCount, k == 2 ? 50 : k == 3 ? 20 : 10);
    while (n > 2
        && (cells(n, k) > GLOBAL_GRID_CELLS
            || cells(n, k) > GLOBAL_GRID_VALUES / Math.max(1, outputs))) {
      n--;
    }
    return n;
  }

  /** n^k, saturating at Long.MAX_VALUE. */
  private static long cells(int n, int k) {
    long c = 1;
    for (int j = 0; j < k && c < Long.MAX_VALUE; j++) {
      c = c > Long.MAX_VALUE / n ? Long.MAX_VALUE : c * n;
    }
    return c;
  }

  /**
   * Explains one record as every job does it, whichever {@link RecordExplainer} runs it: bad input
   * and model failures become the record's error at its manifest line, an explanation carries the
   * digest of the record's inputs (when its source gave one), and the result passes through the
   * JSON mapping, as the output holds it. Thread-safe.
   *
   * @param record a readable record
   * @return the result and the features each modality was explained on (empty for an error)
   */
  public static Dime.Outcome explainRecord(Dime engine, SourceRecord record, Targets targets) {
    return explainRecord(engine, record, targets, true);
  }

  /** {@link #explainRecord}, through the JSON mapping only when {@code asWritten}. */
  static Dime.Outcome explainRecord(
      Dime engine, SourceRecord record, Targets targets, boolean asWritten) {
    Datapoint dp =
        record
            .datapoint()
            .orElseThrow(
                () -> new IllegalArgumentException("an unreadable record is not explained"));
    Dime.Outcome o = engine.explainOrErrorWithFeatures(dp, targets);
    ExplainResult r = withDigest(atLine(o.result(), record.line()), record);
    return new Dime.Outcome(asWritten ? normalised(r) : r, o.features());
  }

  /** An explanation with the digest of its record's inputs, when the source gave one. */
  private static ExplainResult withDigest(ExplainResult result, SourceRecord r) {
    if (result instanceof Explanation e && r.inputDigest().isPresent()) {
      return e.withProvenance(e.provenance().withInputDigest(r.inputDigest().get()));
    }
    return result;
  }

  /** A result as the output holds it: through the JSON mapping and back. */
  private static ExplainResult normalised(ExplainResult r) {
    try {
      String line = Json.line(r);
      return r instanceof Explanation ? Json.readExplanation(line) : Json.readResult(line);
    } catch (IOException e) {
      throw new IllegalStateException("a result does not read back from its own JSON", e);
    }
  }

  /** The features of a kept explanation's datapoint, as it was explained on; empty on failure. */
  static Map<String, FeatureSet<?>> features(Dime engine, Datapoint dp) {
    Map<String, FeatureSet<?>> out = new LinkedHashMap<>();
    try {
      for (String m : engine.modalityNames()) {
        out.put(m, engine.features(dp, m));
      }
      return out;
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  /** The error of a record whose explanation failed, at the record's manifest line. */
  private static ExplainResult atLine(ExplainResult r, int line) {
    return r instanceof RecordError e ? e.atLine(line) : r;
  }

  /** Configures a job. Not thread-safe. */
  public static final class Builder {
    private final Dime engine;
    private RecordSource source;
    private Targets targets = Targets.predictedAndLabel();
    private int threads =
        Math.min(Runtime.getRuntime().availableProcessors(), DimeBuilder.MAX_THREADS);
    private RecordExplainer explainer = RecordExplainer.local();
    private final List<ResultSink> sinks = new ArrayList<>();
    private Checkpoint checkpoint;
    private JobListener listener = JobListener.NONE;
    private int poolSize = -1;
    private int poolSkipped;
    private String poolDescription;
    private boolean globalChecks = true;
    private long startedNanos = System.nanoTime();
    private int maxModelFailures = DEFAULT_MAX_MODEL_FAILURES;

    private Builder(Dime engine) {
      this.engine = engine;
    }

    /** Where the records come from (required). */
    public Builder source(RecordSource s) {
      this.source = requireNonNull(s, "source is null");
      return this;
    }

    /** Which classes to explain per datapoint (default: the predicted class and the label's). */
    public Builder targets(Targets t) {
      this.targets = requireNonNull(t, "targets is null");
      return this;
    }

    /**
     * Datapoints explained at once, 1 to {@link DimeBuilder#MAX_THREADS} (default: the available
     * processors, at most that).
     */
    public Builder threads(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("threads must be at least 1, found " + n);
      }
      DimeBuilder.atMostMaxThreads("threads", n);
      this.threads = n;
      return this;
    }

    /**
     * What explains the records this run explains (default {@link RecordExplainer#local()}, on
     * {@link #threads} threads).
     */
    public Builder explainer(RecordExplainer e) {
      this.explainer = requireNonNull(e, "explainer is null");
      return this;
    }

    /** Where results go; sinks are called in the order added. */
    public Builder sink(ResultSink s) {
      sinks.add(requireNonNull(s, "sink is null"));
      return this;
    }

    /**
     * Where the job keeps what it has done and resumes from; an {@link ExplanationsFile} is also
     * added as the first sink, so it writes the explanations.
     */
    public Builder checkpoint(Checkpoint c) {
      this.checkpoint = requireNonNull(c, "checkpoint is null");
      if (c instanceof ResultSink s && !sinks.contains(s)) {
        sinks.add(0, s);
      }
      return this;
    }

    /** Follows the job's progress. */
    public Builder listener(JobListener l) {
      this.listener = requireNonNull(l, "listener is null");
      return this;
    }

    /**
     * The reference pool as the summary describes it.
     *
     * @param size datapoints in the pool
     * @param skipped pool records left out (unreadable, or encoded unlike the rest)
     * @param description where it comes from ("pool.jsonl", "the data file")
     */
    public Builder pool(int size, int skipped, String description) {
      this.poolSize = size;
      this.poolSkipped = skipped;
      this.poolDescription = requireNonNull(description, "description is null");
      return this;
    }

    /**
     * Whether the summary runs the global analysis and the hidden-feature check over the pool
     * (default true; they cost n^k and 2 k 100 model rows).
     */
    public Builder globalChecks(boolean on) {
      this.globalChecks = on;
      return this;
    }

    /**
     * Stops the job (exit code 3, {@link JobOutcome#stopped()}) once the model has failed on this
     * many records in a row (default {@value #DEFAULT_MAX_MODEL_FAILURES}; 0: never): a model or
     * server that is down gives one clear reason instead of the same error for every record left,
     * and a rerun resumes.
     */
    public Builder maxModelFailures(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("maxModelFailures must be >= 0, found " + n);
      }
      this.maxModelFailures = n;
      return this;
    }

    /** When the run started ({@link System#nanoTime()}), for the summary's total time. */
    public Builder startedAt(long nanoTime) {
      this.startedNanos = nanoTime;
      return this;
    }

    /**
     * The caution for a pool under {@link #SMALL_POOL} datapoints, or null: its averages stand for
     * the data only as far as those few do, which no error bar measures.
     *
     * @since 0.3
     */
    public static String smallPool(int size) {
      if (size < 1 || size >= SMALL_POOL) {
        return null;
      }
      return "The reference pool has only "
          + size
          + (size == 1
              ? " datapoint: UC and MI are averages over it"
              : " datapoints: UC and MI are averages over these")
          + " alone, and their error bars measure only the draws from "
          + (size == 1 ? "it, not how well it stands" : "them, not how well they stand")
          + " for the data (use 100 or more).";
    }

    /** Pools below this many datapoints are cautioned of (the README asks for 100 or more). */
    public static final int SMALL_POOL = 30;

    public ExplanationJob build() {
      if (source == null) {
        throw new IllegalStateException("no record source: set one with source(...)");
      }
      if (poolSize < 0) {
        pool(engine.provenance().pool().size(), 0, "the engine's reference pool");
      }
      List<String> notes = new java.util.ArrayList<>();
      notes.add(
          "Expectations are taken over a reference pool of "
              + poolSize
              + (poolSize == 1 ? " datapoint (" : " datapoints (")
              + poolDescription
              + "); pairing one datapoint's modality with other datapoints' modalities makes"
              + " inputs that may lie off the data manifold, so UC and MI also describe the"
              + " model on such mixed inputs.");
      String small = smallPool(poolSize);
      if (small != null) {
        notes.add(small);
      }
      return new ExplanationJob(
          engine,
          new JobConfig(
              source,
              targets,
              threads,
              explainer,
              List.copyOf(sinks),
              checkpoint,
              listener,
              poolSize,
              poolSkipped,
              notes,
              globalChecks,
              startedNanos,
              maxModelFailures));
    }
  }
}
