package io.dime.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.core.EngineLimits;
import io.dime.core.infer.BatchBytes;
import io.dime.core.job.EngineRecipe;
import io.dime.core.job.PoolLines;
import io.dime.core.pipeline.EngineSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor's engine is told that the executor explains as many datapoints at once as it has
 * cores (its task slots times each task's cores), so that its batches' bytes are capped for all of
 * them, as {@code dime explain --threads} caps a single machine's.
 */
class ExecutorEnginesTest {
  @Test
  void anExecutorsEngineCapsItsBatchesForEveryCoreOfTheExecutor(@TempDir Path dir)
      throws IOException {
    int processors = Runtime.getRuntime().availableProcessors();
    long heap = Runtime.getRuntime().maxMemory();
    // more cores than processors, and enough that heap / (8 x cores) is under the cap's other terms
    int cores = 2 * (int) Math.max(Math.max(processors, 2), heap / (512L << 20) + 1);
    assertTrue(BatchBytes.forPoints(cores) < BatchBytes.forPoints(processors));
    new NanJob(dir, 1, List.of());
    List<String> pool = Files.readAllLines(dir.resolve("pool.jsonl"), StandardCharsets.UTF_8);
    EngineRecipe recipe =
        new EngineRecipe(
            List.of(),
            dir.resolve("pipeline.yaml").toString(),
            "onnx:" + NanJob.MODEL,
            Map.of(),
            null,
            new EngineSettings(
                "sampled", 8, Optional.empty(), 60, "lime", 1, 1, 1, Optional.empty(), "default"),
            EngineLimits.DEFAULTS,
            32,
            null,
            false,
            Map.of());
    PoolLines lines =
        new PoolLines(dir.toString(), IntStream.rangeClosed(1, pool.size()).boxed().toList(), pool);
    JobSpec spec = JobSpec.of(recipe, lines, dir.toString(), "predicted");
    SparkSession spark = LocalSpark.start("local[" + cores + "]");
    try {
      assertEquals("local[" + cores + "]", spark.sparkContext().master(), "a session of its own");
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Broadcast<JobSpec> b = jsc.broadcast(spec);
      long cap =
          jsc.parallelize(List.of(1), 1)
              .map(
                  x -> {
                    try {
                      return ExecutorEngines.acquire(b.value()).engine().batchBytes();
                    } finally {
                      ExecutorEngines.release(b.value());
                    }
                  })
              .collect()
              .get(0);
      assertEquals(BatchBytes.forPoints(cores), cap);
    } finally {
      ExecutorEngines.close(spec.job());
      spark.stop();
    }
  }

  @Test
  void theExecutorsCoresFromTheMasterOrTheExecutorCores() {
    int processors = Runtime.getRuntime().availableProcessors();
    assertEquals(1, ExecutorEngines.cores(new SparkConf(false).setMaster("local")));
    assertEquals(12, ExecutorEngines.cores(new SparkConf(false).setMaster("local[12]")));
    assertEquals(12, ExecutorEngines.cores(new SparkConf(false).setMaster("local[12, 3]")));
    assertEquals(
        processors, ExecutorEngines.cores(new SparkConf(false).setMaster("local[99999999999]")));
    assertEquals(processors, ExecutorEngines.cores(new SparkConf(false).setMaster("local[*]")));
    assertEquals(processors, ExecutorEngines.cores(new SparkConf(false).setMaster("local[*,2]")));
    assertEquals(
        3, ExecutorEngines.cores(new SparkConf(false).setMaster("local-cluster[2, 3, 1024]")));
    SparkConf standalone = new SparkConf(false).setMaster("spark://host:7077");
    assertEquals(processors, ExecutorEngines.cores(standalone), "standalone's default: every core");
    assertEquals(5, ExecutorEngines.cores(standalone.set("spark.executor.cores", "5")));
    assertEquals(
        7,
        ExecutorEngines.cores(
            new SparkConf(false).setMaster("local[7]").set("spark.executor.cores", "5")),
        "local mode ignores spark.executor.cores");
  }
}
