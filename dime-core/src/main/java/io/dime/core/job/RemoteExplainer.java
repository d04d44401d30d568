package io.dime.core.job;

import static java.util.Objects.requireNonNull;

import io.dime.api.run.ResultSink;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link RecordExplainer} that explains on other machines, each of which makes the job's engine
 * from its {@link EngineRecipe} and the pool's lines and reads its records from their manifest
 * lines; the results come back to this machine, where the job delivers them to its sinks. Made by a
 * {@link RemoteExplainerProvider} (dime-spark's is named "spark").
 */
public interface RemoteExplainer extends RecordExplainer, AutoCloseable {
  /**
   * What a remote explainer is opened with.
   *
   * @param master where to run, in the cluster's own terms (Spark: {@code local[2]}, {@code
   *     spark://host:7077}, {@code yarn}); empty for the cluster's default (as spark-submit sets
   *     it)
   * @param recipe how every machine makes the engine
   * @param pool the reference pool's lines
   * @param manifest the manifest the job's records come from (their lines are read from it)
   * @param out the job's output folder (for the explainer's own sinks)
   * @param partitions how many parts to cut the records into; 0 for the explainer's default
   */
  record Setup(
      String master, EngineRecipe recipe, PoolLines pool, Path manifest, Path out, int partitions) {
    public Setup {
      requireNonNull(master, "master is null");
      requireNonNull(recipe, "recipe is null");
      requireNonNull(pool, "pool is null");
      requireNonNull(manifest, "manifest is null");
      requireNonNull(out, "out is null");
      if (partitions < 0) {
        throw new IllegalArgumentException("partitions must be >= 0, found " + partitions);
      }
    }
  }

  /** Sinks the explainer adds to the job's own (dime-spark: the Parquet rows under OUT/parquet). */
  List<ResultSink> sinks();

  /** Ends what {@link RemoteExplainerProvider#open} started (a Spark session it created). */
  @Override
  void close();
}
