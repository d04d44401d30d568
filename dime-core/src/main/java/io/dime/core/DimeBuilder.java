package io.dime.core;

import static java.util.Objects.requireNonNull;

import io.dime.api.Datapoint;
import io.dime.api.Faithfulness;
import io.dime.api.MultimodalModel;
import io.dime.api.OutputKind;
import io.dime.core.estimate.Estimator;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.OutputTransform;
import io.dime.core.plugin.PluginRegistry;
import io.dime.core.surrogate.Lime;
import io.dime.spi.Modality;
import io.dime.spi.Surrogate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link Dime}. Defaults: sampled(50), LIME, 1000 samples, seed 0, batch 256, faithfulness
 * with 10 curve steps and 100 held-out masks, centred scores for classifiers.
 *
 * <pre>{@code
 * try (Dime dime = Dime.builder() // closing it stops its model thread
 *     .modality(image).modality(question)
 *     .model(model).referencePool(pool)
 *     .estimator(Estimators.sampled(50)).surrogate(Lime.defaults())
 *     .samples(1000).seed(42).batchSize(256)
 *     .build()) {
 *   Explanation e = dime.explain(datapoint, Targets.predictedAndLabel());
 * }
 * }</pre>
 */
public final class DimeBuilder {
  /**
   * The most threads a count of threads may ask for: {@link #inferenceThreads} and a job's
   * datapoints at once ({@link io.dime.core.job.ExplanationJob.Builder#threads}, the command line's
   * {@code --threads} and {@code --model-concurrency}). Each is a thread the JVM makes, with a
   * stack of its own, and a job keeps four records in flight per thread: a count far beyond any
   * machine's processors only makes threads that wait their turn, and one in the hundreds of
   * millions ran out of native threads (and overflowed the job's window). The ONNX adapter caps its
   * session's threads at the same number.
   */
  public static final int MAX_THREADS = 1024;

  /**
   * Refuses a count of threads {@code n} above {@link #MAX_THREADS}, naming the setting {@code
   * what}: "threads must be at most 1024, found 1025".
   */
  public static void atMostMaxThreads(String what, int n) {
    if (n > MAX_THREADS) {
      throw new IllegalArgumentException(what + " must be at most " + MAX_THREADS + ", found " + n);
    }
  }

  final List<Modality<?>> modalities = new ArrayList<>();
  MultimodalModel model;
  List<Datapoint> pool;
  Estimator estimator = Estimators.sampled(Presets.DEFAULT_DRAWS);
  Surrogate surrogate = Lime.defaults();
  int samples = 1000;
  Presets.Preset samplesOf; // when set, its samplesFor(k) replaces samples
  long seed = 0;
  int batchSize = 256;
  int maxOrder = 0;
  boolean pipelined = true;
  int inferenceThreads = 1;
  int pointsAtOnce;
  int replicates = 1;
  int curveSteps = 10;
  int heldOut = 100;
  OutputKind outputKind;
  Boolean centeredScores;
  final Map<String, Object> provenance = new LinkedHashMap<>();
  EngineLimits limits = EngineLimits.DEFAULTS;
  private PluginRegistry plugins; // found on the first modality(plugin, ...)

  DimeBuilder() {}

  /** Adds a modality (in pipeline order; its name is also its datapoint field). */
  public DimeBuilder modality(Modality<?> m) {
    modalities.add(requireNonNull(m, "modality is null"));
    return this;
  }

  /**
   * Adds a modality made by the modality plugin named {@code plugin} with its settings, as a
   * pipeline file's entry {@code {name, plugin, settings}} makes it: {@code .modality("image",
   * "scene", Map.of("featurizer", "grid", "rows", 2, "cols", 2))}. The plugins are those {@link
   * java.util.ServiceLoader} finds on the thread's context class loader (the class path; {@link
   * PluginRegistry#load(ClassLoader)} and {@link PluginRegistry#createModality} take another),
   * found once per builder.
   *
   * @param plugin the modality plugin's name ({@code image}, {@code text}, {@code timeseries},
   *     {@code vector}, {@code table}, or one of a plugin jar)
   * @param name the modality's name (also the datapoint field it reads)
   * @param settings the plugin's settings, as in a pipeline file; null or empty for its defaults
   * @throws IllegalArgumentException for an unknown plugin (listing the available ones) or a bad
   *     setting (naming the modality and the setting), with the pipeline file's messages
   */
  public DimeBuilder modality(String plugin, String name, Map<String, ?> settings) {
    requireNonNull(plugin, "plugin is null");
    requireNonNull(name, "name is null");
    if (plugins == null) {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      plugins = PluginRegistry.load(loader == null ? DimeBuilder.class.getClassLoader() : loader);
    }
    return modality(plugins.createModality(plugin, name, settings));
  }

  /** The model explained: a batch of k-tuples in, a batch of output rows out. */
  public DimeBuilder model(MultimodalModel m) {
    this.model = m;
    return this;
  }

  /** The datapoints the expectations are taken over. */
  public DimeBuilder referencePool(List<Datapoint> datapoints) {
    requireNonNull(datapoints, "the reference pool is null");
    for (int i = 0; i < datapoints.size(); i++) {
      requireNonNull(datapoints.get(i), "reference pool datapoint " + i + " is null");
    }
    this.pool = List.copyOf(datapoints);
    return this;
  }

  /** How v(T) is estimated: {@link Estimators#sampled}, {@code exact} or {@code paperFaithful}. */
  public DimeBuilder estimator(Estimator e) {
    this.estimator = requireNonNull(e, "estimator is null");
    return this;
  }

  /**
   * A named preset ({@link Presets#fast()}, {@link Presets#defaults()}): sets the estimator and the
   * samples (later calls of {@link #estimator} or {@link #samples} still override them) and, for a
   * preset other than the default, records its name in the run's provenance.
   */
  public DimeBuilder preset(Presets.Preset p) {
    return requireNonNull(p, "preset is null").applyTo(this);
  }

  /** The local surrogate fitted on each modality's masks (LIME, KernelSHAP, a plugin's). */
  public DimeBuilder surrogate(Surrogate s) {
    this.surrogate = requireNonNull(s, "surrogate is null");
    return this;
  }

  /** Perturbation samples per modality (at least 2). */
  public DimeBuilder samples(int n) {
    this.samples = n;
    this.samplesOf = null;
    return this;
  }

  /**
   * Perturbation samples per modality as {@code preset} chooses them for the engine's number of
   * modalities ({@link Presets.Preset#samplesFor}), until {@link #samples(int)} sets a number.
   *
   * @since 0.2
   */
  public DimeBuilder samplesOf(Presets.Preset preset) {
    this.samplesOf = requireNonNull(preset, "preset is null");
    this.samples = preset.samples();
    return this;
  }

  /** The seed every random stream derives from. */
  public DimeBuilder seed(long s) {
    this.seed = s;
    return this;
  }

  /** Rows per model call (at least 1). */
  public DimeBuilder batchSize(int n) {
    this.batchSize = n;
    return this;
  }

  /** Interaction terms above this order are lumped into one residual term (default: k). */
  public DimeBuilder maxInteractionOrder(int q) {
    if (q < 1) {
      throw new IllegalArgumentException("maxInteractionOrder must be >= 1, found " + q);
    }
    this.maxOrder = q;
    return this;
  }

  /**
   * Whether the model runs on its own thread while the next batch is built and encoded (default
   * true). While at least as many points are being explained in the JVM as there are processors,
   * batches run on the explaining threads all the same (the processors are busy; a hand-off would
   * only add thread switches). Results are identical either way.
   */
  public DimeBuilder pipelined(boolean p) {
    this.pipelined = p;
    return this;
  }

  /**
   * Independent reruns with other seeds (default 1): explanations report the mean over replicates
   * and, next to the within-run standard errors, the standard error from their spread.
   */
  public DimeBuilder replicates(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("replicates must be >= 1, found " + k);
    }
    this.replicates = k;
    return this;
  }

  /**
   * How many datapoints the caller explains at once on this engine (default: the processors, an
   * {@link io.dime.core.job.ExplanationJob}'s default threads). Each has up to two model batches in
   * flight, so a batch's encoded inputs are held to a share of the heap: 64 MiB, a 16th of the
   * heap, and heap / (8 x the larger of the processors and {@code n}). Only the batches' rows
   * change, for rows of many bytes; a model that scores each row alone gives the same results.
   */
  public DimeBuilder pointsAtOnce(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("pointsAtOnce must be >= 1, found " + n);
    }
    this.pointsAtOnce = n;
    return this;
  }

  /**
   * Threads that run model batches concurrently (default 1); with several datapoints explained at
   * once, more than one keeps every core busy when the model itself runs single-threaded. Results
   * are identical whatever the number. At most {@link #MAX_THREADS}.
   */
  public DimeBuilder inferenceThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("inferenceThreads must be >= 1, found " + n);
    }
    atMostMaxThreads("inferenceThreads", n);
    this.inferenceThreads = n;
    return this;
  }

  /**
   * The faithfulness measures of every fit (see {@link Faithfulness}); default on, with 10 steps
   * and 100 held-out masks. The curves cost 2 (T + 1) masks per fit and class and the held-out
   * scores H masks per modality, each mask at the estimator's rows per sample; masks shared by
   * several curves are evaluated once (see {@link Dime#passFormula(int)}). The fits themselves do
   * not change.
   *
   * @param steps the most curve steps T per curve (T = min(d, steps)); 0 switches the curves off
   * @param heldOut the held-out masks H per modality; 0 switches the held-out R^2 off
   */
  public DimeBuilder faithfulness(int steps, int heldOut) {
    if (steps < 0 || heldOut < 0 || heldOut == Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "faithfulness steps and held-out masks must be >= 0, found " + steps + " and " + heldOut);
    }
    this.curveSteps = steps;
    this.heldOut = heldOut;
    return this;
  }

  /** Switches the faithfulness measures off: {@code faithfulness(0, 0)}, no extra passes. */
  public DimeBuilder noFaithfulness() {
    return faithfulness(0, 0);
  }

  /** Overrides what the model says its outputs are. */
  public DimeBuilder outputKind(OutputKind kind) {
    this.outputKind = kind;
    return this;
  }

  /**
   * Whether to explain centred scores: each output row minus its mean over the classes (after the
   * logarithm for probability outputs), the centred log-ratio of the class probabilities; see
   * {@link OutputTransform}. The default for classifiers (logits or probabilities, at least 2
   * outputs), which a softmax makes invariant to a per-row constant; {@code false} explains the
   * scores as they are (the paper's setting, and the right one for outputs that are not one
   * softmax, such as independent sigmoid logits). Regression outputs are never centred, and asking
   * for it there is an error.
   */
  public DimeBuilder centeredScores(boolean centered) {
    this.centeredScores = centered;
    return this;
  }

  /**
   * What one record may cost (default {@link EngineLimits#DEFAULTS}): beyond a limit the record
   * gets an error naming it, and the job goes on.
   */
  public DimeBuilder limits(EngineLimits l) {
    this.limits = requireNonNull(l, "limits is null");
    return this;
  }

  /**
   * An entry of {@link io.dime.api.Provenance#run()}: what the caller records about the run
   * (manifest SHA-256, command line).
   */
  public DimeBuilder provenance(String key, Object value) {
    provenance.put(key, value);
    return this;
  }

  /**
   * The engine.
   *
   * @throws IllegalArgumentException naming the first setting that is missing or out of range, an
   *     estimator that cannot explain this many modalities or whose passes per point exceed its
   *     budget ({@code exact(N)}: N^k combinations), or the first pool datapoint a modality cannot
   *     take
   */
  public Dime build() {
    return new Dime(new EngineConfig(this));
  }
}
