package io.dime.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.cli.Main;
import io.dime.core.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    Path out = onSpark(2);
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
    assertEquals(ParquetSink.SCHEMA.fieldNames().length, 9);
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
    String[] args = job.args(out, "--partitions", "2");
    assertEquals(1, SparkExplain.run(Arrays.copyOfRange(args, 1, args.length)));
    assertEquals(explanations(local), explanations(out));
    assertTrue(Files.isDirectory(out.resolve("parquet")));
    assertEquals(2, SparkExplain.run("--spark", "local[2]"), "spark-submit sets the master");
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
                "(explainSeconds|secondsPerPoint|totalSeconds)</th><td class=\"num\">[^<]*",
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
