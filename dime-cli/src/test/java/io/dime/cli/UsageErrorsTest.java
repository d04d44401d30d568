package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Option values a new user gets wrong (a sweep of the command line): each is a usage error (exit 2)
 * naming the option and the problem, before anything is written.
 */
class UsageErrorsTest {
  private static final Path MODEL = CliFixtures.onnxTestModel("nan_below.onnx");

  /** A two-vector pipeline, manifest and pool in {@code dir}. */
  private static void inputs(Path dir) throws IOException {
    Files.writeString(
        dir.resolve("pipeline.yaml"), CliFixtures.twoVectors(3, 2, "[\"no\", \"yes\"]"));
    String lines =
        """
        {"id": "r0", "a": [1, 0, 0], "b": [0, 1]}
        {"id": "r1", "a": [0, 1, 0], "b": [1, 1]}
        """;
    Files.writeString(dir.resolve("data.jsonl"), lines);
    Files.writeString(dir.resolve("pool.jsonl"), lines);
  }

  private static List<String> entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /**
   * An empty path (an unset shell variable: {@code --out "$OUT"}) was the working directory: {@code
   * explain --out ""} wrote explanations.jsonl, summary.json, job.json and report.html into it, and
   * {@code --data-root ""} made it the data root, without a word.
   */
  @Test
  void anEmptyPathIsRefusedNamingTheOption(@TempDir Path dir) throws IOException {
    inputs(dir);
    List<String> before = entries(dir);
    for (String option : List.of("--out", "--data-root", "--pool", "--pipeline", "--data")) {
      List<String> args =
          new ArrayList<>(List.of(CliFixtures.explain(MODEL, dir, "data.jsonl", "out", "--quiet")));
      int at = args.indexOf(option);
      if (at >= 0) {
        args.set(at + 1, "");
      } else {
        args.addAll(List.of(option, ""));
      }
      Map.Entry<Integer, String> r = CliFixtures.run(args.toArray(String[]::new));
      assertEquals(2, r.getKey(), option + ": " + r.getValue());
      assertTrue(
          r.getValue().contains("Invalid value for option '" + option + "': the path is empty"),
          option + ": " + r.getValue());
    }
    Map.Entry<Integer, String> log =
        CliFixtures.run(CliFixtures.explain(MODEL, dir, "data.jsonl", "out", "--log-json", ""));
    assertEquals(2, log.getKey(), log.getValue());
    assertTrue(log.getValue().contains("--log-json is empty"), log.getValue());
    assertEquals(before, entries(dir));
    Map.Entry<Integer, String> demo = CliFixtures.run("demo", "--out", "", "--inputs-only");
    assertEquals(2, demo.getKey(), demo.getValue());
    assertFalse(Files.exists(Path.of("fashion")), "the demo's inputs went to the working folder");
  }

  /**
   * The demo checked --threads and the similarity demo's --pairs bound only after it had copied its
   * inputs into --out, and with --inputs-only it took --samples, --threads, --pairs and --preset
   * and did nothing with them.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      value = {
        "--threads 0|--threads must be at least 1, found 0",
        "--threads 1025|--threads must be at most 1024, found 1025",
        "--similarity --pairs 13|--pairs must be 1 to 12, found 13",
        "--similarity --pairs 0|--pairs must be 1 to 12, found 0",
        "--inputs-only --samples 5|--samples does nothing with --inputs-only",
        "--inputs-only --threads 2|--threads does nothing with --inputs-only",
        "--inputs-only --preset fast|--preset does nothing with --inputs-only",
        "--similarity --inputs-only --pairs 2|--pairs does nothing with --inputs-only"
      })
  void demoOptionsAreCheckedBeforeAnythingIsCopied(
      String options, String message, @TempDir Path dir) {
    Path out = dir.resolve("out");
    List<String> args = new ArrayList<>(List.of("demo", "--out", out.toString(), "--quiet"));
    args.addAll(List.of(options.split(" ")));
    Map.Entry<Integer, String> r = CliFixtures.run(args.toArray(String[]::new));
    assertEquals(2, r.getKey(), r.getValue());
    assertTrue(r.getValue().contains(message), r.getValue());
    assertFalse(Files.exists(out), "the demo wrote into --out before refusing its options");
  }

  /** demo --synthetic took --threads and ran on every processor all the same. */
  @Test
  void theSyntheticDemoTakesThreads(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("out");
    Map.Entry<Integer, String> r =
        CliFixtures.run(
            "demo",
            "--synthetic",
            "--points",
            "1",
            "--threads",
            "1",
            "--out",
            out.toString(),
            "--quiet");
    assertEquals(0, r.getKey(), r.getValue());
    var json = io.dime.core.io.Json.mapper().readTree(out.resolve("synthetic-demo.json").toFile());
    assertEquals(1, json.get("threads").asInt(), json.toString());
  }

  /**
   * reproduce's --json was checked only when the results were written: a folder or a path under a
   * file failed the command after the whole experiment had run.
   */
  @Test
  void reproduceRefusesAJsonFileItCannotWriteBeforeAnyWork(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("a-file");
    Files.writeString(file, "x");
    String[][] cases = {
      {"synthetic", "--points", "1", "--samples", "20", "--references", "3", "--json", "DIR"},
      {"synthetic", "--points", "1", "--json", "FILE/under.json"},
      {"pointing", "--scenes", "1", "--samples", "20", "--references", "3", "--json", "DIR"},
      {"swap", "--scenes", "1", "--samples", "20", "--references", "3", "--json", "FILE/x.json"},
    };
    for (String[] c : cases) {
      List<String> args = new ArrayList<>(List.of("reproduce"));
      for (String a : c) {
        args.add(a.replace("DIR", dir.toString()).replace("FILE", file.toString()));
      }
      args.add("--quiet");
      Map.Entry<Integer, String> r = CliFixtures.run(args.toArray(String[]::new));
      assertEquals(2, r.getKey(), args + ": " + r.getValue());
      String want =
          c[c.length - 1].equals("DIR")
              ? " is a folder; give the path of the file to write"
              : " is a file, so no folder can be made under it";
      assertTrue(r.getValue().contains("--json ") && r.getValue().contains(want), r.getValue());
    }
  }

  /**
   * The engine's numbers were refused without naming the option given ("samples must be at least
   * 2", "sampled(R) needs R >= 1"), or naming three options for one ("--max-features,
   * --max-passes-per-point and --max-seconds-per-point must be positive").
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      value = {
        "--samples 0|--samples must be at least 2, found 0",
        "--batch-size 0|--batch-size must be at least 1, found 0",
        // each record failed in turn at the pass limit (exit 1); past an int the count wrapped
        "--samples 2147483647|--samples 2147483647, --references 50 and --replicates 1 need"
            + " 219043353565 model passes for every record by the sampled estimator's formula (one"
            + " class), over --max-passes-per-point 100000000: lower --samples, --references or"
            + " --replicates, or raise --max-passes-per-point",
        "--references 2147483647|--samples 1000, --references 2147483647 and --replicates 1 need",
        "--replicates 2147483647|--samples 1000, --references 50 and --replicates 2147483647 need",
        "--estimator anchored --references 2147483647 --samples 2147483647 --replicates 2147483647|"
            + "--samples 2147483647, --references 2147483647 and --replicates 2147483647 need over"
            + " 9223372036854775807 model passes for every record by the anchored",
        "--batch-size -1 --dry-run|--batch-size must be at least 1, found -1",
        "--references 0|--references must be at least 1 for the estimator sampled, found 0",
        "--estimator paper-faithful --references 1|"
            + "--references must be at least 2 for the estimator paper-faithful, found 1",
        "--replicates 0|--replicates must be at least 1, found 0",
        "--max-features 0|--max-features must be at least 1, found 0",
        "--max-passes-per-point -1|--max-passes-per-point must be at least 1, found -1",
        "--max-seconds-per-point NaN|"
            + "--max-seconds-per-point must be a number of seconds, 0 or more (0: no limit),"
            + " found NaN",
        // taken, and written to summary.json as the string "Infinity" where a number goes
        "--max-seconds-per-point Infinity|"
            + "--max-seconds-per-point must be a number of seconds, 0 or more (0: no limit),"
            + " found Infinity"
      })
  void anEngineNumberOutOfRangeNamesItsOption(String options, String message, @TempDir Path dir)
      throws IOException {
    inputs(dir);
    Map.Entry<Integer, String> r =
        CliFixtures.run(CliFixtures.explain(MODEL, dir, "data.jsonl", "out", options.split(" ")));
    assertEquals(2, r.getKey(), r.getValue());
    assertTrue(r.getValue().contains("dime: " + message), r.getValue());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  /**
   * --threads and --model-concurrency had no upper bound: a huge count made as many threads as it
   * could (running out of native threads), and from 2^29 the job's window of 4 x threads records
   * overflowed. Above 1024 they are usage errors before any file is read, naming the option, the
   * value and the cap; also for reproduce, and with --spark (where --model-concurrency sets each
   * executor's model batches).
   */
  @Test
  void threadCountsAboveTheCapAreRefusedBeforeAnyWork(@TempDir Path dir) throws IOException {
    inputs(dir);
    List<String> before = entries(dir);
    String why =
        " (each is a thread of its own, and threads far beyond the processors only wait their"
            + " turn)";
    String[][] cases = {
      {"--threads", "1025"}, {"--threads", "536870912"}, {"--model-concurrency", "2147483647"}
    };
    for (String[] c : cases) {
      Map.Entry<Integer, String> r =
          CliFixtures.run(CliFixtures.explain(MODEL, dir, "data.jsonl", "out", c));
      assertEquals(2, r.getKey(), r.getValue());
      assertEquals(
          "dime: " + c[0] + " must be at most 1024, found " + c[1] + why, r.getValue().strip());
    }
    Map.Entry<Integer, String> spark =
        CliFixtures.run(
            CliFixtures.explain(
                MODEL,
                dir,
                "data.jsonl",
                "out",
                "--spark",
                "local[1]",
                "--model-concurrency",
                "1025"));
    assertEquals(2, spark.getKey(), spark.getValue());
    assertEquals(
        "dime: --model-concurrency must be at most 1024, found 1025" + why,
        spark.getValue().strip());
    assertEquals(before, entries(dir), "nothing is written");
    Map.Entry<Integer, String> reproduce =
        CliFixtures.run("reproduce", "synthetic", "--points", "1", "--threads", "1025", "--quiet");
    assertEquals(2, reproduce.getKey(), reproduce.getValue());
    assertEquals(
        "dime: --threads must be at most 1024, found 1025" + why, reproduce.getValue().strip());
  }

  /**
   * reproduce pointing and swap took --batch-size 0 and failed later with the engine's "batchSize
   * must be at least 1", naming no option.
   */
  @Test
  void reproduceRefusesABatchSizeBelowOneNamingTheOption() {
    for (String experiment : List.of("pointing", "swap")) {
      Map.Entry<Integer, String> r =
          CliFixtures.run("reproduce", experiment, "--batch-size", "0", "--quiet");
      assertEquals(2, r.getKey(), r.getValue());
      assertTrue(
          r.getValue().startsWith("dime: --batch-size must be at least 1, found 0"), r.getValue());
    }
  }

  /** {@code dime} alone printed the help with exit 0; {@code dime reproduce} alone exits 2. */
  @Test
  void noCommandIsAUsageError() {
    Map.Entry<Integer, String> r = CliFixtures.run();
    assertEquals(2, r.getKey(), r.getValue());
    assertTrue(
        r.getValue().startsWith("dime: no command given; dime --help lists them"), r.getValue());
    assertTrue(r.getValue().contains("Usage: dime [-hV] [COMMAND]"), r.getValue());
  }

  /** explain --spark MASTER --partitions 0 was told that --partitions "goes with --spark". */
  @Test
  void partitionsOutOfRangeWithSparkSaysTheBound(@TempDir Path dir) throws IOException {
    inputs(dir);
    Map.Entry<Integer, String> r =
        CliFixtures.run(
            CliFixtures.explain(
                MODEL, dir, "data.jsonl", "out", "--spark", "local[1]", "--partitions", "0"));
    assertEquals(2, r.getKey(), r.getValue());
    assertTrue(
        r.getValue().contains("dime: --partitions must be at least 1, found 0"), r.getValue());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  /**
   * --quiet's help said "no progress bar or messages on standard error (errors still go there)",
   * but a quiet run still prints its warnings (the hidden-feature check's): the help says so now.
   */
  @Test
  void quietsHelpSaysWhatItStillPrints(@TempDir Path dir) throws IOException {
    inputs(dir);
    Map.Entry<Integer, String> r =
        CliFixtures.run(
            CliFixtures.explain(
                MODEL,
                dir,
                "data.jsonl",
                "out",
                "--quiet",
                "--samples",
                "20",
                "--references",
                "2"));
    assertEquals(0, r.getKey(), r.getValue());
    assertTrue(r.getValue().contains("dime: warning: with all of 'a' hidden"), r.getValue());
    assertFalse(r.getValue().contains("explained 2"), r.getValue());
    String help =
        new picocli.CommandLine(new Main())
            .getSubcommands()
            .get("explain")
            .getUsageMessage()
            .replaceAll("\\s+", " ");
    assertTrue(
        help.contains(
            "--quiet no progress bar, closing line, failed records' errors or small-pool caution"
                + " on standard error (failed records keep their error lines in the output"
                + " and exit code 1; usage errors, the job's own errors and the other warnings"
                + " still go there)"),
        help);
  }
}
