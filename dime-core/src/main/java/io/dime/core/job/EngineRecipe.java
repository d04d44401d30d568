package io.dime.core.job;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dime.api.Datapoint;
import io.dime.api.MultimodalModel;
import io.dime.core.Dime;
import io.dime.core.DimeBuilder;
import io.dime.core.EngineLimits;
import io.dime.core.infer.EncodedModel;
import io.dime.core.io.Json;
import io.dime.core.pipeline.EngineSettings;
import io.dime.core.pipeline.PipelineFile;
import io.dime.core.pipeline.Pipelines;
import io.dime.core.plugin.PluginRegistry;
import io.dime.spi.Modality;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a job's engine is made from its files and settings, so that every machine of a job makes the
 * same engine: the command line builds its own with {@link #configure}, and each Spark partition
 * rebuilds it with {@link #open} from this recipe (sent as {@link #toJson JSON}) and the pool's
 * lines. Paths are absolute, so that they mean the same on every machine that sees the files at the
 * same place.
 *
 * @param pluginDirs folders of plugin jars ({@code --plugins}), absolute
 * @param pipeline the pipeline file, absolute
 * @param model {@code NAME:LOCATION} of the model adapter (see {@link #modelSpec})
 * @param modelSettings the model adapter's settings ({@code --model-concurrency}, {@code
 *     --model-timeout}, ...), only those given
 * @param inferenceThreads model batches the engine runs at once; null for the engine's default
 * @param settings the engine's settings
 * @param limits the engine's limits per record
 * @param batchSize rows per model call
 * @param dataRoot the folder every file a manifest names must lie under, absolute; null for each
 *     manifest's own folder
 * @param allowOutsidePaths whether files a manifest names may lie anywhere
 * @param provenance the run's own provenance entries (manifest digests, plugin versions, ...), in
 *     order
 */
public record EngineRecipe(
    List<String> pluginDirs,
    String pipeline,
    String model,
    Map<String, Object> modelSettings,
    Integer inferenceThreads,
    EngineSettings settings,
    EngineLimits limits,
    int batchSize,
    String dataRoot,
    boolean allowOutsidePaths,
    Map<String, Object> provenance) {
  public EngineRecipe {
    pluginDirs = List.copyOf(pluginDirs);
    requireNonNull(pipeline, "pipeline is null");
    requireNonNull(model, "model is null");
    modelSettings = new LinkedHashMap<>(modelSettings);
    requireNonNull(settings, "settings is null");
    requireNonNull(limits, "limits is null");
    provenance = new LinkedHashMap<>(provenance);
  }

  /**
   * The model argument with its location made absolute when it names a file here ({@code
   * onnx:model.onnx}); other locations (a server's URL) are kept as they are.
   */
  public static String modelSpec(String spec) {
    int colon = spec.indexOf(':');
    if (colon < 1) {
      return spec;
    }
    try {
      Path p = Path.of(spec.substring(colon + 1));
      return !p.isAbsolute() && Files.exists(p)
          ? spec.substring(0, colon + 1) + p.toAbsolutePath().normalize()
          : spec;
    } catch (InvalidPathException e) {
      return spec;
    }
  }

  /**
   * An engine builder with everything but the model, the estimator and the run's provenance: the
   * settings, the limits, the pool, the batch size, the pipeline's output kind and modalities, and
   * the model batches run at once.
   */
  public DimeBuilder base(
      PluginRegistry registry,
      PipelineFile pipe,
      List<Modality<?>> modalities,
      List<Datapoint> pool) {
    DimeBuilder b =
        settings
            .configure(Dime.builder(), registry)
            .referencePool(pool)
            .batchSize(batchSize)
            .limits(limits);
    if (inferenceThreads != null) {
      b.inferenceThreads(inferenceThreads);
    }
    if (pipe.kind() != null) {
      b.outputKind(pipe.kind());
    }
    modalities.forEach(b::modality);
    return b;
  }

  /** The job's engine builder, from the parts this machine has read and opened. */
  public DimeBuilder configure(
      PluginRegistry registry,
      PipelineFile pipe,
      List<Modality<?>> modalities,
      List<Datapoint> pool,
      MultimodalModel model) {
    DimeBuilder b =
        base(registry, pipe, modalities, pool)
            .model(model)
            .estimator(settings.estimatorInstance(limits.maxPassesPerPoint()));
    provenance.forEach(b::provenance);
    return b;
  }

  /**
   * Makes the engine on this machine: loads the plugins, reads the pipeline and the pool's lines,
   * opens the model. Its callers explain up to as many datapoints at once as the processors.
   */
  public Built open(PoolLines pool) {
    return open(pool, 1);
  }

  /**
   * Makes the engine on this machine, as {@link #open(PoolLines)}, for callers that explain up to
   * {@code pointsAtOnce} datapoints at once ({@link DimeBuilder#pointsAtOnce}: the model batches'
   * bytes are capped for the larger of that and the processors).
   */
  public Built open(PoolLines pool, int pointsAtOnce) {
    PluginRegistry registry = PluginRegistry.load(pluginDirs.stream().map(Path::of).toList());
    Path file = Path.of(pipeline);
    PipelineFile pipe = PipelineFile.read(file);
    List<Modality<?>> modalities = Pipelines.modalities(registry, pipe, file);
    List<Datapoint> points = pool.read(modalities, dataRootPath(), allowOutsidePaths);
    EncodedModel encoded = Pipelines.model(registry, model, pipe, modalities, modelSettings);
    try {
      return new Built(
          configure(registry, pipe, modalities, points, encoded).pointsAtOnce(pointsAtOnce).build(),
          encoded,
          modalities,
          this);
    } catch (RuntimeException e) {
      encoded.close();
      throw e;
    }
  }

  /** The data root as a path, or null for each manifest's own folder. */
  public Path dataRootPath() {
    return dataRoot == null ? null : Path.of(dataRoot);
  }

  /** This recipe as one JSON object. */
  public String toJson() {
    return Json.line(this);
  }

  /** A recipe from {@link #toJson}. */
  public static EngineRecipe fromJson(String json) {
    try {
      return Json.mapper().readValue(json, EngineRecipe.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not an engine recipe: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * An engine made from a recipe, with the model and modalities it was made with and the recipe;
   * closing it closes both the engine and the model.
   */
  public record Built(
      Dime engine, EncodedModel model, List<Modality<?>> modalities, EngineRecipe recipe)
      implements AutoCloseable {
    @Override
    public void close() {
      try {
        engine.close();
      } finally {
        model.close();
      }
    }
  }
}
