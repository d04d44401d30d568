package io.dime.spark;

import io.dime.api.run.ResultSink;
import io.dime.core.Dime;
import io.dime.core.job.JsonlManifest;
import io.dime.core.job.RecordExplainer;
import io.dime.core.job.RemoteExplainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.ShutdownHookManager;
import scala.runtime.BoxedUnit;

/**
 * Explains a job's records on Spark: the records become an RDD of their manifest lines, cut into
 * partitions of neighbouring records; the engine's recipe and the pool's lines are broadcast; each
 * partition makes its engine once and explains its records ({@link PartitionTask}); the results
 * come back in the records' order ({@link SparkResults}). Uses the session that is active (a
 * notebook's, spark-submit's, a test's) or starts one for the master, and stops only a session it
 * started.
 */
final class SparkExplainer implements RemoteExplainer {
  /** The most records in a partition unless {@code --partitions} says otherwise. */
  static final int MOST_RECORDS_PER_PARTITION = 50;

  /** Spark's limit on the total size of a job's task results. */
  static final String MAX_RESULT_SIZE = "spark.driver.maxResultSize";

  private final Setup setup;
  private final SparkSession spark;
  private final boolean started;
  private final ParquetSink parquet;
  private final Object quietOnSignal;

  private SparkExplainer(Setup setup, SparkSession spark, boolean started) {
    this.setup = setup;
    this.spark = spark;
    this.started = started;
    this.parquet = new ParquetSink(spark, setup.out().resolve(ParquetSink.FOLDER));
    this.quietOnSignal = started ? quietOnSignal(spark) : null;
  }

  /**
   * A signal (Ctrl-C, SIGTERM) ends the JVM mid-job: Spark's own shutdown hook then stops the
   * session under the running job, and logged an ERROR for every task it could no longer launch
   * ("Executor launch task ... rejected from ThreadPoolExecutor[Shutting down]") and a stack trace
   * for the broadcast it could not remove, burying dime's message that says what is kept and how to
   * resume. This hook runs just before Spark's (the higher priority runs first), turns off the
   * logging of the session DIME started and lets only dime's lines through standard error (Spark's
   * threads also print stack traces straight to it: {@link DimeLinesOnly}); {@link #close} removes
   * it when the job ends.
   */
  private static Object quietOnSignal(SparkSession spark) {
    return ShutdownHookManager.addShutdownHook(
        ShutdownHookManager.SPARK_CONTEXT_SHUTDOWN_PRIORITY() + 1,
        () -> {
          spark.sparkContext().setLogLevel("OFF");
          System.setErr(
              new java.io.PrintStream(
                  new DimeLinesOnly(System.err), true, java.nio.charset.StandardCharsets.UTF_8));
          return BoxedUnit.UNIT;
        });
  }

  static SparkExplainer open(Setup setup) {
    boolean existed = SparkSession.getDefaultSession().isDefined();
    return new SparkExplainer(setup, session(setup.master()), !existed);
  }

  /**
   * The active session, or one started for the master (empty: the one spark-submit set). A session
   * started here has no limit on the results' total size ({@value #MAX_RESULT_SIZE} 0) unless the
   * user's configuration sets one: Spark's limit (1 GiB by default) is on the sum of every task's
   * results over the whole job, not on what the driver holds at once, and this driver writes each
   * partition's results out as they come. With it, a job of some 40,000 of the demo's records (27
   * KB a line) failed when its results passed 1 GiB, however many partitions it had.
   */
  static SparkSession session(String master) {
    SparkSession.Builder b = SparkSession.builder().appName("dime explain");
    if (!master.isEmpty()) {
      b.master(master);
    }
    if (SparkSession.getDefaultSession().isEmpty() && !new SparkConf().contains(MAX_RESULT_SIZE)) {
      b.config(MAX_RESULT_SIZE, "0");
    }
    return b.getOrCreate();
  }

  @Override
  public List<ResultSink> sinks() {
    return List.of(parquet);
  }

  @Override
  public Results start(Request request) {
    if (request.work().isEmpty()) {
      return new Results() {
        @Override
        public Optional<Dime.Outcome> next() {
          return Optional.empty();
        }

        @Override
        public void cancel() {}

        @Override
        public void close() {}
      };
    }
    // the lines as the manifest was read (strict UTF-8, the same numbering)
    Map<Integer, String> lines =
        JsonlManifest.lines(
            setup.manifest(),
            request.work().stream().map(w -> w.record().line()).collect(Collectors.toSet()));
    List<WorkItem> items = new ArrayList<>();
    for (RecordExplainer.Work w : request.work()) {
      int line = w.record().line();
      if (!lines.containsKey(line)) {
        throw new IllegalStateException(
            "record "
                + w.record().id().orElse("?")
                + " has no line "
                + line
                + " in "
                + setup.manifest());
      }
      items.add(new WorkItem(w.index(), line, lines.get(line)));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int partitions = partitions(items.size(), setup.partitions(), jsc.defaultParallelism());
    Broadcast<JobSpec> spec =
        jsc.broadcast(
            JobSpec.of(
                setup.recipe(),
                setup.pool(),
                setup.manifest().toAbsolutePath().getParent().toString(),
                request.targets().toString()));
    jsc.setJobDescription(
        "dime explain: " + items.size() + " records of " + setup.manifest().getFileName());
    return SparkResults.submit(
        jsc.sc(), jsc.parallelize(items, partitions).rdd(), spec, request.work());
  }

  /**
   * How many partitions a job's records are cut into: as many as asked (at most one per record),
   * else 2 per Spark core and more, so that none holds more than {@link
   * #MOST_RECORDS_PER_PARTITION} records. A partition's results reach the driver, and {@code
   * explanations.jsonl}, only when it is done: with 2 per core alone, a job of 1,000 records on 2
   * cores wrote nothing until a quarter of it was done, and a run stopped before then (killed, a
   * lost driver) kept nothing to resume from.
   */
  static int partitions(int records, int requested, int parallelism) {
    if (requested > 0) {
      return Math.min(requested, records);
    }
    int bySize = (records + MOST_RECORDS_PER_PARTITION - 1) / MOST_RECORDS_PER_PARTITION;
    return Math.min(records, Math.max(2 * parallelism, bySize));
  }

  @Override
  public void close() {
    if (quietOnSignal != null && !ShutdownHookManager.inShutdown()) {
      ShutdownHookManager.removeShutdownHook(quietOnSignal);
    }
    if (started) {
      spark.stop();
    }
  }
}
