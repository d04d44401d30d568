package io.dime.core.pipeline;

import static java.util.Objects.requireNonNull;

import io.dime.core.DimeBuilder;
import io.dime.core.Presets;
import io.dime.core.estimate.Estimator;
import io.dime.core.estimate.Estimators;
import io.dime.core.estimate.ReferenceSelection;
import io.dime.core.plugin.PluginRegistry;
import io.dime.spi.PluginConfig;
import java.util.Optional;

/**
 * The engine's settings as a user names them (the command line's {@code --estimator}, {@code
 * --references}, {@code --samples}, ...), turned into the engine's parts.
 *
 * @param estimator "sampled", "anchored", "exact" or "paper-faithful"
 * @param references N references (R draws per sample for sampled)
 * @param referenceSelection how exact(N) picks its references ("representative" or "random"); empty
 *     for the estimator's default
 * @param samples S perturbation samples per modality; 0: the preset's for the engine's number of
 *     modalities ({@link #samplesFor})
 * @param surrogate a surrogate factory's name ("lime", "kernel_shap"; a dash reads as an
 *     underscore)
 * @param seed the run's seed
 * @param threads datapoints explained at once
 * @param replicates independent reruns with other seeds per point
 * @param centeredScores whether a classifier's scores are centred; empty for the engine's default
 *     (centred)
 * @param preset the {@link Presets} name the estimator, references and samples came from (explicit
 *     options may have overridden them); recorded in the run's provenance unless "default"
 */
public record EngineSettings(
    String estimator,
    int references,
    Optional<String> referenceSelection,
    int samples,
    String surrogate,
    long seed,
    int threads,
    int replicates,
    Optional<Boolean> centeredScores,
    String preset) {
  public EngineSettings {
    requireNonNull(preset, "preset is null");
    requireNonNull(estimator, "estimator is null");
    requireNonNull(referenceSelection, "referenceSelection is null");
    requireNonNull(surrogate, "surrogate is null");
    requireNonNull(centeredScores, "centeredScores is null");
    if (samples == 1 || samples < 0) {
      throw new IllegalArgumentException(
          "samples must be at least 2 (0: the preset's), found " + samples);
    }
  }

  /** S with k modalities: {@code samples}, or the preset's when that is 0. */
  public int samplesFor(int k) {
    return samples > 0 ? samples : Presets.byName(preset).samplesFor(k);
  }

  /** Whether these settings came from a preset other than the default. */
  public boolean hasPreset() {
    return !preset.equals(Presets.DEFAULT);
  }

  /** Records the preset in {@code b}'s run provenance unless it is the default. */
  public DimeBuilder recordPreset(DimeBuilder b) {
    return hasPreset() ? b.provenance(Presets.PROVENANCE_KEY, preset) : b;
  }

  /** The estimator these settings name. */
  public Estimator estimatorInstance() {
    return Estimators.byName(estimator, references, selection());
  }

  /**
   * The estimator these settings name, {@code exact} refusing a point over {@code exactBudget} rows
   * (the job's {@code maxPassesPerPoint}) rather than its own default budget.
   */
  public Estimator estimatorInstance(long exactBudget) {
    return Estimators.byName(estimator, references, selection(), exactBudget);
  }

  /** The reference selection asked for, or null for the estimator's default. */
  public ReferenceSelection selection() {
    return referenceSelection.map(ReferenceSelection::of).orElse(null);
  }

  /**
   * Sets everything but the model, the pool, the modalities and the estimator on {@code b}: the
   * surrogate (made by its plugin), samples, seed, replicates, the preset's name (unless default)
   * and, when given, the explained scores.
   */
  public DimeBuilder configure(DimeBuilder b, PluginRegistry registry) {
    b.surrogate(
            registry
                .surrogate(surrogate.replace('-', '_'))
                .create(PluginConfig.empty("surrogate " + surrogate)))
        .seed(seed)
        .replicates(replicates);
    if (samples > 0) {
      b.samples(samples);
    } else {
      b.samplesOf(Presets.byName(preset));
    }
    recordPreset(b);
    centeredScores.ifPresent(b::centeredScores);
    return b;
  }
}
