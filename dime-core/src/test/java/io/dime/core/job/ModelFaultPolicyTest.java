package io.dime.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.api.Datapoint;
import io.dime.api.ExplainResult;
import io.dime.api.ModelException;
import io.dime.api.MultimodalModel;
import io.dime.api.OutputKind;
import io.dime.api.RecordError;
import io.dime.api.run.JobResult;
import io.dime.api.run.RecordSource;
import io.dime.api.run.ResultSink;
import io.dime.api.run.SourceRecord;
import io.dime.core.Dime;
import io.dime.core.EngineLimits;
import io.dime.core.Targets;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.JavaModels;
import io.dime.core.io.Json;
import io.dime.core.modality.VectorModality;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One policy for model faults, each injected into the model with Mockito: a throwing batch, NaN and
 * infinite outputs, the wrong number of classes or rows, a call that never returns. The record
 * whose batch fails gets an error record (stage {@code model}) and the others are explained; after
 * {@code maxModelFailures} records in a row the job stops itself (exit code 3) with one reason, and
 * a rerun into the same file resumes to what an uninterrupted run writes.
 */
class ModelFaultPolicyTest {
  private static final Targets PREDICTED = Targets.predicted();

  /** y = a0 b0 + a1 + b2 on two 3-vectors. */
  static final MultimodalModel REAL =
      JavaModels.of(
          "a0 b0 + a1 + b2",
          2,
          OutputKind.LOGITS,
          row -> {
            double[] a = (double[]) row[0];
            double[] b = (double[]) row[1];
            double y = a[0] * b[0] + a[1] + b[2];
            return new double[] {-y, y};
          });

  /** Marks a record whose first value of {@code a} is this: the faulty models fail on its rows. */
  static final double POISON = 100.0;

  static List<Datapoint> points(String prefix, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Datapoint> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] a = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
      double[] b = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
      out.add(Datapoint.of(prefix + i, Map.of("a", a, "b", b)));
    }
    return out;
  }

  /** {@code n} points of which those at {@code poisoned} carry {@link #POISON} as a0. */
  static List<SourceRecord> records(int n, int... poisoned) {
    List<Datapoint> pts = points("p", n, 11);
    for (int i : poisoned) {
      double[] a = ((double[]) pts.get(i).value("a")).clone();
      a[0] = POISON;
      pts.set(i, Datapoint.of("p" + i, Map.of("a", a, "b", pts.get(i).value("b"))));
    }
    List<SourceRecord> out = new ArrayList<>();
    for (int i = 0; i < pts.size(); i++) {
      out.add(SourceRecord.of(i + 1, pts.get(i)));
    }
    return out;
  }

  private static boolean poisoned(List<Object[]> rows) {
    for (Object[] row : rows) {
      if (((double[]) row[0])[0] == POISON) {
        return true;
      }
    }
    return false;
  }

  /** A mock of the real model that answers {@code fault} for a batch with a poisoned row. */
  private static MultimodalModel faulty(Function<List<Object[]>, double[][]> fault) {
    MultimodalModel m = mock(MultimodalModel.class);
    when(m.outputCount()).thenReturn(2);
    when(m.outputNames()).thenReturn(List.of("0", "1"));
    when(m.outputKind()).thenReturn(OutputKind.LOGITS);
    when(m.threadSafe()).thenReturn(true);
    when(m.provenance()).thenReturn(REAL.provenance());
    when(m.predict(anyList()))
        .thenAnswer(
            inv -> {
              List<Object[]> rows = inv.getArgument(0);
              return poisoned(rows) ? fault.apply(rows) : REAL.predict(rows);
            });
    return m;
  }

  private static Dime engine(MultimodalModel model, EngineLimits limits) {
    return Dime.builder()
        .modality(VectorModality.of("a", 3))
        .modality(VectorModality.of("b", 3))
        .model(model)
        .referencePool(points("pool", 12, 7))
        .estimator(Estimators.sampled(4))
        .samples(40)
        .seed(3)
        .batchSize(16)
        .limits(limits)
        .faithfulness(2, 5)
        .build();
  }

  private static Dime engine(MultimodalModel model) {
    return engine(model, EngineLimits.DEFAULTS);
  }

  /** Collects what the sinks receive. */
  static final class Collector implements ResultSink {
    final List<JobResult> results = new ArrayList<>();

    @Override
    public void accept(JobResult r) {
      results.add(r);
    }

    @Override
    public void finish(io.dime.api.run.RunSummary summary) {}
  }

  static JobOutcome run(
      Dime dime, List<SourceRecord> records, ResultSink sink, int threads, int maxFailures)
      throws IOException {
    return ExplanationJob.builder(dime)
        .source(RecordSource.of("test", records))
        .targets(PREDICTED)
        .threads(threads)
        .sink(sink)
        .maxModelFailures(maxFailures)
        .globalChecks(false)
        .build()
        .run();
  }

  /**
   * Runs a job whose records 2 and 5 are poisoned; checks that only they fail, naming the cause.
   */
  private static void onlyPoisonedRecordsFail(MultimodalModel model, String cause)
      throws IOException {
    Collector sink = new Collector();
    List<SourceRecord> records = records(7, 2, 5);
    JobOutcome out;
    try (Dime dime = engine(model)) {
      out = run(dime, records, sink, 2, 10);
    }
    assertEquals(5, out.explained());
    assertEquals(2, out.failed());
    assertEquals(1, out.exitCode());
    assertTrue(out.stopped().isEmpty());
    Collector clean = new Collector();
    try (Dime dime = engine(REAL)) {
      run(dime, records, clean, 1, 10);
    }
    for (int i = 0; i < 7; i++) {
      ExplainResult r = sink.results.get(i).result();
      if (i == 2 || i == 5) {
        RecordError e = assertInstanceOf(RecordError.class, r);
        assertEquals("model", e.stage());
        assertEquals(java.util.Optional.of("p" + i), e.id());
        assertTrue(e.message().contains(cause), e.message());
      } else {
        // the faulty model's other records are explained exactly as with the healthy model
        assertEquals(
            withoutTimings(clean.results.get(i).result()), withoutTimings(r), "record " + i);
      }
    }
  }

  static String withoutTimings(ExplainResult r) {
    ObjectNode n = Json.mapper().valueToTree(r);
    n.remove("timings");
    return Json.line(n);
  }

  @Test
  void aThrowingBatchFailsItsRecordOnly() throws IOException {
    onlyPoisonedRecordsFail(
        faulty(
            rows -> {
              throw new IllegalStateException("connection reset by peer");
            }),
        "connection reset by peer");
  }

  @Test
  void nanAndInfiniteOutputsFailTheirRecordOnly() throws IOException {
    onlyPoisonedRecordsFail(
        faulty(rows -> fill(rows.size(), new double[] {0.5, Double.NaN})), "NaN for output 1");
    onlyPoisonedRecordsFail(
        faulty(rows -> fill(rows.size(), new double[] {Double.NEGATIVE_INFINITY, 1})),
        "-Infinity for output 0");
  }

  @Test
  void theWrongNumberOfClassesOrRowsFailsTheRecordOnly() throws IOException {
    onlyPoisonedRecordsFail(
        faulty(rows -> fill(rows.size(), new double[] {1, 2, 3})), "3 outputs for a row");
    onlyPoisonedRecordsFail(faulty(rows -> fill(rows.size() - 1, new double[] {1, 2})), "rows for");
  }

  @Test
  @Timeout(60)
  void aModelCallThatNeverReturnsFailsItsRecordAtTheTimeLimit() throws IOException {
    MultimodalModel stalls =
        faulty(
            rows -> {
              try {
                Thread.sleep(600_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              throw new IllegalStateException("woken");
            });
    Collector sink = new Collector();
    JobOutcome out;
    try (Dime dime = engine(stalls, new EngineLimits(4096, 100_000_000L, 2))) {
      out = run(dime, records(4, 1), sink, 1, 10);
    }
    assertEquals(3, out.explained());
    RecordError e = assertInstanceOf(RecordError.class, sink.results.get(1).result());
    assertEquals("model", e.stage());
    assertTrue(
        e.message().contains("no answer within the record's time limit (2.0 s"), e.message());
  }

  /**
   * One pool datapoint the model cannot handle makes every record fail (each explanation mixes its
   * record with pool datapoints): the job stops, and its reason names that pool datapoint.
   */
  @Test
  void aStoppedJobNamesThePoolDatapointsTheModelFailsOn() throws IOException {
    MultimodalModel overflows =
        JavaModels.of(
            "overflows on huge a0",
            2,
            OutputKind.LOGITS,
            row -> {
              double a0 = ((double[]) row[0])[0];
              return a0 > 1e30
                  ? new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}
                  : REAL.predict(List.<Object[]>of(row))[0];
            });
    List<Datapoint> pool = new ArrayList<>(points("pool", 12, 7));
    pool.add(5, Datapoint.of("huge", Map.of("a", new double[] {3e38, 1, 1}, "b", new double[3])));
    JobOutcome outcome;
    try (Dime dime =
        Dime.builder()
            .modality(VectorModality.of("a", 3))
            .modality(VectorModality.of("b", 3))
            .model(overflows)
            .referencePool(pool)
            .estimator(Estimators.sampled(4))
            .samples(40)
            .seed(3)
            .build()) {
      outcome =
          ExplanationJob.builder(dime)
              .source(RecordSource.of("test", records(6)))
              .targets(PREDICTED)
              .threads(1)
              .maxModelFailures(3)
              .globalChecks(false)
              .build()
              .run();
    }
    assertEquals(3, outcome.exitCode());
    String why = outcome.stopped().orElseThrow();
    assertTrue(why.contains("failed on 3 records in a row"), why);
    assertTrue(
        why.contains(
            "The model also fails on 1 reference pool datapoint(s) by themselves, and every"
                + " explanation mixes its record with pool datapoints"),
        why);
    assertTrue(why.contains("'huge' (model returned -Infinity for output 0)"), why);
  }

  /** An engine over {@code model} with a pool of 100 datapoints. */
  private static Dime engineWithPool100(MultimodalModel model) {
    return Dime.builder()
        .modality(VectorModality.of("a", 3))
        .modality(VectorModality.of("b", 3))
        .model(model)
        .referencePool(points("pool", 100, 7))
        .estimator(Estimators.sampled(4))
        .samples(40)
        .seed(3)
        .build();
  }

  /**
   * A model that fails on every call (a dead server): the stopped job's pool check ends after the
   * first three pool datapoints fail like the records did (not one call per pool datapoint, each
   * retried), and the reason says the model fails whatever the input instead of blaming the pool.
   */
  @Test
  @Timeout(60)
  void aModelThatFailsOnEverythingIsNotBlamedOnThePoolAndThePoolCheckEndsEarly()
      throws IOException {
    List<Datapoint> pool = points("pool", 100, 7);
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger poolAlone =
        new java.util.concurrent.atomic.AtomicInteger();
    MultimodalModel dead = mock(MultimodalModel.class);
    when(dead.outputCount()).thenReturn(2);
    when(dead.outputNames()).thenReturn(List.of("0", "1"));
    when(dead.outputKind()).thenReturn(OutputKind.LOGITS);
    when(dead.threadSafe()).thenReturn(true);
    when(dead.provenance()).thenReturn(REAL.provenance());
    when(dead.predict(anyList()))
        .thenAnswer(
            inv -> {
              List<Object[]> rows = inv.getArgument(0);
              int call = calls.incrementAndGet();
              if (rows.size() == 1) {
                for (Datapoint p : pool) {
                  if (java.util.Arrays.equals((double[]) rows.get(0)[0], (double[]) p.value("a"))
                      && java.util.Arrays.equals(
                          (double[]) rows.get(0)[1], (double[]) p.value("b"))) {
                    poolAlone.incrementAndGet();
                  }
                }
              }
              // the numbers differ from call to call, as a server's port or waits may
              throw new ModelException(
                  "cannot connect to http://127.0.0.1:" + (18000 + call) + " after 4 attempts");
            });
    JobOutcome out;
    try (Dime dime = engineWithPool100(dead)) {
      out = run(dime, records(6), new Collector(), 1, 2);
    }
    assertEquals(3, out.exitCode());
    String why = out.stopped().orElseThrow();
    assertTrue(why.contains("failed on 2 records in a row"), why);
    assertEquals(3, poolAlone.get(), "pool datapoints run alone; calls in all: " + calls.get());
    assertTrue(
        why.contains(
            "The model fails on the first 3 reference pool datapoint(s) by themselves too ('pool0',"
                + " 'pool1', 'pool2', with the same error): the model (or its server) fails"
                + " whatever the input, not on particular datapoints"),
        why);
    assertTrue(!why.contains("leave them out of the pool"), why);
  }

  /** A model that never answers holds the pool check no longer than its time limit. */
  @Test
  @Timeout(30)
  void thePoolCheckEndsAtItsTimeLimitWhenTheModelNeverAnswers() {
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    MultimodalModel stalls =
        faulty(
            rows -> {
              calls.incrementAndGet();
              try {
                Thread.sleep(600_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              throw new IllegalStateException("woken");
            });
    // every row stalls: the pool's a0 is made the poison
    List<Datapoint> pool = new ArrayList<>();
    for (Datapoint p : points("pool", 50, 7)) {
      double[] a = ((double[]) p.value("a")).clone();
      a[0] = POISON;
      pool.add(Datapoint.of(p.id(), Map.of("a", a, "b", p.value("b"))));
    }
    Dime.PoolFailures found;
    try (Dime dime =
        Dime.builder()
            .modality(VectorModality.of("a", 3))
            .modality(VectorModality.of("b", 3))
            .model(stalls)
            .referencePool(pool)
            .estimator(Estimators.sampled(4))
            .samples(40)
            .seed(3)
            .build()) {
      found = dime.poolFailures(5000, java.time.Duration.ofSeconds(1));
    }
    // back although the call sleeps 600 s (the @Timeout guards against a hang): not waited for
    assertTrue(found.timedOut());
    assertEquals(0, found.tried());
    assertTrue(found.failed().isEmpty(), found.failed().toString());
    assertEquals(1, calls.get());
    assertTrue(!Thread.currentThread().isInterrupted(), "the caller's interrupt flag is clear");
  }

  @Test
  void failuresInARowStopTheJobWithOneReasonAndARerunResumes(@TempDir Path dir) throws IOException {
    // records 3..9 poisoned: seven failures in a row, then three good records
    List<SourceRecord> records = records(13, 3, 4, 5, 6, 7, 8, 9);
    MultimodalModel down =
        faulty(
            rows -> {
              throw new ModelException("503 Service Unavailable");
            });
    Path file = dir.resolve("explanations.jsonl");
    JobOutcome first;
    try (Dime dime = engine(down)) {
      first =
          ExplanationJob.builder(dime)
              .source(RecordSource.of("test", records))
              .targets(PREDICTED)
              .threads(1)
              .checkpoint(new ExplanationsFile(file))
              .maxModelFailures(4)
              .globalChecks(false)
              .build()
              .run();
    }
    assertEquals(3, first.exitCode());
    String why = first.stopped().orElseThrow();
    assertTrue(why.contains("failed on 4 records in a row"), why);
    assertTrue(why.contains("503 Service Unavailable"), why);
    assertTrue(first.summary().isEmpty());
    List<String> kept = Files.readAllLines(file, StandardCharsets.UTF_8);
    // three explained, then the failures: the four that stopped it and any already running then
    // (they are kept); the good records after them were never started
    assertTrue(kept.size() >= 7 && kept.size() <= 10, "kept " + kept.size());
    for (int i = 0; i < kept.size(); i++) {
      assertEquals(i >= 3, kept.get(i).contains("\"error\""), kept.get(i));
    }

    // the server is back: a rerun explains the rest and retries the failed records
    try (Dime dime = engine(REAL)) {
      JobOutcome second =
          ExplanationJob.builder(dime)
              .source(RecordSource.of("test", records))
              .targets(PREDICTED)
              .threads(2)
              .checkpoint(new ExplanationsFile(file))
              .globalChecks(false)
              .build()
              .run();
      assertEquals(0, second.exitCode());
      assertEquals(13, second.explained());
    }
    Path whole = dir.resolve("whole.jsonl");
    try (Dime dime = engine(REAL)) {
      ExplanationJob.builder(dime)
          .source(RecordSource.of("test", records))
          .targets(PREDICTED)
          .threads(1)
          .checkpoint(new ExplanationsFile(whole))
          .globalChecks(false)
          .build()
          .run();
    }
    assertEquals(ExplanationJobTest.withoutTimings(whole), ExplanationJobTest.withoutTimings(file));
  }

  @Test
  void failuresThatAreNotInARowOrAPolicyOfZeroNeverStopTheJob() throws IOException {
    MultimodalModel down =
        faulty(
            rows -> {
              throw new ModelException("503");
            });
    // two failures, a success, two failures: never 3 in a row
    try (Dime dime = engine(down)) {
      JobOutcome out = run(dime, records(6, 0, 1, 3, 4), new Collector(), 1, 3);
      assertTrue(out.stopped().isEmpty());
      assertEquals(4, out.failed());
      assertEquals(2, out.explained());
    }
    try (Dime dime = engine(down)) {
      JobOutcome out = run(dime, records(6, 0, 1, 2, 3, 4, 5), new Collector(), 2, 0);
      assertTrue(out.stopped().isEmpty());
      assertEquals(6, out.failed());
      assertEquals(1, out.exitCode());
    }
  }

  private static double[][] fill(int rows, double[] row) {
    double[][] out = new double[Math.max(rows, 0)][];
    for (int i = 0; i < out.length; i++) {
      out[i] = row.clone();
    }
    return out;
  }
}
