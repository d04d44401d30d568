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
 * seeded random moment of the job (a random number of its lines on disk, 0 to all, plus 0 to 400
 * ms), kills the rerun too in every other cycle, and then lets a third run finish.
 *
 * <p>CI runs {@value #CI_CYCLES} cycles; the full proof is 20 or more: {@code ./mvnw -o -B install
 * -Djacoco.skip -pl dime-cli -am -Dtest=CrashResumeTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Ddime.crash.cycles=20} ({@code -Ddime.crash.seed=N} for other moments). Each cycle prints one
 * line (when it was killed, how many lines were on disk then, whether the rerun said it resumed)
 * for {@code RELIABILITY.md}.
 */
class CrashResumeTest {
  static final int CI_CYCLES = 3;
  private static final int RECORDS = 12;

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

  /**
   * Kills the job once {@code target} complete lines are on disk (or when it ends), after a further
   * {@code extraMillis}; returns the number of lines on disk when it was killed, or -1 when the job
   * ended first. Waiting for lines rather than a time puts every kill inside the job, whatever the
   * machine's load: while records are explained and appended, or, after the last record, while the
   * summary, the final rewrite and the report are written.
   */
  private static long killAfter(String[] args, Path out, Path log, long target, long extraMillis)
      throws Exception {
    Process p = start(args, log);
    Path file = out.resolve(ExplainCommand.EXPLANATIONS);
    while (p.isAlive() && lines(file) < target) {
      Thread.sleep(10);
    }
    boolean ended = p.waitFor(extraMillis, TimeUnit.MILLISECONDS);
    if (!ended) {
      p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flush
      p.waitFor();
    }
    return ended ? -1 : lines(file);
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
    Files.write(data.resolve("crash.jsonl"), demo.subList(0, RECORDS), StandardCharsets.UTF_8);
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

    Random rnd = new Random(Long.getLong("dime.crash.seed", 20261202L));
    int midJob = 0;
    int kills = 0;
    int late = 0;
    for (int c = 0; c < cycles; c++) {
      Path out = dir.resolve("cycle-" + c);
      StringBuilder say = new StringBuilder("cycle " + c + ":");
      int killsThisCycle = c % 2 == 0 ? 1 : 2;
      for (int k = 0; k < killsThisCycle; k++) {
        long target = rnd.nextInt(RECORDS + 1); // 0: while it starts; RECORDS: while it ends
        long extra = rnd.nextInt(400);
        long on = killAfter(job(data, out), out, log, target, extra);
        if (on < 0) {
          say.append(" ended before the kill (").append(target).append(" lines + ");
          say.append(extra).append(" ms);");
          continue;
        }
        kills++;
        if (on > 0 && on < RECORDS) {
          midJob++;
        } else if (on >= RECORDS) {
          late++;
        }
        say.append(" killed ").append(extra).append(" ms after line ").append(target);
        say.append(" with ").append(on).append(" lines on disk;");
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
        "crash-resume: %d cycles, %d kills: %d with some of the %d lines on disk, %d with all of"
            + " them (while the summary, the final rewrite or the report was written), the rest"
            + " before the first; uninterrupted run %d ms%n",
        cycles, kills, midJob, RECORDS, late, cleanMillis);
  }

  /**
   * SIGTERM (what {@code kill} and a scheduler send) mid-job: the process says on standard error
   * that it was stopped, where the records are kept and how to resume (it ended with exit 143 and
   * nothing said), and a rerun finishes the job with one line per record.
   */
  @Test
  void aJobStoppedBySigtermSaysSoAndARerunFinishesIt(@TempDir Path dir) throws Exception {
    Path data = DemoData.unpack(DemoData.FASHION, dir.resolve("fashion"));
    List<String> demo = Files.readAllLines(data.resolve("demo.jsonl"), StandardCharsets.UTF_8);
    Files.write(data.resolve("crash.jsonl"), demo.subList(0, 4), StandardCharsets.UTF_8);
    Path out = dir.resolve("out");
    Path log = dir.resolve("term.log");
    // not quiet: the progress bar is on its line when the signal comes
    List<String> loud = new ArrayList<>(Arrays.asList(job(data, out)));
    loud.remove("--quiet");
    Process p = start(loud.toArray(String[]::new), log);
    Path file = out.resolve(ExplainCommand.EXPLANATIONS);
    while (p.isAlive() && (lines(file) < 1 || !read(log).contains("] 1/4"))) {
      Thread.sleep(10);
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(p.isAlive(), "the job ended before the signal");
    p.destroy(); // SIGTERM on Linux: shutdown hooks run
    assertTrue(p.waitFor(1, TimeUnit.MINUTES));
    String said = read(log);
    assertTrue(
        said.contains(
            "dime: stopped by a signal before the job ended; the records explained so far are kept"
                + " in "
                + file
                + "; rerun the same command to resume"),
        said);
    assertTrue(
        said.lines().anyMatch(l -> l.startsWith("dime: stopped by a signal")),
        "the message has its own line, not the progress bar's: " + said);
    Files.delete(log);
    assertEquals(0, runToEnd(job(data, out), log), () -> read(log));
    assertEquals(4, lines(file));
    assertTrue(!read(log).contains("stopped by a signal"), "a job that ends says nothing of it");
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
