package io.dime.cli;

import picocli.CommandLine.Option;

/** The engine's options, shared by the commands that explain (a picocli mixin). */
final class EngineOptions {
  @Option(
      names = "--preset",
      defaultValue = "default",
      paramLabel = "NAME",
      description =
          "default or fast (default ${DEFAULT-VALUE}). A preset sets the defaults of --estimator,"
              + " --references and --samples, which explicit options still override: default is"
              + " sampled, R = 50 fresh draws per distinct mask, S = 1000; fast is anchored, R = 5"
              + " fresh draws per sample, each paired with the same draw at the unperturbed point"
              + " (a control variate), S = 400 with two modalities and 700 with more: on the"
              + " synthetic task about 1/12 of the default's model passes, unbiased, with the"
              + " standard errors it reaches reported. A resumed run must use the same preset")
  String preset;

  @Option(
      names = "--estimator",
      paramLabel = "NAME",
      description =
          "sampled, anchored, exact or paper-faithful (default: the preset's, sampled or"
              + " anchored for fast)")
  String estimatorOption;

  @Option(
      names = "--references",
      paramLabel = "N",
      description =
          "N references (R draws per sample for sampled and anchored; default: the preset's,"
              + " 50 or 5 for fast, when the preset's estimator runs; otherwise the estimator's"
              + " own: sampled 50, anchored 5, exact and paper-faithful 100, which use the"
              + " whole pool when it holds fewer, and say so)")
  Integer referencesOption;

  @Option(
      names = "--reference-selection",
      paramLabel = "HOW",
      description =
          "how exact(N) picks its N references: representative (the default: the set whose first"
              + " two moments best match the pool's) or random (whose standard errors then include"
              + " the set's own error, by a jackknife over the set; a representative set's are"
              + " read from --replicates)")
  String referenceSelection;

  @Option(
      names = "--samples",
      paramLabel = "S",
      description =
          "S, the perturbation samples per modality (default: the preset's: 1000; fast: 400 with"
              + " two modalities, 700 with more)")
  Integer samplesOption;

  @Option(
      names = "--surrogate",
      paramLabel = "NAME",
      defaultValue = "lime",
      description = "lime or kernel_shap, or another plugin's surrogate (default ${DEFAULT-VALUE})")
  String surrogate;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      defaultValue = "0",
      description =
          "the seed of every random draw: the same seed and settings give the same explanations"
              + " (default ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "datapoints explained at once, at most 1024 (default: available processors)")
  Integer threads;

  @Option(
      names = "--replicates",
      paramLabel = "N",
      defaultValue = "1",
      description = "independent reruns with other seeds per point (default ${DEFAULT-VALUE})")
  int replicates;

  @Option(
      names = "--scores",
      paramLabel = "KIND",
      description =
          "what is explained for a classifier: centered (the default: each row's scores minus"
              + " their mean over the classes, a constant that a softmax ignores) or raw (the"
              + " scores without centring: logits as the model gives them, the paper's setting and"
              + " the one for outputs that are not one softmax, such as independent sigmoids; for"
              + " probability outputs the scores are their natural logarithms, never the"
              + " probabilities themselves). Regression outputs and pipeline targets are always"
              + " explained as they are")
  String scores;

  @Option(
      names = "--max-features",
      paramLabel = "N",
      description =
          "the most features one modality of a record may have (default 4096); a record with more"
              + " gets an error (stage limit) and the job goes on")
  Integer maxFeatures;

  @Option(
      names = "--max-passes-per-point",
      paramLabel = "N",
      description =
          "the most model passes one record's explanation may need by the estimator's formula,"
              + " replicates included (default 100000000)")
  Long maxPassesPerPoint;

  @Option(
      names = "--max-seconds-per-point",
      paramLabel = "SECONDS",
      description =
          "the most wall-clock seconds one record's explanation may take (default 3600; 0: no"
              + " limit)")
  Double maxSecondsPerPoint;

  /** The engine's limits: the defaults, with what the options set. */
  io.dime.core.EngineLimits limits() {
    io.dime.core.EngineLimits d = io.dime.core.EngineLimits.DEFAULTS;
    // each named on its own: one message naming all three left the user to find which was wrong
    if (maxFeatures != null && maxFeatures < 1) {
      throw new IllegalArgumentException("--max-features must be at least 1, found " + maxFeatures);
    }
    if (maxPassesPerPoint != null && maxPassesPerPoint < 1) {
      throw new IllegalArgumentException(
          "--max-passes-per-point must be at least 1, found " + maxPassesPerPoint);
    }
    if (maxSecondsPerPoint != null
        && (!(maxSecondsPerPoint >= 0) || maxSecondsPerPoint.isInfinite())) {
      throw new IllegalArgumentException(
          "--max-seconds-per-point must be a number of seconds, 0 or more (0: no limit), found "
              + maxSecondsPerPoint);
    }
    return new io.dime.core.EngineLimits(
        maxFeatures != null ? maxFeatures : d.maxFeatures(),
        maxPassesPerPoint != null ? maxPassesPerPoint : d.maxPassesPerPoint(),
        maxSecondsPerPoint != null ? maxSecondsPerPoint : d.maxSecondsPerPoint());
  }

  /** Whether --scores asks for centred scores; null when the option is not given. */
  Boolean centeredScores() {
    if (scores == null) {
      return null;
    }
    // case-insensitive, as --estimator, --preset and --surrogate are
    return switch (scores.toLowerCase(java.util.Locale.ROOT)) {
      case "raw" -> false;
      case "centered", "centred" -> true;
      default ->
          throw new IllegalArgumentException(
              "--scores must be raw or centered, found '" + scores + "'");
    };
  }

  /** Sets the explained scores on {@code b} when --scores was given (else the engine's default). */
  io.dime.core.DimeBuilder scoresOn(io.dime.core.DimeBuilder b) {
    Boolean centered = centeredScores();
    return centered == null ? b : b.centeredScores(centered);
  }

  /** The preset --preset names (a usage error listing the presets when there is none). */
  io.dime.core.Presets.Preset presetChosen() {
    return io.dime.core.Presets.byName(preset);
  }

  /** --estimator, or the preset's. */
  String estimatorName() {
    return estimatorOption != null ? estimatorOption : presetChosen().estimator();
  }

  /**
   * --references; else the preset's when its estimator is the one run, else the estimator's own
   * default (an --estimator other than the preset's does not inherit the preset's size: exact and
   * paper-faithful keep N = 100).
   */
  int references() {
    return referencesFor(estimatorName());
  }

  /** The size {@code estimator} would run with under these options (see {@link #references}). */
  int referencesFor(String estimator) {
    if (referencesOption != null) {
      return referencesOption;
    }
    io.dime.core.Presets.Preset p = presetChosen();
    if (key(estimator).equals(key(p.estimator()))) {
      return p.references();
    }
    return io.dime.core.estimate.Estimators.defaultSize(estimator);
  }

  private static String key(String estimator) {
    return estimator.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
  }

  /** --samples, or the preset's for k modalities. */
  int samples(int k) {
    return samplesOption != null ? samplesOption : presetChosen().samplesFor(k);
  }

  /** --samples, checked, or 0 for the preset's (by the number of modalities). */
  private int explicitSamples() {
    if (samplesOption != null && samplesOption < 2) {
      throw new IllegalArgumentException("--samples must be at least 2, found " + samplesOption);
    }
    return samplesOption != null ? samplesOption : 0;
  }

  /** These options as the engine's settings. */
  io.dime.core.pipeline.EngineSettings settings() {
    if (referenceSelection != null && !key(estimatorName()).equals(key("exact"))) {
      throw new IllegalArgumentException(
          "--reference-selection applies to --estimator exact only; this run's estimator is "
              + estimatorName());
    }
    if (referencesOption != null) {
      int least = key(estimatorName()).equals(key("paper-faithful")) ? 2 : 1;
      if (referencesOption < least) {
        throw new IllegalArgumentException(
            "--references must be at least "
                + least
                + " for the estimator "
                + estimatorName()
                + ", found "
                + referencesOption);
      }
    }
    if (replicates < 1) {
      throw new IllegalArgumentException("--replicates must be at least 1, found " + replicates);
    }
    return new io.dime.core.pipeline.EngineSettings(
        estimatorName(),
        references(),
        java.util.Optional.ofNullable(referenceSelection),
        explicitSamples(),
        surrogate,
        seed,
        threadCount(),
        replicates,
        java.util.Optional.ofNullable(centeredScores()),
        presetChosen().name());
  }

  /** The datapoint threads: the option, or the available processors (at most the cap). */
  int threadCount() {
    if (threads != null && threads < 1) {
      throw new IllegalArgumentException("--threads must be at least 1, found " + threads);
    }
    if (threads != null) {
      return atMostMaxThreads("--threads", threads);
    }
    return Math.min(
        Runtime.getRuntime().availableProcessors(), io.dime.core.DimeBuilder.MAX_THREADS);
  }

  /**
   * {@code n}, the value of {@code option}, a count of threads; refused above {@link
   * io.dime.core.DimeBuilder#MAX_THREADS}, naming the option, the value and the cap.
   */
  static int atMostMaxThreads(String option, int n) {
    if (n > io.dime.core.DimeBuilder.MAX_THREADS) {
      // 2^29 and more overflowed the job's window of 4 x threads records; far fewer already ran
      // out of native threads
      throw new IllegalArgumentException(
          option
              + " must be at most "
              + io.dime.core.DimeBuilder.MAX_THREADS
              + ", found "
              + n
              + " (each is a thread of its own, and threads far beyond the processors only wait"
              + " their turn)");
    }
    return n;
  }
}
