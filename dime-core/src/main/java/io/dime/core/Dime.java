package io.dime.core;

import io.dime.api.Datapoint;
import io.dime.api.ExplainResult;
import io.dime.api.Explanation;
import io.dime.api.InputException;
import io.dime.api.LimitException;
import io.dime.api.ModelException;
import io.dime.api.Provenance;
import io.dime.api.RecordError;
import io.dime.api.SurrogateFit;
import io.dime.api.run.GlobalShares;
import io.dime.api.run.HiddenModality;
import io.dime.core.infer.OutputTransform;
import io.dime.core.random.Seeds;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The DIME engine: splits a multimodal model's output into functional-ANOVA terms (unimodal
 * contributions and interactions, k modalities) and explains each term on every modality's features
 * with a local surrogate.
 *
 * <pre>{@code
 * try (Dime dime = Dime.builder() // closing it stops its model thread
 *     .modality(vectorModality1).modality(vectorModality2)
 *     .model(model).referencePool(pool)
 *     .estimator(Estimators.sampled(50)).surrogate(Lime.defaults())
 *     .samples(1000).seed(42).batchSize(256)
 *     .faithfulness(10, 100) // deletion/insertion curves, held-out R^2 (the default)
 *     .build()) {
 *   Explanation e = dime.explain(datapoint, Targets.predictedAndLabel());
 * }
 * }</pre>
 *
 * <p>Thread-safe once built: several datapoints may be explained at once, with identical results
 * whatever the thread count ({@link io.dime.core.job.ExplanationJob} does so for a data set).
 */
public final class Dime implements AutoCloseable {
  /** One explanation (or error) and the features each modality was explained on. */
  public record Outcome(ExplainResult result, Map<String, FeatureSet<?>> features) {}

  private final EngineConfig c;
  private final EnginePool pool;
  private final ExecutorService modelExecutor;
  private volatile boolean closed;
  private volatile Prepared prepared;

  /** What {@link #prepare()} settles once: the transform and the parts that depend on it. */
  private record Prepared(
      Preparation prep, Provenance provenance, PointExplainer explainer, GlobalChecks checks) {}

  Dime(EngineConfig c) {
    this.c = c;
    this.pool = new EnginePool(c);
    c.estimator.poolSize(pool.pool.size());
    // settings that fail every record are refused here, before any model call (as they are
    // again when the engine prepares)
    c.estimator.checkModalities(c.k);
    c.estimator.checkBudget(new PassFormula(c, new FitTargets(c)).perPoint(1));
    this.modelExecutor =
        c.pipelined
            ? Executors.newFixedThreadPool(
                c.inferenceThreads,
                r -> {
                  Thread t = new Thread(r, "dime-model");
                  t.setDaemon(true);
                  return t;
                })
            : null;
    if (modelExecutor != null) {
      // a Dime dropped without close() (a server building one per request) must not keep its
      // model thread for the life of the JVM: the thread ends once the Dime is collected
      CLEANER.register(this, modelExecutor::shutdownNow);
    }
  }

  /** Ends the model threads of engines collected without {@link #close()}. */
  private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

  /** A builder with the defaults (see {@link DimeBuilder}). */
  public static DimeBuilder builder() {
    return new DimeBuilder();
  }

  /**
   * Stops the model thread. Explaining afterwards throws {@link IllegalStateException}, and so does
   * an explanation still running when it closes; closing twice does nothing. An engine that is
   * never closed stops its model thread when it is garbage collected, which may be much later:
   * close it (try-with-resources) when it is done.
   */
  @Override
  public void close() {
    closed = true;
    if (modelExecutor != null) {
      modelExecutor.shutdownNow();
    }
  }

  private Prepared prepare() {
    Prepared p = prepared;
    if (p != null) {
      return p;
    }
    synchronized (this) {
      if (prepared == null) {
        Preparation prep = Preparation.of(c, pool, new PassFormula(c, new FitTargets(c)));
        Provenance prov = EngineProvenance.of(c, pool, prep);
        PointExplainer explainer = new PointExplainer(c, pool, prep, modelExecutor, () -> prov);
        prepared = new Prepared(prep, prov, explainer, new GlobalChecks(c, pool, prep));
      }
      return prepared;
    }
  }

  /**
   * How this engine turns a model output row into the scores it explains (logarithm for
   * probabilities, centring for classifiers by default); decided once per run, before the first
   * explanation.
   */
  public OutputTransform scoreTransform() {
    return prepare().prep().transform();
  }

  /**
   * What {@link #poolFailures} found: the reference pool datapoints the model failed on by
   * themselves, and how far the check went.
   *
   * @param failed pool id to the model's error, in pool order
   * @param tried the pool datapoints run, from the first
   * @param size the pool's datapoints
   * @param timedOut whether the check's time ran out (a call then unanswered is not counted)
   * @since 0.3
   */
  public record PoolFailures(Map<String, String> failed, int tried, int size, boolean timedOut) {
    public PoolFailures {
      failed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(failed));
    }

    /**
     * Whether the model failed on every datapoint tried (at least one) the way {@code message}
     * says, numbers aside (a port, a count of seconds): then it fails whatever its input, and the
     * pool is not to blame.
     */
    public boolean allLike(String message) {
      if (tried == 0 || failed.size() != tried) {
        return false;
      }
      String kind = failureKind(message);
      for (String m : failed.values()) {
        if (!failureKind(m).equals(kind)) {
          return false;
        }
      }
      return true;
    }

    /**
     * Whether the check ended early because its first datapoints all failed the same way (numbers
     * aside).
     */
    public boolean allAlike() {
      return tried >= POOL_FAILURES_ALIKE
          && failed.size() == tried
          && allLike(failed.values().iterator().next());
    }
  }

  /** The datapoints whose failures, all alike, end {@link #poolFailures} early. */
  static final int POOL_FAILURES_ALIKE = 3;

  /** A failure's message without its numbers (ports, times, counts), to tell failures apart. */
  static String failureKind(String message) {
    return message == null ? "" : message.replaceAll("[0-9]+(\\.[0-9]+)?", "#");
  }

  /**
   * The reference pool's datapoints on which the model, given each datapoint's own values, fails or
   * returns a value that is not finite, with the reason: a diagnosis for a run in which every
   * record fails, since every explanation mixes the record with pool datapoints. One model call per
   * pool datapoint, over at most the first {@code limit}, and bounded: the check stops once the
   * first three datapoints have all failed the same way (numbers in the messages aside: the model
   * or its server then fails whatever the input, and one call per datapoint would repeat it), and
   * when {@code timeLimit} has passed, interrupting a call still running then (a stalled server, or
   * one retried with waits between attempts, cannot hold the caller).
   *
   * @return the datapoints the model fails on, in pool order, and how many were tried
   * @since 0.3
   */
  public PoolFailures poolFailures(int limit, java.time.Duration timeLimit) {
    Map<String, String> failed = new LinkedHashMap<>();
    int n = Math.min(limit, pool.pool.size());
    long deadline = System.nanoTime() + timeLimit.toNanos();
    io.dime.core.infer.BatchRunner runner =
        new io.dime.core.infer.BatchRunner(
                c.model, 1, new OutputTransform(false, false, c.model.outputNames()))
            .deadline(deadline, timeLimit.toMillis() / 1000.0);
    int tried = 0;
    boolean timedOut = false;
    try {
      for (int i = 0; i < n; i++) {
        if (System.nanoTime() >= deadline) {
          timedOut = true;
          break;
        }
        try {
          runner.add(pool.row(i), y -> {});
          runner.flush();
        } catch (RuntimeException e) {
          if (System.nanoTime() >= deadline) {
            timedOut = true; // interrupted at the limit: no answer is not this datapoint's fault
            break;
          }
          failed.put(pool.pool.ids().get(i), e.getMessage());
        }
        tried++;
        if (tried == POOL_FAILURES_ALIKE && new PoolFailures(failed, tried, n, false).allAlike()) {
          break;
        }
      }
    } finally {
      runner.close();
    }
    return new PoolFailures(failed, tried, pool.pool.size(), timedOut);
  }

  /** Modality names in pipeline order. */
  public List<String> modalityNames() {
    return c.names;
  }

  /** The model's output (class) names, in output order. */
  public List<String> outputNames() {
    return c.model.outputNames();
  }

  /** The number of modalities k. */
  public int modalityCount() {
    return c.k;
  }

  /**
   * The most bytes of encoded model inputs one model batch of this engine holds, as {@link
   * io.dime.core.infer.BatchBytes#forPoints} set it from {@link DimeBuilder#pointsAtOnce}: a batch
   * of rows of many bytes is cut to fit it.
   */
  public long batchBytes() {
    return c.batchBytes;
  }

  /** Model rows spent preparing (e.g. the paper-faithful table), once per run. */
  public long preparationRows() {
    return prepare().prep().rows();
  }

  /** The forward passes one datapoint needs with one explained class: {@code passFormula(1)}. */
  public long passFormula() {
    return passFormula(1);
  }

  /**
   * The forward passes one datapoint needs by the estimator's formula (DESIGN.md section 4), when
   * every surrogate draws the requested number of samples and every modality has at least {@code
   * steps} features; each explanation reports its own formula value.
   *
   * <p>Per modality m, every mask costs the estimator's rows per sample r_m, and the masks are the
   * S fitted samples, plus, with {@link DimeBuilder#faithfulness faithfulness} on, H held-out masks
   * and 2 (T + 1) curve masks (a deletion and an insertion curve of T + 1 points) for each of the
   * F_m fits of each explained class:
   *
   * <pre>
   * 1 + pointRows + sum over m of (S + H + classes * F_m * 2 (T + 1)) * r_m
   * </pre>
   *
   * with T = min(d_m, steps) (0 curve masks when steps is 0). Curve masks shared by several fits or
   * classes (always the two end points) are evaluated once and count as cached rows.
   *
   * @param classes the number of explained classes (1 for the predicted class)
   */
  public long passFormula(int classes) {
    return new PassFormula(c, new FitTargets(c)).perPoint(classes);
  }

  /**
   * Explains one datapoint.
   *
   * @throws InputException for a bad value, naming the record
   * @throws ModelException when the model fails or returns NaN or the wrong shape
   */
  public Explanation explain(Datapoint dp, Targets targets) {
    return explainWithFeatures(dp, targets).explanation();
  }

  /**
   * Explains one datapoint, turning bad input, model failures, limits and the failures of plugin
   * code on this datapoint (a modality's check or encoder: stage {@code input}; its featurizer, its
   * feature set's hiding, a surrogate: stages {@code featurize}, {@code perturb}, {@code fit}) into
   * a {@link RecordError}.
   */
  public ExplainResult explainOrError(Datapoint dp, Targets targets) {
    return explainOrErrorWithFeatures(dp, targets).result();
  }

  /**
   * Explains one datapoint like {@link #explainOrError}, and returns the features each modality was
   * explained on (empty for an error) so that views can be drawn without featurizing again.
   */
  public Outcome explainOrErrorWithFeatures(Datapoint dp, Targets targets) {
    java.util.Objects.requireNonNull(dp, "datapoint is null");
    try {
      PointExplainer.Explained e = explainWithFeatures(dp, targets);
      Map<String, FeatureSet<?>> features = new LinkedHashMap<>();
      for (int m = 0; m < c.k; m++) {
        features.put(c.names.get(m), e.features().get(m));
      }
      return new Outcome(e.explanation(), features);
    } catch (LimitException e) {
      return new Outcome(new RecordError(dp.id(), "limit", named(e, dp)), Map.of());
    } catch (InputException e) {
      return new Outcome(new RecordError(dp.id(), "input", named(e, dp)), Map.of());
    } catch (ModelException e) {
      return new Outcome(new RecordError(dp.id(), "model", e.getMessage()), Map.of());
    } catch (StageFailure e) {
      return new Outcome(new RecordError(dp.id(), e.stage(), e.getMessage()), Map.of());
    } catch (IllegalArgumentException e) {
      return new Outcome(new RecordError(dp.id(), "input", e.getMessage()), Map.of());
    }
  }

  /**
   * The message of an input or limit error, naming the record like the others when it was met deep
   * in the engine, where the record is not known (the shapes of encoded values, the time limit).
   */
  private static String named(InputException e, Datapoint dp) {
    return e.recordId().isEmpty()
        ? new InputException(dp.id(), e.getMessage()).getMessage()
        : e.getMessage();
  }

  private PointExplainer.Explained explainWithFeatures(Datapoint dp, Targets targets) {
    java.util.Objects.requireNonNull(dp, "datapoint is null");
    java.util.Objects.requireNonNull(targets, "targets is null: e.g. Targets.predicted()");
    if (closed) {
      throw new IllegalStateException("this Dime is closed: build another to explain more");
    }
    try {
      return explainOpen(dp, targets);
    } catch (RuntimeException e) {
      if (closed) { // the model thread stopped under it: refused, cancelled or interrupted calls
        throw new IllegalStateException(
            "this Dime was closed while it explained '" + dp.id() + "'", e);
      }
      throw e;
    }
  }

  /**
   * The {@link System#nanoTime()} by which a record must be done, or Long.MAX_VALUE for no limit: 0
   * seconds, or a limit over 2^62 ns (146 years), which the sum could not hold (before, 1e10 s or
   * Infinity wrapped round to a deadline in the past and failed every record).
   */
  static long deadline(long now, double seconds) {
    double nanos = seconds * 1e9;
    return seconds == 0 || nanos > 0x1p62 ? Long.MAX_VALUE : now + (long) nanos;
  }

  private PointExplainer.Explained explainOpen(Datapoint dp, Targets targets) {
    PointExplainer explainer = prepare().explainer();
    long deadline = deadline(System.nanoTime(), c.limits.maxSecondsPerPoint());
    if (c.replicates == 1) {
      return explainer.explain(dp, targets, c.seed, deadline);
    }
    List<Explanation> runs = new ArrayList<>();
    List<FeatureSet<?>> features = null;
    for (int r = 0; r < c.replicates; r++) {
      PointExplainer.Explained one = explainer.explain(dp, targets, replicateSeed(r), deadline);
      runs.add(one.explanation());
      if (r == 0) {
        features = one.features();
      }
    }
    return new PointExplainer.Explained(Replicates.combine(runs, c.replicates), features);
  }

  /** The seed of replicate r (replicate 0 uses the run's seed). */
  long replicateSeed(int r) {
    return r == 0 ? c.seed : Seeds.mix(c.seed ^ (0x632BE59BD9B4E019L * r));
  }

  /**
   * Global analysis over a grid of {@code references} pool datapoints (references^k passes):
   * variance shares of every term and the accuracy of the additive projection next to the model's
   * own. Refused for a pool of fewer than 2 datapoints: a grid of one cell has no variance to share
   * (its shares would read as an output that does not vary).
   */
  public GlobalShares globalAnalysis(int references) {
    int poolSize = pool.pool.size();
    if (poolSize < 2) {
      throw new IllegalArgumentException(
          "globalAnalysis needs a reference pool of at least 2 datapoints (a grid of one cell has"
              + " no variance to share); the pool has "
              + poolSize
              + (poolSize == 1 ? " datapoint" : " datapoints"));
    }
    if (references < 2) {
      throw new IllegalArgumentException(
          "globalAnalysis needs at least 2 references, found " + references);
    }
    return prepare().checks().globalAnalysis(references);
  }

  /**
   * Whether the model gives the same outputs twice, and a row the same output alone as in a batch:
   * up to {@code maxRecords} pool records chosen from the seed are run in two calls of their own of
   * up to the batch size, then one record a call (3 x records model rows at most; not counted in
   * the run's passes, and the run needs not be prepared). A model that is not deterministic
   * (dropout left on when it was exported, a random layer) gives every explanation its noise; one
   * whose output for a row depends on the other rows of its call (batch normalisation left in
   * training mode) mixes each perturbed row with the others of its batch.
   *
   * @return the first difference beyond float32 rounding (64 ulps of the largest output, at least
   *     of 1), naming the record, both raw outputs and the output; empty when there is none
   * @throws io.dime.api.ModelException when the model fails on those records (NaN included)
   * @since 0.3
   */
  public java.util.Optional<ModelInconsistency> determinism(int maxRecords) {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("determinism needs maxRecords >= 1, found " + maxRecords);
    }
    return Determinism.check(c, pool, maxRecords);
  }

  /**
   * What the model makes of each modality with every feature hidden ({@link
   * io.dime.core.decompose.HiddenBaseline}), over up to {@code maxRecords} pool records chosen from
   * the seed: 2 x k x records model rows. A record whose modality cannot be featurized is left out
   * of that modality's summary.
   */
  public List<HiddenModality> hiddenBaseline(int maxRecords) {
    if (maxRecords < 1) {
      throw new IllegalArgumentException(
          "hiddenBaseline needs maxRecords >= 1, found " + maxRecords);
    }
    return prepare().checks().hiddenBaseline(maxRecords);
  }

  /**
   * Draws one fit of an explanation as a view, with the modality's own renderer (heat map, shaded
   * words, series bands). The datapoint is featurized again, which gives the same features.
   *
   * @param dp the explained datapoint
   * @param e its explanation
   * @param classIndex the explained class
   * @param modality the modality's name
   * @param fitKey "UC", "MI", "LIME" or a term key such as "g12"
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public View view(
      Datapoint dp,
      Explanation e,
      int classIndex,
      String modality,
      String fitKey,
      ViewOptions options) {
    int m = c.modalityIndex(modality);
    SurrogateFit fit =
        e.forClass(classIndex)
            .modality(modality)
            .fit(fitKey)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no fit '" + fitKey + "' for modality '" + modality + "'"));
    FeatureSet fs = features(dp, modality);
    return ((Modality) c.modalities.get(m)).view(fs, fit.weights(), options);
  }

  /**
   * The features of one modality of a datapoint, as the explanation used them (featurizing is
   * deterministic): their names and {@link FeatureSet#layout() layout}, e.g. superpixel centroids.
   */
  public FeatureSet<?> features(Datapoint dp, String modality) {
    int m = c.modalityIndex(modality);
    Object value = c.modalities.get(m).check(dp.value(modality), dp.id());
    return pool.featurizer.featurize(m, value, dp.id());
  }

  /** Every parameter of this engine, for provenance (no reference draws: those are per point). */
  public Provenance provenance() {
    return prepare().provenance();
  }
}
