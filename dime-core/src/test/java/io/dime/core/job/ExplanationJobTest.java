package io.dime.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.ModelException;
import io.dime.api.MultimodalModel;
import io.dime.api.OutputKind;
import io.dime.api.RecordError;
import io.dime.api.run.JobResult;
import io.dime.api.run.RecordSource;
import io.dime.api.run.ResultSink;
import io.dime.api.run.SourceRecord;
import io.dime.core.Dime;
import io.dime.core.DimeBuilder;
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
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explanation job on its own: results in source order with errors in their place, progress to
 * listeners, cancellation, resume from {@code explanations.jsonl} with a byte-identical end result,
 * refusal to mix settings, and a model fault confined to its record.
 */
class ExplanationJobTest {
  private static final Targets PREDICTED = Targets.predicted();

  /** y = a0 b0 + a1 + b2 on two 3-vectors (an interaction and two main effects). */
  static MultimodalModel model() {
    return JavaModels.of(
        "a0 b0 + a1 + b2",
        2,
        OutputKind.LOGITS,
        row -> {
          double[] a = (double[]) row[0];
          double[] b = (double[]) row[1];
          double y = a[0] * b[0] + a[1] + b[2];
          return new double[] {-y, y};
        });
  }

  private static List<Datapoint> points(String prefix, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Datapoint> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] a = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
      double[] b = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
      out.add(Datapoint.of(prefix + i, Map.of("a", a, "b", b)));
    }
    return out;
  }

  static Dime engine(MultimodalModel model, long seed) {
    DimeBuilder b =
        Dime.builder()
            .modality(VectorModality.of("a", 3))
            .modality(VectorModality.of("b", 3))
            .model(model)
            .referencePool(points("pool", 12, 7))
            .estimator(Estimators.sampled(4))
            .samples(40)
            .seed(seed)
            .batchSize(16)
            .faithfulness(2, 5);
    return b.build();
  }

  private static List<SourceRecord> records(List<Datapoint> points) {
    List<SourceRecord> out = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      out.add(SourceRecord.of(i + 1, points.get(i)));
    }
    return out;
  }

  /** Collects what the sinks receive. */
  private static final class Collector implements ResultSink {
    final List<JobResult> results = new ArrayList<>();
    int finished;

    @Override
    public void accept(JobResult r) {
      results.add(r);
    }

    @Override
    public void finish(io.dime.api.run.RunSummary summary) {
      finished++;
    }

    @Override
    public boolean usesFeatures() {
      return true;
    }
  }

  @Test
  void resultsArriveInSourceOrderWithErrorsInTheirPlace() throws IOException {
    List<SourceRecord> records = records(points("p", 5, 1));
    records.add(
        2, SourceRecord.unreadable(new RecordError(Optional.of("bad"), 3, "read", "broken")));
    records.add(
        4,
        SourceRecord.of(
            5, Datapoint.of("short", Map.of("a", new double[] {1, 2}, "b", new double[3]))));
    Collector sink = new Collector();
    List<JobProgress> progress = new ArrayList<>();
    List<JobStart> starts = new ArrayList<>();
    try (Dime dime = engine(model(), 3)) {
      JobOutcome outcome =
          ExplanationJob.builder(dime)
              .source(RecordSource.of("test", records))
              .targets(PREDICTED)
              .threads(3)
              .sink(sink)
              .listener(
                  new JobListener() {
                    @Override
                    public void started(JobStart s) {
                      starts.add(s);
                    }

                    @Override
                    public void explained(JobProgress p) {
                      progress.add(p);
                    }
                  })
              .globalChecks(false)
              .build()
              .run();
      assertEquals(5, outcome.explained());
      assertEquals(2, outcome.failed());
      assertEquals(1, outcome.exitCode());
      assertEquals(1, sink.finished);
    }
    List<String> ids = new ArrayList<>();
    sink.results.forEach(r -> ids.add(r.result().recordId().orElse("?")));
    assertEquals(List.of("p0", "p1", "bad", "p2", "short", "p3", "p4"), ids);
    RecordError shortOne = assertInstanceOf(RecordError.class, sink.results.get(4).result());
    assertEquals(5, shortOne.line(), "an explanation error carries the record's line");
    assertTrue(shortOne.message().contains("expected 3"), shortOne.message());
    assertEquals(JobResult.Status.UNREADABLE, sink.results.get(2).status());
    assertEquals(List.of("a", "b"), List.copyOf(sink.results.get(0).features().keySet()));
    assertTrue(sink.results.get(4).features().isEmpty());

    JobStart start = starts.get(0);
    assertEquals(7, start.records());
    assertEquals(1, start.unreadable());
    assertEquals(6, start.toExplain());
    assertEquals(6, progress.size(), "one progress event per record explained in this run");
    for (int i = 0; i < progress.size(); i++) {
      assertEquals(i + 1, progress.get(i).done());
      assertEquals(6, progress.get(i).total());
    }
    assertEquals(0.0, progress.get(5).etaSeconds());
    assertEquals(4, progress.get(3).index(), "index is the record's position in the source");
  }

  /** A listener that keeps the job's start events. */
  private static JobListener recording(List<JobStart> starts) {
    return new JobListener() {
      @Override
      public void started(JobStart s) {
        starts.add(s);
      }
    };
  }

  @Test
  void aCancelledJobResumesToTheSameFileAsAnUninterruptedOne(@TempDir Path dir) throws IOException {
    // more records than the look-ahead (5 in flight on one thread) can finish after the cancel:
    // with 8, a loaded machine finished all of them before the cancel was seen
    int total = 16;
    List<SourceRecord> records = records(points("p", total, 2));
    Path whole = dir.resolve("whole.jsonl");
    try (Dime dime = engine(model(), 5)) {
      run(dime, records, new ExplanationsFile(whole), JobListener.NONE, 2);
    }
    Path resumed = dir.resolve("resumed.jsonl");
    ExplanationJob[] job = new ExplanationJob[1];
    try (Dime dime = engine(model(), 5)) {
      JobListener cancelAfterThree =
          new JobListener() {
            @Override
            public void explained(JobProgress p) {
              if (p.done() == 3) {
                job[0].cancel();
              }
            }
          };
      job[0] = job(dime, records, new ExplanationsFile(resumed), cancelAfterThree, 1);
      JobOutcome first = job[0].run();
      assertTrue(first.cancelled());
      assertTrue(first.summary().isEmpty());
    }
    int kept = Files.readAllLines(resumed).size();
    assertTrue(kept >= 3 && kept < total, "a cancelled job keeps what it finished: " + kept);
    List<JobStart> starts = new ArrayList<>();
    try (Dime dime = engine(model(), 5)) {
      run(dime, records, new ExplanationsFile(resumed), recording(starts), 2);
    }
    assertEquals(kept, starts.get(0).resumed());
    assertEquals(withoutTimings(whole), withoutTimings(resumed));
  }

  @Test
  void aLineTornInsideACharacterIsExplainedAgainNotRead(@TempDir Path dir) throws IOException {
    List<SourceRecord> records = records(points("p", 4, 2));
    Path whole = dir.resolve("whole.jsonl");
    try (Dime dime = engine(model(), 5)) {
      run(dime, records, new ExplanationsFile(whole), JobListener.NONE, 1);
    }
    // keep two lines, then the third cut inside a two-byte character (as a crash could leave it)
    List<String> lines = Files.readAllLines(whole);
    Path torn = dir.resolve("torn.jsonl");
    byte[] third = (lines.get(2).substring(0, 40) + "\u00e9").getBytes(StandardCharsets.UTF_8);
    try (var out = Files.newOutputStream(torn)) {
      out.write((lines.get(0) + "\n" + lines.get(1) + "\n").getBytes(StandardCharsets.UTF_8));
      out.write(third, 0, third.length - 1);
    }
    List<JobStart> starts = new ArrayList<>();
    try (Dime dime = engine(model(), 5)) {
      run(dime, records, new ExplanationsFile(torn), recording(starts), 1);
    }
    assertEquals(2, starts.get(0).resumed());
    assertEquals(withoutTimings(whole), withoutTimings(torn));
  }

  @Test
  void aCheckpointMadeWithOtherSettingsIsRefused(@TempDir Path dir) throws IOException {
    List<SourceRecord> records = records(points("p", 2, 3));
    Path file = dir.resolve("explanations.jsonl");
    try (Dime dime = engine(model(), 5)) {
      run(dime, records, new ExplanationsFile(file), JobListener.NONE, 1);
    }
    try (Dime other = engine(model(), 6)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> run(other, records, new ExplanationsFile(file), JobListener.NONE, 1));
      assertTrue(e.getMessage().contains("'seed' differs for record 'p0'"), e.getMessage());
    }
    // another model (here: another description, as a changed file has another digest)
    MultimodalModel changed =
        JavaModels.of(
            "a0 b0 + a1 + b2, retrained",
            2,
            OutputKind.LOGITS,
            row -> {
              double y = ((double[]) row[0])[0] * ((double[]) row[1])[0];
              return new double[] {-y, y};
            });
    try (Dime other = engine(changed, 5)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> run(other, records, new ExplanationsFile(file), JobListener.NONE, 1));
      assertTrue(
          e.getMessage()
              .contains(
                  "'model.description' differs for record 'p0' on line 1: \"a0 b0 + a1 + b2\""
                      + " there, \"a0 b0 + a1 + b2, retrained\" in this run"),
          e.getMessage());
    }
    assertEquals(2, Files.readAllLines(file).size(), "the refused runs left the file as it was");
  }

  /**
   * The fast preset with its numbers set by hand is the same engine but another preset: a resume
   * across the two is refused, in both directions.
   */
  @Test
  void aCheckpointMadeUnderAnotherPresetIsRefused(@TempDir Path dir) throws IOException {
    List<SourceRecord> records = records(points("p", 2, 3));
    for (int first = 0; first < 2; first++) {
      Path file = dir.resolve("explanations-" + first + ".jsonl");
      try (Dime dime = presetEngine(first == 0)) {
        run(dime, records, new ExplanationsFile(file), JobListener.NONE, 1);
      }
      try (Dime other = presetEngine(first != 0)) {
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class,
                () -> run(other, records, new ExplanationsFile(file), JobListener.NONE, 1));
        assertTrue(e.getMessage().contains("'preset'"), e.getMessage());
      }
    }
    // the same preset resumes
    Path file = dir.resolve("explanations-same.jsonl");
    try (Dime dime = presetEngine(true)) {
      run(dime, records, new ExplanationsFile(file), JobListener.NONE, 1);
    }
    try (Dime same = presetEngine(true)) {
      JobOutcome out = run(same, records, new ExplanationsFile(file), JobListener.NONE, 1);
      assertEquals(2, out.summary().get().counts().resumed());
    }
  }

  /** anchored(5), 40 samples: through the fast preset (overriding S) or set by hand. */
  private static Dime presetEngine(boolean viaPreset) {
    DimeBuilder b =
        Dime.builder()
            .modality(VectorModality.of("a", 3))
            .modality(VectorModality.of("b", 3))
            .model(model())
            .referencePool(points("pool", 12, 7))
            .batchSize(16)
            .noFaithfulness();
    if (viaPreset) {
      b.preset(io.dime.core.Presets.fast());
    } else {
      b.estimator(Estimators.anchored(5));
    }
    return b.samples(40).build();
  }

  @Test
  void keptExplanationsOfIdsNoLongerInTheSourceComeLast(@TempDir Path dir) throws IOException {
    List<Datapoint> points = points("p", 3, 4);
    Path file = dir.resolve("explanations.jsonl");
    try (Dime dime = engine(model(), 5)) {
      run(dime, records(points), new ExplanationsFile(file), JobListener.NONE, 1);
      Collector sink = new Collector();
      JobOutcome out =
          ExplanationJob.builder(dime)
              .source(RecordSource.of("test", records(points.subList(1, 3))))
              .targets(PREDICTED)
              .threads(1)
              .checkpoint(new ExplanationsFile(file))
              .sink(sink)
              .globalChecks(false)
              .build()
              .run();
      assertEquals(1, out.summary().get().counts().staleLines());
      assertEquals(2, out.summary().get().counts().resumed());
      assertEquals(JobResult.Status.STALE, sink.results.get(2).status());
      assertEquals("p0", sink.results.get(2).result().recordId().get());
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals("p0", Json.mapper().readTree(lines.get(2)).path("id").asText());
  }

  @Test
  void aModelThatFailsOnOneBatchFailsOnlyThatRecord() throws IOException {
    MultimodalModel real = model();
    MultimodalModel flaky = mock(MultimodalModel.class);
    when(flaky.outputCount()).thenReturn(2);
    when(flaky.outputNames()).thenReturn(List.of("0", "1"));
    when(flaky.outputKind()).thenReturn(OutputKind.LOGITS);
    when(flaky.threadSafe()).thenReturn(true);
    when(flaky.provenance()).thenReturn(Map.of("model", "flaky"));
    AtomicInteger calls = new AtomicInteger();
    when(flaky.predict(anyList()))
        .thenAnswer(
            inv -> {
              if (calls.incrementAndGet() == 3) {
                throw new ModelException("the server went away");
              }
              return real.predict(inv.getArgument(0));
            });
    Collector sink = new Collector();
    try (Dime dime = engine(flaky, 5)) {
      JobOutcome out =
          ExplanationJob.builder(dime)
              .source(RecordSource.of("test", records(points("p", 3, 9))))
              .targets(PREDICTED)
              .threads(1)
              .sink(sink)
              .globalChecks(false)
              .build()
              .run();
      assertEquals(1, out.failed());
      assertEquals(2, out.explained());
    }
    RecordError e = assertInstanceOf(RecordError.class, sink.results.get(0).result());
    assertEquals("model", e.stage());
    assertTrue(e.message().contains("the server went away"), e.message());
    assertInstanceOf(Explanation.class, sink.results.get(1).result());
    assertInstanceOf(Explanation.class, sink.results.get(2).result());
  }

  private static ExplanationJob job(
      Dime dime, List<SourceRecord> records, ExplanationsFile file, JobListener l, int threads) {
    return ExplanationJob.builder(dime)
        .source(RecordSource.of("test", records))
        .targets(PREDICTED)
        .threads(threads)
        .checkpoint(file)
        .listener(l)
        .globalChecks(false)
        .build();
  }

  private static JobOutcome run(
      Dime dime, List<SourceRecord> records, ExplanationsFile file, JobListener l, int threads)
      throws IOException {
    JobOutcome out = job(dime, records, file, l, threads).run();
    assertFalse(out.cancelled());
    return out;
  }

  /** The file's lines with their wall times removed (also for the other job tests). */
  static List<String> withoutTimings(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      ObjectNode n = (ObjectNode) Json.mapper().readTree(line);
      n.remove("timings");
      out.add(Json.line(n));
    }
    return out;
  }
}
