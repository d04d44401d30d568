package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.api.Datapoint;
import io.dime.api.OutputKind;
import io.dime.core.Dime;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.JavaModels;
import io.dime.core.io.Json;
import io.dime.core.modality.VectorModality;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dime explain --dry-run}: pass counts equal the engine's formula for every estimator, a
 * measured rate gives the times, and nothing is written.
 */
class ExplainDryRunTest {
  private static final int S = 50;
  private static final int N = 4; // at most the 5 readable records, so every estimator uses all N

  /** The explain arguments of {@link ExplainCommandTest} with --dry-run, S and N set. */
  private static List<String> dryRunArgs(Path dir) {
    List<String> a = new ArrayList<>(Arrays.asList(ExplainCommandTest.args(dir)));
    a.set(a.indexOf("--samples") + 1, Integer.toString(S));
    a.set(a.indexOf("--references") + 1, Integer.toString(N));
    a.add("--dry-run");
    return a;
  }

  /**
   * {passFormula(classes), preparationRows()} of an engine as the command line builds it (default
   * surrogate and faithfulness), two vector modalities of 10 and a pool of 5.
   */
  private static long[] engine(String estimator, int classes) {
    List<Datapoint> pool = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      pool.add(Datapoint.of("p" + i, Map.of("d1", new double[10], "d2", new double[10])));
    }
    try (Dime d =
        Dime.builder()
            .modality(VectorModality.of("d1", 10))
            .modality(VectorModality.of("d2", 10))
            .model(JavaModels.of("zero", 2, OutputKind.LOGITS, row -> new double[2]))
            .referencePool(pool)
            .estimator(Estimators.byName(estimator, N))
            .samples(S)
            .build()) {
      long prep = d.preparationRows();
      return new long[] {d.passFormula(classes), prep};
    }
  }

  @Test
  void passCountsEqualTheFormulaAndNothingIsWritten(@TempDir Path dir) throws Exception {
    ExplainCommandTest.write(dir);
    List<String> a = dryRunArgs(dir);
    a.add("--json");
    String[] r = InspectModelCommandTest.run(a.toArray(String[]::new));
    assertEquals("0", r[0], r[1] + r[2]);
    assertFalse(Files.exists(dir.resolve("out")), "a dry run writes nothing to --out");
    JsonNode n = Json.mapper().readTree(r[1]);
    assertEquals(9, n.path("records").asInt());
    assertEquals(5, n.path("readable").asInt());
    assertEquals(4, n.path("unreadable").asInt());
    assertEquals(5, n.path("poolSize").asInt());
    assertEquals("sampled", n.path("chosenEstimator").asText());

    // Every readable point has a label: predicted,label explains up to 2 classes.
    assertEquals(2, n.path("classesPerPoint").path("max").asInt());
    assertEquals(2, n.path("classesPerPoint").path("min").asInt());
    JsonNode rows = n.path("estimators");
    assertEquals(3, rows.size());
    double rate = n.path("measurement").path("rowsPerSecond").asDouble();
    assertTrue(rate > 0, n.path("measurement").toString());
    assertTrue(n.path("measurement").path("datapoints").asInt() >= 1);
    for (JsonNode row : rows) {
      String name = row.path("estimator").asText();
      long[] e = engine(name, 2);
      assertEquals(e[0], row.path("formulaPerPoint").asLong(), name);
      assertEquals(engine(name, 1)[0], row.path("formulaPerPointOneClass").asLong(), name);
      assertEquals(e[0], row.path("passesPerPoint").asLong(), name + ": one replicate");
      assertEquals(e[1], row.path("preparationRows").asLong(), name);
      assertEquals(5 * e[0] + e[1], row.path("totalRows").asLong(), name);
      JsonNode m = n.path("measurement");
      // steady state: the points' fixed part and the formula's rows at the fitted time per row
      // (what the cache saves is in that time), plus the cold start, at most as much again
      double sent = m.path("sentFraction").asDouble();
      assertTrue(sent > 0 && sent <= 1, "sentFraction " + sent);
      double cold = m.path("warmupExcessSeconds").asDouble();
      assertTrue(cold >= 0, "warmupExcessSeconds " + cold);
      double steady =
          5 * m.path("secondsPerPoint").asDouble()
              + row.path("totalRows").asDouble() * m.path("secondsPerRow").asDouble();
      assertEquals(
          steady + Math.min(cold, steady),
          row.path("estimatedSeconds").asDouble(),
          1e-6 * row.path("estimatedSeconds").asDouble(),
          name);
      assertEquals(name.equals("sampled"), row.path("chosen").asBoolean(), name);
    }
    assertEquals(25, n.path("globalAnalysis").path("rows").asLong(), "a 5 x 5 grid");
    // the global analysis timed on its own: the whole 5 x 5 grid, which is small enough
    JsonNode m = n.path("measurement");
    assertEquals(5, m.path("globalReferences").asInt(), m.toString());
    assertTrue(m.path("globalSeconds").asDouble() > 0, m.toString());
    assertEquals(5, m.path("globalRunReferences").asInt(), m.toString());
    assertTrue(m.path("globalSecondsSmall").isMissingNode(), "the run's own grid is not fitted");
    assertTrue(n.toString().contains("the run's own grid"), "the notes say which grid was timed");
    assertEquals(
        m.path("globalSeconds").asDouble(),
        n.path("globalAnalysis").path("estimatedSeconds").asDouble(),
        1e-12);
    // the hidden-feature check: each pool record (at most 100) as it is and with one of the two
    // modalities hidden
    int pool = n.path("poolSize").asInt();
    assertEquals(2L * 2 * Math.min(pool, 100), n.path("hiddenBaseline").path("rows").asLong());
  }

  /**
   * A round explains at most the manifest's readable datapoints, each once: with 5 readable records
   * on 2 threads, rounds of 5 (not 4 per thread, 8, which explained 3 of them twice), so every
   * round at a sample count sends the same passes. A dry run of three records on the demo's model
   * explained 24 datapoints, 8 at the run's S = 1000, to estimate a 48-second job of 3.
   */
  @Test
  void aRoundExplainsEachReadableRecordOnce(@TempDir Path dir) throws Exception {
    ExplainCommandTest.write(dir);
    List<String> a = dryRunArgs(dir);
    a.add("--json");
    String[] r = InspectModelCommandTest.run(a.toArray(String[]::new));
    assertEquals("0", r[0], r[1] + r[2]);
    JsonNode m = Json.mapper().readTree(r[1]).path("measurement");
    long perRound = -1;
    for (String phase : List.of("warmup", "first", "second")) {
      JsonNode p = m.path(phase);
      int rounds = p.path("rounds").asInt();
      assertTrue(rounds >= 1, phase + ": " + m);
      assertEquals(5L * rounds, p.path("datapoints").asLong(), phase + ": " + m);
      long passes = p.path("rows").asLong() + p.path("cachedRows").asLong();
      assertEquals(0, passes % rounds, phase + ": the same passes each round, " + m);
      if (m.path("samples").equals(m.path("samples2")) || !phase.equals("second")) {
        assertTrue(perRound < 0 || perRound == passes / rounds, phase + ": " + m);
        perRound = passes / rounds; // one sample count: the same passes in every round
      }
    }
    // The run's S = 50 is the one measured, in rounds of all 5: the job's explanations, measured.
    assertEquals(S, m.path("samples2").asInt(), m.toString());
    JsonNode one = m.path("first");
    assertEquals(one.path("datapoints").asInt(), m.path("measuredJobDatapoints").asInt());
    assertEquals(
        one.path("seconds").asDouble() / one.path("datapoints").asInt() * 5,
        m.path("measuredJobSeconds").asDouble(),
        1e-9,
        m.toString());
  }

  @Test
  void textFormReplicatesAndNoOut(@TempDir Path dir) throws Exception {
    ExplainCommandTest.write(dir);
    List<String> a = dryRunArgs(dir);
    int out = a.indexOf("--out");
    a.remove(out + 1);
    a.remove(out);
    a.addAll(List.of("--replicates", "2", "--estimator", "exact"));
    String[] r = InspectModelCommandTest.run(a.toArray(String[]::new));
    assertEquals("0", r[0], r[1] + r[2]);
    String text = r[1];
    long sampled = 2 * engine("sampled", 2)[0];
    long exact = 2 * engine("exact", 2)[0];
    long paper = 2 * engine("paper_faithful", 2)[0];
    assertTrue(
        text.matches("(?s).*\n  sampled\\(R=4\\) +" + sampled + " +0 +" + 5 * sampled + " .*"),
        text);
    assertTrue(
        text.matches("(?s).*\n\\* exact\\(N=4\\) +" + exact + " +0 +" + 5 * exact + " .*"), text);
    assertTrue(
        text.matches(
            "(?s).*\n  paper_faithful\\(N=4\\) +" + paper + " +9 +" + (5 * paper + 9) + " .*"),
        text);
    assertTrue(
        text.contains("for 1 class: sampled " + 2 * engine("sampled", 1)[0] + ", exact "), text);
    assertTrue(text.contains("passes/s"), text);
    assertFalse(Files.exists(dir.resolve("out")));
  }

  /**
   * With --spark the dry run still measures on this machine (nothing is sent to a cluster); it says
   * so, and what changes on Spark, in the text and in the JSON. It gave this machine's times as if
   * they were the cluster's.
   */
  @Test
  void withSparkTheEstimateSaysItIsThisMachines(@TempDir Path dir) throws Exception {
    ExplainCommandTest.write(dir);
    List<String> a = dryRunArgs(dir);
    int threads = a.indexOf("--threads");
    a.remove(threads + 1);
    a.remove(threads);
    a.addAll(List.of("--spark", "local[3]"));
    String[] r = InspectModelCommandTest.run(a.toArray(String[]::new));
    assertEquals("0", r[0], r[1] + r[2]);
    assertTrue(
        r[1].strip().endsWith(DryRunNotes.spark("local[3]")),
        "the text ends with the note: " + r[1]);
    assertTrue(r[1].contains("With --spark local[3]: the times above were measured on this"), r[1]);
    a.add("--json");
    String[] j = InspectModelCommandTest.run(a.toArray(String[]::new));
    assertEquals("0", j[0], j[1] + j[2]);
    com.fasterxml.jackson.databind.JsonNode n = io.dime.core.io.Json.mapper().readTree(j[1]);
    assertEquals("local[3]", n.path("spark").asText());
    JsonNode notes = n.path("notes");
    assertEquals(DryRunNotes.spark("local[3]"), notes.get(notes.size() - 1).asText(), "the last");
  }

  @Test
  void jsonNeedsDryRunAndOutIsRequiredOtherwise(@TempDir Path dir) throws Exception {
    ExplainCommandTest.write(dir);
    List<String> a = new ArrayList<>(Arrays.asList(ExplainCommandTest.args(dir)));
    a.add("--json");
    String[] r = InspectModelCommandTest.run(a.toArray(String[]::new));
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--json goes with --dry-run"), r[2]);
    a.remove("--json");
    int out = a.indexOf("--out");
    a.remove(out + 1);
    a.remove(out);
    r = InspectModelCommandTest.run(a.toArray(String[]::new));
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--out DIR is required"), r[2]);
  }

  private static DryRunRound round(int points, long rows, long cached, double seconds) {
    DryRunRound r = new DryRunRound();
    r.rounds = 1;
    r.explained = points;
    r.rows = rows;
    r.cached = cached;
    r.seconds = seconds;
    return r;
  }

  @Test
  void theTimeFitSplitsAFixedCostPerDatapointFromACostPerPass() {
    // 2 s per datapoint + 1e-4 s per pass: 4 points of 1,000 passes, 2 points of 3,000
    double[] f = DryRunRound.fit(round(4, 3_900, 100, 4 * 2.1), round(2, 6_000, 0, 2 * 2.3));
    assertEquals(2.0, f[0], 1e-9);
    assertEquals(1e-4, f[1], 1e-15);
    // no positive fixed part (the second run faster per datapoint): the larger run's rate alone
    double[] g = DryRunRound.fit(round(4, 4_000, 0, 8), round(2, 6_000, 0, 3));
    assertEquals(0, g[0]);
    assertEquals(3 / 6_000.0, g[1], 1e-15);
  }

  /**
   * The dry run's JSON is versioned like the run's documents, and carries the provenance the run
   * itself would write (the same engine settings, pool and model file).
   */
  @Test
  void theJsonHasTheSchemaVersionAndTheRunsProvenance(@TempDir Path dir) throws Exception {
    ExplainCommandTest.write(dir);
    List<String> a = dryRunArgs(dir);
    a.add("--json");
    String[] r = InspectModelCommandTest.run(a.toArray(String[]::new));
    assertEquals("0", r[0], r[1] + r[2]);
    JsonNode n = Json.mapper().readTree(r[1]);
    assertEquals(io.dime.api.Explanation.SCHEMA_VERSION, n.path("schemaVersion").asInt());
    for (JsonNode row : n.path("estimators")) {
      assertFalse(row.has("provenance"), row.toString());
    }
    List<String> run = dryRunArgs(dir);
    run.remove("--dry-run");
    String[] done = InspectModelCommandTest.run(run.toArray(String[]::new));
    assertEquals("1", done[0], done[1] + done[2]); // the 4 unreadable records fail
    JsonNode summary = Json.mapper().readTree(dir.resolve("out/summary.json").toFile());
    assertEquals(summary.path("provenance"), n.path("provenance"));
    assertEquals(64, n.path("provenance").path("model").path("sha256").asText().length());
  }

  @Test
  void theColdStartCountsTheWarmUpsCachedRowsAsTheFitDoes() {
    // 2 s per datapoint + 1e-4 s per formula row. A warm-up of 4 datapoints whose 4,000 formula
    // rows were 1,000 sent and 3,000 cached takes 8.4 s warm; it took 9 s, so the cold start is
    // 0.6 s. Pricing only the sent rows (8.1 s warm) would call 0.9 s of it cold start.
    double[] fit = {2.0, 1e-4};
    assertEquals(0.6, DryRunRound.warmupExcess(round(4, 1_000, 3_000, 9.0), fit), 1e-9);
    // a warm-up no slower than steady work has no cold start
    assertEquals(0.0, DryRunRound.warmupExcess(round(4, 1_000, 3_000, 8.0), fit));
  }
}
