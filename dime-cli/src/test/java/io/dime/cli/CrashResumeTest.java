package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.core.io.Json;
import io.dime.demo.DemoData;
import io.dime.demo.DemoModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash and resume: {@code dime explain} runs in its own JVM and is killed with SIGKILL at a random
 * moment; rerunning the same command finishes the job, and the final {@code explanations.jsonl},
 * {@code summary.json} and the report's data are byte-identical (timings aside) to an uninterrupted
 * run with the same seed. Each cycle starts from an empty output folder, kills the first run at a
 * seeded random moment between 30% and 100% of the uninterrupted run's duration (its JVM starts
 * first), kills the rerun too in every other cycle, and then lets a third run finish.
 *
 * <p>CI runs {@value #CI_CYCLES} cycles; the full proof is 20 or more: {@code ./mvnw -o -B install
 * -Djacoco.skip -pl dime-cli -am -Dtest=CrashResumeTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Ddime.crash.cycles=20}. Each cycle prints one line (when it was killed, how many lines were on
 * disk then, whether the rerun said it resumed) for {@code RELIABILITY.md}.
 */
class CrashResumeTest {
  static final int CI_CYCLES = 3;

  private static String[] job(Path data, Path out) {
    return DemoExplain.args(
        DemoModels.file(DemoModels.FASHION_VQA),
        data,
        data.resolve("crash.jsonl"),
        data.resolve("pool.jsonl"),
        out,
        30,
        4);
  }

  private static Process start(String[] args, Path log) throws IOException {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(cp);
    cmd.add(Main.class.getName());
    cmd.addAll(Arrays.asList(args));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  private static int runToEnd(String[] args, Path log) throws Exception {
    Process p = start(args, log);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the job finished");
    return p.exitValue();
  }

  private static long lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    try (Stream<String> s = Files.lines(file, StandardCharsets.UTF_8)) {
      return s.count();
    }
  }

  /** Kills the job after {@code millis}; the number of complete output lines on disk then. */
  private static long killAfter(String[] args, Path out, Path log, long millis) throws Exception {
    Process p = start(args, log);
    boolean ended = p.waitFor(millis, TimeUnit.MILLISECONDS);
    if (!ended) {
      p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flush
      p.waitFor();
    }
    return lines(out.resolve(ExplainCommand.EXPLANATIONS));
  }

  /** Every line of a JSONL file with its wall times masked. */
  private static List<JsonNode> normalisedLines(Path file, Path root) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      out.add(GoldenOutputsTest.normalise(Json.mapper().readTree(l), root));
    }
    return out;
  }

  /**
   * Zeroes the wall times (and the counts of what the last run resumed) in a run's files, so that
   * the report drawn from them can be compared byte for byte.
   */
  private static void zeroTimings(Path out) throws IOException {
    Path ex = out.resolve(ExplainCommand.EXPLANATIONS);
    List<String> zeroed = new ArrayList<>();
    for (String l : Files.readAllLines(ex, StandardCharsets.UTF_8)) {
      JsonNode n = Json.mapper().readTree(l);
      zeroFields(n);
      zeroed.add(Json.mapper().writeValueAsString(n));
    }
    Files.write(ex, zeroed, StandardCharsets.UTF_8);
    Path summary = out.resolve(ExplainCommand.SUMMARY);
    JsonNode s = Json.mapper().readTree(summary.toFile());
    zeroFields(s);
    // how the last run went (all resumed, or all explained now) is not the job's data
    ObjectNode counts = (ObjectNode) s.path("counts");
    counts.put("resumed", 0);
    counts.put("explainedThisRun", counts.path("explained").asInt());
    Files.writeString(summary, Json.mapper().writeValueAsString(s), StandardCharsets.UTF_8);
  }

  private static void zeroFields(JsonNode n) {
    if (n instanceof ObjectNode o) {
      for (String f : List.of("timings", "secondsPerPoint")) {
        JsonNode t = o.get(f);
        if (t instanceof ObjectNode to) {
          List<String> keys = new ArrayList<>();
          to.fieldNames().forEachRemaining(keys::add);
          for (String k : keys) {
            if (to.get(k).isNumber() || to.get(k).isNull()) { // none when nothing ran now
              to.put(k, 0.0);
            }
          }
        } else if (t != null && (t.isNumber() || t.isNull())) {
          o.put(f, 0.0);
        }
      }
      o.elements().forEachRemaining(CrashResumeTest::zeroFields);
    } else if (n != null && n.isArray()) {
      n.elements().forEachRemaining(CrashResumeTest::zeroFields);
    }
  }

  @Test
  void aJobKilledAtRandomMomentsFinishesWithTheBytesOfAnUninterruptedRun(@TempDir Path dir)
      throws Exception {
    int cycles = Integer.getInteger("dime.crash.cycles", CI_CYCLES);
    Path data = DemoData.unpack(DemoData.FASHION, dir.resolve("fashion"));
    List<String> demo = Files.readAllLines(data.resolve("demo.jsonl"), StandardCharsets.UTF_8);
    Files.write(data.resolve("crash.jsonl"), demo.subList(0, 12), StandardCharsets.UTF_8);
    Path log = dir.resolve("processes.log");

    Path clean = dir.resolve("clean");
    long t0 = System.nanoTime();
    assertEquals(0, runToEnd(job(data, clean), log), () -> read(log));
    long cleanMillis = (System.nanoTime() - t0) / 1_000_000;
    List<JsonNode> expected = normalisedLines(clean.resolve(ExplainCommand.EXPLANATIONS), clean);
    JsonNode expectedSummary =
        GoldenOutputsTest.normalise(
            Json.mapper().readTree(clean.resolve(ExplainCommand.SUMMARY).toFile()), clean);
    zeroTimings(clean);
    assertEquals(0, Main.run("report", clean.toString()));
    byte[] expectedReport = Files.readAllBytes(clean.resolve("report.html"));

    Random rnd = new Random(20261202L);
    int midJob = 0;
    int kills = 0;
    for (int c = 0; c < cycles; c++) {
      Path out = dir.resolve("cycle-" + c);
      StringBuilder say = new StringBuilder("cycle " + c + ":");
      int killsThisCycle = c % 2 == 0 ? 1 : 2;
      for (int k = 0; k < killsThisCycle; k++) {
        long at =
            (long) ((0.3 + 0.7 * rnd.nextDouble()) * cleanMillis); // past most of the JVM start
        long on = killAfter(job(data, out), out, log, at);
        kills++;
        if (on > 0 && on < demo.subList(0, 12).size()) {
          midJob++;
        }
        say.append(" killed at ").append(at).append(" ms with ").append(on).append(" lines;");
      }
      int rc = runToEnd(job(data, out), log);
      assertEquals(0, rc, () -> read(log));
      assertEquals(
          expected,
          normalisedLines(out.resolve(ExplainCommand.EXPLANATIONS), out),
          "cycle " + c + " explanations");
      JsonNode summary =
          GoldenOutputsTest.normalise(
              Json.mapper().readTree(out.resolve(ExplainCommand.SUMMARY).toFile()), out);
      assertEquals(
          summary.at("/counts/explained").asInt(),
          summary.at("/counts/resumed").asInt() + summary.at("/counts/explainedThisRun").asInt());
      assertEquals(runApart(expectedSummary), runApart(summary), "cycle " + c + " summary");
      zeroTimings(out);
      assertEquals(0, Main.run("report", out.toString()));
      byte[] report = Files.readAllBytes(out.resolve("report.html"));
      long at = mismatch(expectedReport, report);
      assertEquals(
          -1,
          at,
          () -> "cycle report differs: " + around(expectedReport, at) + " | " + around(report, at));
      System.out.println(say.append(" finished identical"));
    }
    System.out.printf(
        "crash-resume: %d cycles, %d kills (%d with part of the job on disk), uninterrupted run"
            + " %d ms%n",
        cycles, kills, midJob, cleanMillis);
  }

  /** The summary without the counts that say how the last run went (resumed, explained now). */
  private static JsonNode runApart(JsonNode summary) {
    JsonNode n = summary.deepCopy();
    ((ObjectNode) n.path("counts")).remove(List.of("resumed", "explainedThisRun"));
    return n;
  }

  private static String around(byte[] b, long at) {
    int from = (int) Math.max(0, at - 120);
    int to = (int) Math.min(b.length, at + 120);
    return new String(b, from, to - from, StandardCharsets.UTF_8);
  }

  private static long mismatch(byte[] a, byte[] b) {
    return Arrays.mismatch(a, b);
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
