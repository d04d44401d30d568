package io.dime.spark;

import static java.util.Objects.requireNonNull;

import io.dime.core.io.Json;
import io.dime.core.job.EngineRecipe;
import io.dime.core.job.PoolLines;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * What every partition of a job needs besides its records, broadcast once: the engine's recipe and
 * the reference pool's manifest lines (each partition reads the same pool datapoints in the same
 * order from them), both as JSON, the data manifest's folder (relative paths in its lines resolve
 * against it) and the classes to explain.
 *
 * @param job the job's id (a random UUID), under which its executors share an engine
 * @param recipe the {@link EngineRecipe} as JSON
 * @param pool the {@link PoolLines} as JSON
 * @param manifestBase the data manifest's folder, absolute
 * @param targets the classes to explain, as {@code --classes} names them
 */
record JobSpec(String job, String recipe, String pool, String manifestBase, String targets)
    implements Serializable {
  JobSpec {
    requireNonNull(job, "job is null");
    requireNonNull(recipe, "recipe is null");
    requireNonNull(pool, "pool is null");
    requireNonNull(manifestBase, "manifestBase is null");
    requireNonNull(targets, "targets is null");
  }

  static JobSpec of(EngineRecipe recipe, PoolLines pool, String manifestBase, String targets) {
    return new JobSpec(
        UUID.randomUUID().toString(), recipe.toJson(), Json.line(pool), manifestBase, targets);
  }

  EngineRecipe engineRecipe() {
    return EngineRecipe.fromJson(recipe);
  }

  PoolLines poolLines() {
    try {
      return Json.mapper().readValue(pool, PoolLines.class);
    } catch (IOException e) {
      throw new UncheckedIOException("the broadcast pool does not read back", e);
    }
  }
}
