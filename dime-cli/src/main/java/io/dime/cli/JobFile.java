package io.dime.cli;

import io.dime.core.io.AtomicFiles;
import io.dime.core.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code job.json}: the inputs of a {@code dime explain} run (absolute paths, the seed, the plugin
 * directories), written beside its outputs so that {@code dime report OUT_DIR} can draw the report
 * again from the run's files without the model.
 *
 * @param pipeline the pipeline file
 * @param data the manifest
 * @param pool the pool manifest, or null for the data file
 * @param poolSize the pool subset's size, or null for the whole pool
 * @param seed the run's seed (featurizers and the pool subset use it)
 * @param plugins the plugin directories given with {@code --plugins}
 * @param dataRoot the {@code --data-root}, or null for each manifest's own folder
 * @param allowOutsidePaths whether {@code --allow-outside-paths} was given
 */
record JobFile(
    String pipeline,
    String data,
    String pool,
    Integer poolSize,
    long seed,
    List<String> plugins,
    String dataRoot,
    boolean allowOutsidePaths) {
  static final String NAME = "job.json";

  static JobFile of(
      Path pipeline,
      Path data,
      Path pool,
      Integer poolSize,
      long seed,
      List<Path> plugins,
      Path dataRoot,
      boolean allowOutsidePaths) {
    return new JobFile(
        pipeline.toAbsolutePath().toString(),
        data.toAbsolutePath().toString(),
        pool == null ? null : pool.toAbsolutePath().toString(),
        poolSize,
        seed,
        plugins.stream().map(p -> p.toAbsolutePath().toString()).toList(),
        dataRoot == null ? null : dataRoot.toAbsolutePath().toString(),
        allowOutsidePaths);
  }

  /** Where the files the manifests name may lie. */
  JobInputs.Access access() {
    return new JobInputs.Access(dataRoot == null ? null : Path.of(dataRoot), allowOutsidePaths);
  }

  void write(Path dir) throws IOException {
    String json = Json.pretty(this);
    AtomicFiles.write(dir.resolve(NAME), w -> w.write(json + "\n"));
  }

  static JobFile read(Path dir) throws IOException {
    Path file = dir.resolve(NAME);
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(
          "no " + NAME + " in " + dir + ": is it the output folder of dime explain?");
    }
    RunFiles.require(file, "");
    JobFile job;
    try {
      job = Json.mapper().readValue(file.toFile(), JobFile.class);
    } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
      throw new IllegalArgumentException(file + ": " + e.getOriginalMessage(), e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw RunFiles.notJson(file, e);
    }
    if (job == null || job.pipeline() == null || job.data() == null) {
      throw new IllegalArgumentException(file + ": names no pipeline or no data file");
    }
    return job;
  }
}
