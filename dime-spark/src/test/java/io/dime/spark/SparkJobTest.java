package io.dime.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.adapter.oip.testserver.OipServerProcess;
import io.dime.cli.Main;
import io.dime.core.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code dime explain --spark} on the demo's data, model and pipeline: the output folder is the
 * single-machine one (explanations.jsonl line for line, summary.json, report.html) whatever the
 * number of partitions, timings aside, with every estimator; a record that fails is an error line
 * and row; the Parquet rows are the JSON results; a resumed job sends only the rest to Spark; the
 * spark-submit main runs the same job.
 */
class SparkJobTest {
  @TempDir static Path dir;
  private static SparkSession spark;
  private static DemoJob job;
  private static Path local;
  private static final Map<Integer, Path> SPARK_RUNS = new HashMap<>();

  @BeforeAll
  static void start() throws IOException {
    spark = LocalSpark.start();
    job = new DemoJob(dir, 6);
    local = dir.resolve("local");
    assertEquals(1, Main.run(job.args(local)), "one record cannot be read, one fails");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** The job on Spark with that many partitions, run once for the tests that read it. */
  private static Path onSpark(int partitions) {
    return SPARK_RUNS.computeIfAbsent(
        partitions,
        n -> {
          Path out = dir.resolve("spark-" + n);
          String[] args = job.args(out, "--spark", "local[2]", "--partitions", Integer.toString(n));
          assertEquals(1, Main.run(args));
          return out;
        });
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 4})
  void theOutputIsTheSingleMachinesWhateverThePartitions(int partitions) throws IOException {
    Path out = onSpark(partitions);
    assertEquals(explanations(local), explanations(out));
    assertEquals(
        withoutTimings(read(local, "summary.json")), withoutTimings(read(out, "summary.json")));
    assertEquals(withoutTimes(read(local, "report.html")), withoutTimes(read(out, "report.html")));
  }

  /** The estimators that prepare something per engine (reference sets, the paper's table). */
  @ParameterizedTest
  @ValueSource(strings = {"exact", "paper-faithful"})
  void estimatorsThatPrepareGiveTheSingleMachinesExplanations(String estimator) throws IOException {
    Path one = dir.resolve(estimator + "-local");
    Path many = dir.resolve(estimator + "-spark");
    assertEquals(1, Main.run(job.args(one, "--estimator", estimator)));
    assertEquals(
        1,
        Main.run(
            job.args(many, "--estimator", estimator, "--spark", "local[2]", "--partitions", "3")));
    assertEquals(explanations(one), explanations(many));
  }

  @Test
  void aRecordThatFailsIsAnErrorLineAndRowNotAFailedJob() throws IOException {
    Path out = onSpark(2);
    List<String> lines = Files.readAllLines(out.resolve("explanations.jsonl"));
    assertEquals(8, lines.size());
    JsonNode missing = Json.mapper().readTree(lines.get(2));
    assertEquals("read", missing.at("/error/stage").asText(), lines.get(2));
    JsonNode unicorn = Json.mapper().readTree(lines.get(4));
    assertEquals("input", unicorn.at("/error/stage").asText(), lines.get(4));
    assertTrue(unicorn.at("/error/message").asText().contains("unicorn"), lines.get(4));
    JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
    assertEquals(6, summary.at("/counts/explained").asInt(), summary.toString());
    assertEquals(2, summary.at("/counts/failed").asInt(), summary.toString());
  }

  @Test
  void theParquetRowsAreTheJsonResults() throws IOException {
    parquetHoldsTheJsonResults(onSpark(2));
    assertEquals(ParquetSink.SCHEMA.fieldNames().length, 9);
  }

  /** The rows of {@code out/parquet} are the results of {@code out/explanations.jsonl}. */
  private static void parquetHoldsTheJsonResults(Path out) throws IOException {
    List<String> expected = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("explanations.jsonl"))) {
      JsonNode n = Json.mapper().readTree(line);
      if (n.has("error")) {
        expected.add(
            String.join(
                "|",
                n.get("id").asText("null"),
                n.get("line").asText(),
                n.at("/error/stage").asText(),
                n.at("/error/message").asText()));
        continue;
      }
      for (JsonNode c : n.get("classes")) {
        for (JsonNode t : c.get("decomposition")) {
          expected.add(
              String.join(
                  "|",
                  n.get("id").asText(),
                  c.get("classIndex").asText(),
                  c.get("className").asText(),
                  t.get("key").asText(),
                  Double.toString(t.get("value").asDouble()),
                  Double.toString(t.get("standardError").asDouble())));
        }
      }
    }
    List<String> actual = new ArrayList<>();
    for (Row r : spark.read().parquet(out.resolve("parquet").toString()).collectAsList()) {
      actual.add(
          r.isNullAt(r.fieldIndex("error"))
              ? String.join(
                  "|",
                  r.getString(0),
                  Integer.toString(r.getInt(2)),
                  r.getString(3),
                  r.getString(4),
                  Double.toString(r.getDouble(5)),
                  Double.toString(r.getDouble(6)))
              : String.join(
                  "|",
                  String.valueOf(r.getString(0)),
                  Integer.toString(r.getInt(1)),
                  r.getString(7),
                  r.getString(8)));
    }
    expected.sort(null);
    actual.sort(null);
    assertEquals(expected, actual);
  }

  /**
   * An output folder whose name holds a space, {@code #} and {@code %20}: the Parquet rows are in
   * its {@code parquet} folder, not in one named after its URI ({@code a%20b%23c%2520d}).
   */
  @Test
  void theParquetFolderIsInAnOutputFolderOfAnyName() throws IOException {
    Path parent = Files.createDirectories(dir.resolve("a b#c%20d"));
    Path out = parent.resolve("out");
    assertEquals(1, Main.run(job.args(out, "--spark", "local[2]", "--partitions", "2")));
    Path parquet = out.resolve("parquet");
    assertTrue(Files.exists(parquet.resolve("_SUCCESS")), "the rows are in " + parquet);
    try (var siblings = Files.list(dir)) {
      List<String> names = siblings.map(p -> p.getFileName().toString()).toList();
      assertFalse(names.contains("a%20b%23c%2520d"), names.toString());
    }
    long rows = spark.read().parquet(ParquetSink.location(parquet)).count();
    assertEquals(
        spark.read().parquet(onSpark(2).resolve("parquet").toString()).count(),
        rows,
        "the same rows as a run into a plain folder");
  }

  /**
   * The engine fails to open on the executors (a served model gone since the driver opened it):
   * exit 3, and the message is the model's own, not the empty one of the refused connection deep in
   * its causes ("the Spark job failed: null"), nor a stack trace.
   */
  @Test
  void aFailureOnTheExecutorsIsToldInTheTasksOwnWords() {
    FlakyModelPlugin.OPENS.set(0);
    String[] args = job.args(dir.resolve("flaky"), "--spark", "local[2]", "--partitions", "2");
    assertEquals("--model", args[1]);
    args[2] = "flaky:" + job.model;
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int rc;
    try {
      rc = Main.run(args);
    } finally {
      System.setErr(old);
    }
    String said = err.toString(StandardCharsets.UTF_8);
    assertEquals(3, rc, said);
    assertTrue(FlakyModelPlugin.OPENS.get() > 1, "the executors opened the model again");
    assertTrue(
        said.startsWith(
            "dime: the job failed: the Spark job failed: model 'flaky:"
                + job.model
                + "': the server went away (opened "),
        said);
    assertFalse(said.contains("\tat "), said);
  }

  /**
   * Without --partitions no partition holds more than 50 records, for a partition's lines reach
   * explanations.jsonl only when it is done: 450 records on local[2] are cut into 9 partitions, not
   * 4 (2 per core), and the output is the single machine's.
   */
  @Test
  void aLargeJobIsCutIntoPartitionsOfAtMost50Records() throws Exception {
    List<String> lines = new ArrayList<>();
    String first = Files.readAllLines(job.manifest).get(0);
    assertTrue(first.contains("\"id\": \"d00\""), first);
    for (int i = 0; i < 450; i++) { // each fails fast on the executors: its label is no class
      lines.add(
          first
              .replace("\"id\": \"d00\"", "\"id\": \"u" + i + "\"")
              .replaceFirst("\"label\": \"[a-z]+\"", "\"label\": \"unicorn\""));
    }
    Path many = job.data.resolve("many.jsonl");
    Files.write(many, lines, StandardCharsets.UTF_8);
    Path one = dir.resolve("many-local");
    assertEquals(1, Main.run(dataArg(job.args(one), many)));
    List<Integer> tasks = new CopyOnWriteArrayList<>();
    SparkListener count =
        new SparkListener() {
          @Override
          public void onStageSubmitted(SparkListenerStageSubmitted stage) {
            tasks.add(stage.stageInfo().numTasks());
          }
        };
    spark.sparkContext().addSparkListener(count);
    Path out = dir.resolve("many-spark");
    try {
      assertEquals(1, Main.run(dataArg(job.args(out, "--spark", "local[2]"), many)));
      for (int wait = 0; wait < 100 && tasks.isEmpty(); wait++) {
        Thread.sleep(100); // the listener bus delivers on its own thread
      }
    } finally {
      spark.sparkContext().removeSparkListener(count);
    }
    assertEquals(
        9, tasks.get(0), "the explaining stage's tasks; then the Parquet writer's " + tasks);
    assertEquals(explanations(one), explanations(out));
  }

  @Test
  void aResumedJobSendsOnlyTheRestToSpark() throws IOException {
    Path out = dir.resolve("resumed");
    Files.createDirectories(out);
    List<String> first = Files.readAllLines(local.resolve("explanations.jsonl")).subList(0, 4);
    Files.write(out.resolve("explanations.jsonl"), first, StandardCharsets.UTF_8);
    assertEquals(1, Main.run(job.args(out, "--spark", "local[2]", "--partitions", "3")));
    JsonNode counts = Json.mapper().readTree(out.resolve("summary.json").toFile()).get("counts");
    assertEquals(3, counts.get("resumed").asInt(), counts.toString());
    assertEquals(4, counts.get("explainedThisRun").asInt(), counts.toString());
    assertEquals(explanations(local), explanations(out));
  }

  @Test
  void theSparkSubmitMainRunsTheJob() throws IOException {
    Path out = dir.resolve("submitted");
    String[] args = job.args(out, "--spark", "local[2]", "--partitions", "2");
    List<String> submitted = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
    int spark = submitted.indexOf("--spark");
    submitted.subList(spark, spark + 2).clear(); // spark-submit sets the master
    assertEquals(1, SparkExplain.run(submitted.toArray(String[]::new)));
    assertEquals(explanations(local), explanations(out));
    assertTrue(Files.isDirectory(out.resolve("parquet")));
    assertEquals(2, SparkExplain.run("--spark", "local[2]"), "spark-submit sets the master");
  }

  /**
   * Spark and OIP together: the partitions' engine (one per executor JVM) calls one OIP test server
   * (a separate process serving the demo's ONNX file), whose faults the adapter's retries outlast
   * on the executors (the model settings travel in the recipe); the explanations are the in-process
   * ones, timings and the model's provenance (which names the adapter) aside.
   */
  @Test
  void aSparkJobWhosePartitionsCallOneOipServerGivesTheInProcessExplanations() throws IOException {
    Path inProcess = dir.resolve("onnx-concurrency-2");
    assertEquals(1, Main.run(job.args(inProcess, "--model-concurrency", "2")));
    try (OipServerProcess server = OipServerProcess.start(Map.of("fashion_vqa", job.model))) {
      server.faults(
          "[{\"kind\": \"status\", \"status\": 503, \"count\": 2}, {\"kind\": \"drop\"},"
              + " {\"kind\": \"status\", \"status\": 429}]");
      server.resetStats();
      Path out = dir.resolve("oip");
      String[] args =
          job.args(
              out,
              "--spark",
              "local[2]",
              "--partitions",
              "3",
              "--model-concurrency",
              "2",
              "--model-retries",
              "4",
              "--model-timeout",
              "30");
      assertEquals("--model", args[1]);
      args[2] = "oip:" + server.url("fashion_vqa");
      assertEquals(1, Main.run(args), "one record cannot be read, one fails");
      assertEquals(0, server.faults("[]"), "every fault was met and outlasted");
      JsonNode stats = server.stats();
      assertTrue(stats.path("infer").asInt() > 20, stats.toString());
      assertTrue(stats.path("maxInFlight").asInt() <= 2, stats.toString());
      List<String> want = withoutModel(inProcess, "onnx");
      assertEquals(8, want.size());
      assertEquals(want, withoutModel(out, "oip"));
    }
  }

  /**
   * The explanation lines without timings and, after checking its adapter, the model's provenance.
   */
  private static List<String> withoutModel(Path out, String adapter) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("explanations.jsonl"))) {
      ObjectNode n = (ObjectNode) Json.mapper().readTree(line);
      n.remove("timings");
      if (n.get("provenance") instanceof ObjectNode p) {
        assertEquals(adapter, p.at("/model/adapter").asText(), line);
        p.remove("model");
      }
      lines.add(Json.line(n));
    }
    return lines;
  }

  /**
   * A manifest elsewhere whose lines name the scenes by absolute path under --data-root: the
   * executors read them under the same root (not the manifest's folder, where they would be
   * outside), and the output is the single-machine one, input digests included.
   */
  @Test
  void absolutePathsUnderADataRootAreReadOnTheExecutors() throws IOException {
    Path manifests = Files.createDirectories(dir.resolve("manifests"));
    Path absolute = manifests.resolve("absolute.jsonl");
    String scenes = job.data.resolve("scenes").toAbsolutePath() + "/";
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(job.manifest)) {
      lines.add(line.replace("\"scenes/", "\"" + scenes));
    }
    Files.write(absolute, lines, StandardCharsets.UTF_8);
    String root = job.data.toString();
    Path one = dir.resolve("root-local");
    Path many = dir.resolve("root-spark");
    assertEquals(1, Main.run(dataArg(job.args(one, "--data-root", root), absolute)));
    assertEquals(
        1,
        Main.run(
            dataArg(
                job.args(many, "--data-root", root, "--spark", "local[2]", "--partitions", "3"),
                absolute)));
    List<String> want = explanations(one);
    assertEquals(want, explanations(many));
    long explained = want.stream().filter(l -> l.contains("\"inputDigest\"")).count();
    assertEquals(6, explained, "every readable record is explained, with its input digest");
  }

  private static String[] dataArg(String[] args, Path manifest) {
    int i = Arrays.asList(args).indexOf("--data");
    args[i + 1] = manifest.toString();
    return args;
  }

  /**
   * The model-fault policy on Spark: a real ONNX model that answers NaN for some records stops the
   * job after --max-model-failures in a row, counted in manifest order as on one machine (exit code
   * 3, one message, the Spark job cancelled); a rerun on Spark resumes and ends with the
   * single-machine output.
   */
  @Test
  void modelFailuresInARowStopTheSparkJobAndARerunResumes() throws IOException {
    Path faults = Files.createDirectories(dir.resolve("faults"));
    NanJob nan = new NanJob(faults, 12, List.of(3, 4, 5, 6, 7, 8));
    Path whole = faults.resolve("local");
    Map.Entry<Integer, String> clean = nan.run(whole, "--max-model-failures", "0");
    assertEquals(1, clean.getKey(), clean.getValue());
    List<String> want = explanations(whole);
    assertEquals(12, want.size());

    Path out = faults.resolve("spark");
    Map.Entry<Integer, String> first =
        nan.run(out, "--spark", "local[2]", "--partitions", "4", "--max-model-failures", "3");
    assertEquals(3, first.getKey(), first.getValue());
    assertTrue(
        first.getValue().contains("the job stopped: the model failed on 3 records in a row"),
        first.getValue());
    assertTrue(first.getValue().contains("NaN"), first.getValue());
    List<String> kept = explanations(out);
    // records 0-5 are delivered (the third failure in a row is record 5); results that came back
    // before the driver cancelled the Spark job are delivered too, as on one machine
    assertTrue(kept.size() >= 6, "kept " + kept.size());
    assertEquals(want.subList(0, kept.size()), kept);
    assertTrue(Files.notExists(out.resolve("summary.json")));
    // the stopped run's Parquet rows are those of the records it kept (they were dropped)
    parquetHoldsTheJsonResults(out);

    Map.Entry<Integer, String> second =
        nan.run(out, "--spark", "local[2]", "--partitions", "4", "--max-model-failures", "0");
    assertEquals(1, second.getKey(), second.getValue());
    assertEquals(want, explanations(out));
  }

  private static List<String> explanations(Path out) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("explanations.jsonl"))) {
      lines.add(withoutTimings(line));
    }
    return lines;
  }

  private static String read(Path out, String file) throws IOException {
    return Files.readString(out.resolve(file), StandardCharsets.UTF_8);
  }

  /** The report without its wall times (the summary's timings, each card's seconds). */
  private static String withoutTimes(String html) {
    String masked =
        html.replaceAll(
                "(explainSeconds|latencySecondsPerPoint|secondsPerPoint|totalSeconds)</th><td class=\"num\">[^<]*",
                "$1</th><td>")
            .replaceAll("· [0-9.]+ s, of which model [0-9.]+ s", "· s");
    assertTrue(masked.length() > 10_000, "the report is drawn");
    return masked;
  }

  private static String withoutTimings(String json) throws IOException {
    JsonNode n = Json.mapper().readTree(json);
    if (n instanceof ObjectNode o) {
      o.remove("timings");
    }
    return Json.line(n);
  }
}
