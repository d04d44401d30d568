package io.dime.cli;

import picocli.CommandLine.Option;

/** The engine's options, shared by the commands that explain (a picocli mixin). */
final class EngineOptions {
  @Option(
      names = "--estimator",
      defaultValue = "sampled",
      description = "sampled, exact or paper-faithful (default ${DEFAULT-VALUE})")
  String estimator;

  @Option(
      names = "--references",
      defaultValue = "100",
      description = "N references (R draws per sample for sampled; default ${DEFAULT-VALUE})")
  int references;

  @Option(names = "--samples", defaultValue = "1000", description = "S (default ${DEFAULT-VALUE})")
  int samples;

  @Option(
      names = "--surrogate",
      defaultValue = "lime",
      description = "lime or kernel_shap, or another plugin's surrogate (default ${DEFAULT-VALUE})")
  String surrogate;

  @Option(names = "--seed", defaultValue = "0")
  long seed;

  @Option(
      names = "--threads",
      description = "datapoints explained at once (default: available processors)")
  Integer threads;

  @Option(
      names = "--replicates",
      defaultValue = "1",
      description = "independent reruns with other seeds per point (default ${DEFAULT-VALUE})")
  int replicates;

  /** The datapoint threads: the option, or the available processors. */
  int threadCount() {
    return threads != null ? threads : Runtime.getRuntime().availableProcessors();
  }
}
