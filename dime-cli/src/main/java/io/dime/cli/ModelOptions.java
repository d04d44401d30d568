package io.dime.cli;

import io.dime.core.DimeBuilder;
import io.dime.core.infer.EncodedModel;
import io.dime.core.pipeline.PipelineFile;
import io.dime.core.pipeline.Pipelines;
import io.dime.core.plugin.PluginRegistry;
import io.dime.spi.Modality;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The model's options of {@code dime explain} (a picocli mixin): how many calls are in flight at
 * once and how each call is made ({@link ModelCallOptions}). They reach the adapter as settings
 * only when given; {@code --model-concurrency} also sets how many model batches the engine runs at
 * once, so that that many requests are really in flight.
 */
final class ModelOptions {
  /** The adapter setting {@code --model-concurrency} sets. */
  static final String CONCURRENCY = "concurrency";

  @Mixin ModelCallOptions calls;

  @Option(
      names = "--model-concurrency",
      paramLabel = "N",
      description =
          "model calls in flight at once: the engine runs N batches at a time and the adapter"
              + " makes up to N calls at once (the adapter setting concurrency; default 1, at most"
              + " 1024)")
  Integer concurrency;

  /** Refuses a --model-concurrency below 1 or above the engine's cap on threads. */
  void check() {
    if (concurrency != null) {
      if (concurrency < 1) {
        throw new IllegalArgumentException(
            "--model-concurrency must be at least 1, found " + concurrency);
      }
      EngineOptions.atMostMaxThreads("--model-concurrency", concurrency);
    }
  }

  /** The settings the given options make. */
  Map<String, Object> settings() {
    check();
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    if (concurrency != null) {
      m.put(CONCURRENCY, concurrency);
    }
    m.putAll(calls.settings());
    return m;
  }

  /** Sets the engine's concurrent model batches on {@code b} when --model-concurrency is given. */
  DimeBuilder on(DimeBuilder b) {
    return concurrency == null ? b : b.inferenceThreads(concurrency);
  }

  /**
   * Opens the model with these settings; a setting the adapter refuses is named with its option.
   */
  EncodedModel open(
      PluginRegistry registry, String spec, PipelineFile pipe, List<Modality<?>> modalities) {
    Map<String, Object> settings = settings();
    EncodedModel model;
    try {
      model = Pipelines.model(registry, spec, pipe, modalities, settings);
    } catch (IllegalArgumentException e) {
      throw withOption(e, settings, this::optionOf);
    }
    if (model.fixedBatch() == 1) {
      System.err.println(
          "dime: warning: the model fixes its batch dimension at 1, so every row is a call of"
              + " its own (thousands per datapoint); exported with a dynamic batch dimension it"
              + " runs many times faster");
    }
    return model;
  }

  private String optionOf(String setting) {
    return setting.equals(CONCURRENCY)
        ? (concurrency == null ? null : "--model-concurrency")
        : calls.optionOf(setting);
  }

  /** {@code e} with " (set by --option)" added when it names a setting an option made. */
  static IllegalArgumentException withOption(
      IllegalArgumentException e,
      Map<String, Object> settings,
      java.util.function.Function<String, String> option) {
    String message = String.valueOf(e.getMessage());
    for (String key : settings.keySet()) {
      String o = option.apply(key);
      if (o != null && message.contains("'" + key + "'")) {
        return new IllegalArgumentException(message + " (set by " + o + ")", e);
      }
    }
    return e;
  }
}
