package io.dime.core;

import static java.util.Objects.requireNonNull;

import io.dime.api.Datapoint;
import io.dime.api.MultimodalModel;
import io.dime.api.OutputKind;
import io.dime.api.Term;
import io.dime.core.estimate.Estimator;
import io.dime.spi.Modality;
import io.dime.spi.Surrogate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The engine's settings, checked once: what {@link DimeBuilder} was given, and what follows. */
final class EngineConfig {
  final List<Modality<?>> modalities;
  final List<String> names;
  final int k;
  final MultimodalModel model;
  final List<Datapoint> poolPoints;
  final Estimator estimator;
  final Surrogate surrogate;
  final int samples;
  final long seed;
  final int batchSize;
  final int maxOrder;
  final int replicates;
  final int curveSteps;
  final int heldOut;
  final OutputKind declaredKind;
  final boolean centerScores;
  final boolean pipelined;
  final int inferenceThreads;
  final long batchBytes; // a batch's encoded bytes at most (BatchBytes)
  final Map<String, Object> runProvenance;
  final EngineLimits limits;

  /** The terms decomposed at the point: every term up to the order cap, and the full set. */
  final List<Term> pointTerms;

  EngineConfig(DimeBuilder b) {
    this.modalities = List.copyOf(b.modalities);
    this.names = modalities.stream().map(Modality::name).toList();
    this.k = modalities.size();
    if (k < 1) {
      throw new IllegalArgumentException("no modalities: add at least one with modality(...)");
    }
    if (names.stream().distinct().count() != k) {
      throw new IllegalArgumentException("modality names must be unique, found " + names);
    }
    this.model = requireNonNull(b.model, "model is null: set it with model(...)");
    if (model.outputCount() < 1) {
      throw new IllegalArgumentException(
          "the model declares " + model.outputCount() + " outputs; it needs at least 1");
    }
    checkOutputNames(model);
    if (b.pool == null || b.pool.isEmpty()) {
      throw new IllegalArgumentException("the reference pool is empty: set referencePool(...)");
    }
    this.poolPoints = b.pool;
    this.estimator = b.estimator;
    if (b.estimator.precomputesOutputs()
        && model instanceof io.dime.core.infer.StagedModel staged
        && staged.pointBound()) {
      throw new IllegalArgumentException(
          "the model's targets score each point on what it decodes there, but the "
              + b.estimator.name()
              + " estimator computes reference outputs once for all points: use the sampled or"
              + " exact estimator");
    }
    this.surrogate = CheckedSurrogate.of(b.surrogate);
    int s = b.samplesOf != null ? b.samplesOf.samplesFor(k) : b.samples;
    if (s < 2) {
      throw new IllegalArgumentException("samples must be at least 2, found " + s);
    }
    this.samples = s;
    this.seed = b.seed;
    if (b.batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, found " + b.batchSize);
    }
    this.batchSize = b.batchSize;
    this.maxOrder = b.maxOrder <= 0 ? k : Math.min(b.maxOrder, k);
    this.replicates = b.replicates;
    this.curveSteps = b.curveSteps;
    this.heldOut = b.heldOut;
    this.declaredKind = b.outputKind != null ? b.outputKind : model.outputKind();
    if (declaredKind == null) {
      throw new IllegalArgumentException(
          "the model's outputKind() is null; return LOGITS, PROBABILITIES, REGRESSION or AUTO");
    }
    this.centerScores = centred(b.centeredScores);
    this.pipelined = b.pipelined;
    this.inferenceThreads = b.inferenceThreads;
    this.batchBytes = io.dime.core.infer.BatchBytes.forPoints(b.pointsAtOnce);
    this.runProvenance = new LinkedHashMap<>(b.provenance);
    this.limits = b.limits;
    List<Term> terms = new ArrayList<>();
    for (Term t : Term.all(k)) {
      if (t.order() <= maxOrder || t.order() == k) {
        terms.add(t);
      }
    }
    this.pointTerms = List.copyOf(terms);
  }

  /**
   * Centred by default for classifiers: their logits are pre-softmax scores (OutputKind.LOGITS),
   * defined up to a constant per row; asking for centred regression outputs is an error.
   */
  private boolean centred(Boolean asked) {
    boolean classifier = declaredKind != OutputKind.REGRESSION && model.outputCount() >= 2;
    if (Boolean.TRUE.equals(asked) && !classifier) {
      throw new IllegalArgumentException(
          "centred scores need a classifier with at least 2 outputs; the model is "
              + declaredKind.name().toLowerCase()
              + " with "
              + model.outputCount()
              + " output(s)");
    }
    return classifier && !Boolean.FALSE.equals(asked);
  }

  /** The index of a modality by name, or an error naming the modalities. */
  int modalityIndex(String modality) {
    int m = names.indexOf(modality);
    if (m < 0) {
      throw new IllegalArgumentException("no modality '" + modality + "'; modalities: " + names);
    }
    return m;
  }

  /**
   * Refuses a model whose output names break its contract: null, not one per output, a null entry
   * or a name given twice (a label or a class name would then name another output than meant).
   */
  private static void checkOutputNames(MultimodalModel model) {
    List<String> names = model.outputNames();
    if (names == null) {
      throw new IllegalArgumentException("the model's outputNames() is null");
    }
    if (names.size() != model.outputCount()) {
      throw new IllegalArgumentException(
          "the model names "
              + names.size()
              + " outputs "
              + names
              + " but declares "
              + model.outputCount()
              + " (outputCount()); give one name per output");
    }
    int[] unfit = NameLists.firstUnfit(names);
    if (unfit == null) {
      return;
    }
    int i = unfit[0];
    if (unfit[1] < 0) {
      throw new IllegalArgumentException("the model's output name " + i + " is null");
    }
    throw new IllegalArgumentException(
        "the model names outputs "
            + unfit[1]
            + " and "
            + i
            + " both '"
            + names.get(i)
            + "'; give each output its own name");
  }
}
