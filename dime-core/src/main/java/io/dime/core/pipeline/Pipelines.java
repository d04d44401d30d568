package io.dime.core.pipeline;

import io.dime.core.infer.EncodedModel;
import io.dime.core.plugin.PluginRegistry;
import io.dime.spi.Modality;
import io.dime.spi.ModelAdapter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a pipeline file and a model argument into the engine's modalities and model. */
public final class Pipelines {
  private Pipelines() {}

  /**
   * The modalities a pipeline names, made by their plugins. A text modality without a {@code
   * baseDirectory} setting gets the pipeline file's directory.
   */
  public static List<Modality<?>> modalities(
      PluginRegistry registry, PipelineFile pipe, Path pipelineFile) {
    List<Modality<?>> out = new ArrayList<>();
    Path dir = pipelineFile.toAbsolutePath().getParent();
    for (PipelineFile.ModalitySpec s : pipe.modalities()) {
      Map<String, Object> settings =
          new LinkedHashMap<>(s.settings() == null ? Map.of() : s.settings());
      if (s.plugin().equals("text") && !settings.containsKey("baseDirectory")) {
        settings.put("baseDirectory", dir.toString());
      }
      try {
        registry.modality(s.plugin());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "pipeline " + pipelineFile + ", modality '" + s.name() + "': " + e.getMessage(), e);
      }
      Modality<?> m = registry.createModality(s.plugin(), s.name(), settings);
      out.add(m);
    }
    return out;
  }

  /**
   * Opens {@code NAME:LOCATION} with the named model adapter and wraps it with the modalities'
   * encoders as the pipeline describes.
   */
  public static EncodedModel model(
      PluginRegistry registry, String spec, PipelineFile pipe, List<Modality<?>> modalities) {
    return model(registry, spec, pipe, modalities, Map.of());
  }

  /**
   * Opens {@code NAME:LOCATION} with the named model adapter and these settings (the adapter
   * rejects the ones it does not know), and wraps it with the modalities' encoders as the pipeline
   * describes.
   *
   * @param settings the adapter's settings, e.g. {@code concurrency}; empty for its defaults
   */
  public static EncodedModel model(
      PluginRegistry registry,
      String spec,
      PipelineFile pipe,
      List<Modality<?>> modalities,
      Map<String, Object> settings) {
    int colon = spec.indexOf(':');
    if (colon < 1 || colon == spec.length() - 1) {
      throw new IllegalArgumentException(
          "--model must be NAME:LOCATION (e.g. onnx:model.onnx); model adapters: "
              + registry.modelAdapters().keySet());
    }
    ModelAdapter opened =
        registry.openModel(spec.substring(0, colon), spec.substring(colon + 1), settings);
    try {
      // modalities that fill slices of one input (features[0:512], features[512:812])
      ModelAdapter adapter = io.dime.core.infer.SlicedInputs.wrap(opened, modalities);
      List<io.dime.api.TensorSpec> outs = adapter.signature().outputs();
      io.dime.core.infer.targets.OutputTargets targets =
          pipe.outputTargets(outs.size() == 1 ? outs.get(0).name() : null);
      return new EncodedModel(
          modalities, adapter, pipe.output(), pipe.kind(), pipe.classNames(), targets);
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
  }
}
