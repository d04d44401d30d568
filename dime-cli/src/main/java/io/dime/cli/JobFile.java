package io.dime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.api.Explanation;
import io.dime.api.Provenance;
import io.dime.core.io.AtomicFiles;
import io.dime.core.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code job.json}: the inputs of a {@code dime explain} run (absolute paths, the seed, the plugin
 * directories), written beside its outputs so that {@code dime report OUT_DIR} can draw the report
 * again from the run's files without the model. Like the run's other JSON documents it carries the
 * {@link Explanation#SCHEMA_VERSION schemaVersion} and the engine's provenance; a file written
 * before it had them is read as version 1, and another version is refused.
 *
 * @param schemaVersion {@link Explanation#SCHEMA_VERSION}; null in a file written before job.json
 *     had one
 * @param pipeline the pipeline file
 * @param data the manifest
 * @param pool the pool manifest, or null for the data file
 * @param poolSize the pool subset's size, or null for the whole pool
 * @param seed the run's seed (featurizers and the pool subset use it)
 * @param plugins the plugin directories given with {@code --plugins}
 * @param dataRoot the {@code --data-root}, or null for each manifest's own folder
 * @param allowOutsidePaths whether {@code --allow-outside-paths} was given
 * @param provenance the engine's provenance (as in {@code summary.json}); null before the job
 *     started, and in a file written before job.json had one
 */
record JobFile(
    Integer schemaVersion,
    String pipeline,
    String data,
    String pool,
    Integer poolSize,
    long seed,
    List<String> plugins,
    String dataRoot,
    boolean allowOutsidePaths,
    Provenance provenance) {
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
        Explanation.SCHEMA_VERSION,
        pipeline.toAbsolutePath().toString(),
        data.toAbsolutePath().toString(),
        pool == null ? null : pool.toAbsolutePath().toString(),
        poolSize,
        seed,
        plugins.stream().map(p -> p.toAbsolutePath().toString()).toList(),
        dataRoot == null ? null : dataRoot.toAbsolutePath().toString(),
        allowOutsidePaths,
        null);
  }

  /** This file with the engine's provenance, known once the job has started. */
  JobFile withProvenance(Provenance p) {
    return new JobFile(
        schemaVersion,
        pipeline,
        data,
        pool,
        poolSize,
        seed,
        plugins,
        dataRoot,
        allowOutsidePaths,
        p);
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
      JsonNode tree = Json.mapper().readTree(file.toFile());
      // checked before the fields: a newer file may hold fields this DIME does not know
      JsonNode version = tree == null ? null : tree.get("schemaVersion");
      if (version != null
          && !(version.isInt() && version.intValue() == Explanation.SCHEMA_VERSION)) {
        throw new IllegalArgumentException(
            file
                + ": schemaVersion "
                + version
                + " is not one this DIME reads ("
                + Explanation.SCHEMA_VERSION
                + "); draw it with the DIME that wrote it");
      }
      job = Json.mapper().treeToValue(tree, JobFile.class);
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
