package io.dime.core.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.RecordError;
import io.dime.api.run.JobResult;
import io.dime.api.run.RecordSource;
import io.dime.api.run.SourceRecord;
import io.dime.core.Dime;
import io.dime.core.Targets;
import io.dime.core.estimate.Estimators;
import io.dime.core.io.Json;
import io.dime.core.modality.VectorModality;
import io.dime.spi.Modality;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job over a {@link RereadableSource} (a JSONL manifest) holds its records without their values
 * between its plan and their explanation and reads each again when it explains it: the results are
 * those of the same records held with their values, each record is read again once, and a record
 * whose line changed since the plan fails alone, naming itself.
 */
class RereadingJobTest {
  private static final List<Modality<?>> MODS =
      List.of(VectorModality.of("a", 3), VectorModality.of("b", 3));

  private static Dime engine() {
    List<Datapoint> pool = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < 12; i++) {
      pool.add(
          Datapoint.of(
              "pool" + i,
              Map.of(
                  "a", new double[] {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()},
                  "b", new double[] {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()})));
    }
    return Dime.builder()
        .modality(MODS.get(0))
        .modality(MODS.get(1))
        .model(ExplanationJobTest.model())
        .referencePool(pool)
        .estimator(Estimators.sampled(4))
        .samples(40)
        .seed(3)
        .batchSize(16)
        .build();
  }

  /** 20 records, each with two values of the form d.dddd (so that an edit keeps the lengths). */
  private static Path manifest(Path dir) throws IOException {
    SplittableRandom rng = new SplittableRandom(11);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      b.append("{\"id\": \"r").append(i < 10 ? "0" : "").append(i).append("\", ");
      b.append("\"a\": [").append(v(rng)).append(", ").append(v(rng)).append(", ");
      b.append(v(rng)).append("], \"b\": [").append(v(rng)).append(", ").append(v(rng));
      b.append(", ").append(v(rng)).append("]}\n");
      if (i == 6) {
        b.append("{\"id\": \"broken\"\n");
      }
    }
    Path file = dir.resolve("m.jsonl");
    Files.writeString(file, b, StandardCharsets.UTF_8);
    return file;
  }

  private static String v(SplittableRandom rng) {
    return String.format(Locale.ROOT, "%.4f", 1 + rng.nextDouble() * 8);
  }

  /** A result's line without its wall times. */
  private static String withoutTimings(JobResult r) throws IOException {
    com.fasterxml.jackson.databind.node.ObjectNode n =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            Json.mapper().readTree(Json.line(r.result()));
    n.remove("timings");
    return Json.line(n);
  }

  /** A manifest that counts how often records are read again. */
  private static final class Counting implements RereadableSource {
    final JsonlManifest m;
    final AtomicInteger again = new AtomicInteger();

    Counting(JsonlManifest m) {
      this.m = m;
    }

    @Override
    public String description() {
      return m.description();
    }

    @Override
    public Optional<SourceRecord> next() throws IOException {
      return m.next();
    }

    @Override
    public SourceRecord readAgain(SourceRecord planned) {
      again.incrementAndGet();
      return m.readAgain(planned);
    }

    @Override
    public void close() throws IOException {
      m.close();
    }
  }

  private static ModelFaultPolicyTest.Collector run(RecordSource source, JobListener listener)
      throws IOException {
    ModelFaultPolicyTest.Collector c = new ModelFaultPolicyTest.Collector();
    try (Dime dime = engine()) {
      ExplanationJob.builder(dime)
          .source(source)
          .targets(Targets.classes("1"))
          .threads(2)
          .sink(c)
          .listener(listener)
          .build()
          .run();
    }
    return c;
  }

  /** Runs (or resumes) a job over {@code file} into the checkpoint {@code out}. */
  private static void resume(
      Path file, Path out, io.dime.api.run.ResultSink sink, JobListener listener)
      throws IOException {
    try (Dime dime = engine();
        JsonlManifest source = JsonlManifest.open(file, MODS)) {
      ExplanationJob.builder(dime)
          .source(source)
          .targets(Targets.classes("1"))
          .threads(2)
          .checkpoint(new ExplanationsFile(out))
          .sink(sink)
          .listener(listener)
          .build()
          .run();
    }
  }

  /** A listener that writes {@code text} into {@code file} once the job has begun. */
  private static JobListener writesAtStart(Path file, String text) {
    return new JobListener() {
      @Override
      public void started(JobStart start) {
        try {
          Files.writeString(file, text);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
  }

  @Test
  void recordsReadAgainAreExplainedAsTheRecordsHeldWithTheirValues(@TempDir Path dir)
      throws IOException {
    Path file = manifest(dir);
    ModelFaultPolicyTest.Collector held =
        run(RecordSource.of("m", JsonlManifest.readAll(file, MODS)), JobListener.NONE);
    ModelFaultPolicyTest.Collector again;
    int reads;
    try (Counting source = new Counting(JsonlManifest.open(file, MODS))) {
      again = run(source, JobListener.NONE);
      reads = source.again.get();
    }
    assertEquals(21, held.results.size());
    assertEquals(held.results.size(), again.results.size());
    for (int i = 0; i < held.results.size(); i++) {
      JobResult h = held.results.get(i);
      JobResult a = again.results.get(i);
      assertEquals(h.status(), a.status());
      assertEquals(h.line(), a.line());
      assertEquals(withoutTimings(h), withoutTimings(a), "record " + i);
      if (h.datapoint().isPresent()) {
        for (String m : List.of("a", "b")) {
          assertArrayEquals(
              (double[]) h.datapoint().get().value(m), (double[]) a.datapoint().get().value(m));
        }
      } else {
        assertFalse(a.datapoint().isPresent());
      }
    }
    assertTrue(held.results.get(7).result() instanceof RecordError);
    assertEquals(20, reads, "each readable record is read again once, for its explanation");
  }

  @Test
  void aRecordWhoseLineChangesAfterThePlanFailsAloneNamingIt(@TempDir Path dir) throws IOException {
    Path file = manifest(dir);
    String text = Files.readString(file);
    String line = text.lines().filter(l -> l.contains("\"r12\"")).findFirst().orElseThrow();
    char[] edited = line.toCharArray();
    int digit = line.indexOf("\"a\": [") + 6;
    edited[digit] = edited[digit] == '9' ? '2' : '9'; // the same length: other lines stay in place
    JobListener edit = writesAtStart(file, text.replace(line, new String(edited)));
    ModelFaultPolicyTest.Collector c;
    try (JsonlManifest source = JsonlManifest.open(file, MODS)) {
      c = run(source, edit);
    }
    assertEquals(21, c.results.size());
    int explained = 0;
    for (JobResult r : c.results) {
      if (r.result() instanceof Explanation) {
        explained++;
      }
    }
    assertEquals(19, explained, "every record but the broken line and the edited one");
    JobResult r12 = c.results.get(13);
    RecordError e = (RecordError) r12.result();
    assertEquals(Optional.of("r12"), e.id());
    assertEquals(14, e.line());
    assertEquals(
        "record 'r12': changed while the job ran: its line (14) or a file it names is not what was"
            + " read when the job began; a rerun explains it as it is now",
        e.message());
  }

  @Test
  void aLineFixedDuringTheJobMovesTheOthersAndEveryRecordIsExplainedAsPlanned(@TempDir Path dir)
      throws IOException {
    Path file = manifest(dir);
    ModelFaultPolicyTest.Collector held =
        run(RecordSource.of("m", JsonlManifest.readAll(file, MODS)), JobListener.NONE);
    String text = Files.readString(file);
    // the broken line (8) is mended, longer, once the job has begun: lines 9 to 21 move
    String fixed =
        text.replace(
            "{\"id\": \"broken\"\n", "{\"id\": \"broken\", \"a\": [1, 2, 3], \"b\": [4, 5, 6]}\n");
    JobListener edit = writesAtStart(file, fixed);
    ModelFaultPolicyTest.Collector c;
    try (JsonlManifest source = JsonlManifest.open(file, MODS)) {
      c = run(source, edit);
    }
    assertEquals(fixed, Files.readString(file));
    assertEquals(21, c.results.size());
    for (int i = 0; i < 21; i++) {
      assertEquals(held.results.get(i).line(), c.results.get(i).line());
      assertEquals(withoutTimings(held.results.get(i)), withoutTimings(c.results.get(i)), "" + i);
    }
    assertTrue(c.results.get(7).result() instanceof RecordError, "as it was when the job began");
  }

  @Test
  void aKeptRecordChangedDuringAResumeFailsNamingItAndTheOthersKeepTheirValues(@TempDir Path dir)
      throws IOException {
    Path file = manifest(dir);
    Path out = dir.resolve("explanations.jsonl");
    resume(file, out, new ModelFaultPolicyTest.Collector(), JobListener.NONE);
    String text = Files.readString(file);
    String line = text.lines().filter(l -> l.contains("\"r03\"")).findFirst().orElseThrow();
    char[] edited = line.toCharArray();
    int digit = line.indexOf("\"a\": [") + 6;
    edited[digit] = edited[digit] == '9' ? '2' : '9';
    ModelFaultPolicyTest.Collector c = new ModelFaultPolicyTest.Collector();
    resume(file, out, c, writesAtStart(file, text.replace(line, new String(edited))));
    assertEquals(21, c.results.size());
    for (int i = 0; i < 21; i++) {
      JobResult r = c.results.get(i);
      if (i == 3) {
        assertEquals(JobResult.Status.UNREADABLE, r.status());
        assertEquals(
            "record 'r03': changed while the job ran: its line (4) or a file it names is not what"
                + " was read when the job began; a rerun explains it as it is now",
            ((RecordError) r.result()).message());
      } else if (i != 7) {
        assertEquals(JobResult.Status.RESUMED, r.status(), "record " + i);
        assertEquals(3, ((double[]) r.datapoint().get().value("a")).length, "record " + i);
      }
    }
    assertTrue(
        Files.readString(out).contains("record 'r03': changed while the job ran"),
        "the output says so too");
    assertEquals(
        1,
        Files.readAllLines(out).stream().filter(l -> l.contains("\"id\":\"r03\"")).count(),
        "its error line alone: the explanation kept from the first run is gone");
    ModelFaultPolicyTest.Collector rerun = new ModelFaultPolicyTest.Collector();
    resume(file, out, rerun, JobListener.NONE);
    assertEquals(JobResult.Status.EXPLAINED, rerun.results.get(3).status());
    assertTrue(rerun.results.get(3).result() instanceof Explanation, "explained as it is now");
    assertEquals(JobResult.Status.RESUMED, rerun.results.get(4).status());
  }

  @Test
  void aKeptRecordChangedDuringAResumeIsToldToTheListenerAsUnreadable(@TempDir Path dir)
      throws IOException {
    Path file = manifest(dir);
    Path out = dir.resolve("explanations.jsonl");
    resume(file, out, new ModelFaultPolicyTest.Collector(), JobListener.NONE);
    String text = Files.readString(file);
    String line = text.lines().filter(l -> l.contains("\"r05\"")).findFirst().orElseThrow();
    String edited = line.replace("\"a\": [", "\"a\": [-");
    List<String> told = new ArrayList<>();
    JobListener listener =
        new JobListener() {
          @Override
          public void started(JobStart start) {
            try {
              Files.writeString(file, text.replace(line, edited));
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }

          @Override
          public void explained(JobProgress p) {
            told.add("explained " + p.result().recordId().orElse("?"));
          }

          @Override
          public void unreadable(JobResult r) {
            told.add("unreadable line " + r.line() + ": " + ((RecordError) r.result()).message());
          }
        };
    resume(file, out, new ModelFaultPolicyTest.Collector(), listener);
    // the record moved too (its line one byte longer): r06 onward are found where they are now
    assertEquals(
        List.of(
            "unreadable line 6: record 'r05': changed while the job ran: its line (6) or a file it"
                + " names is not what was read when the job began; a rerun explains it as it is"
                + " now"),
        told,
        "the one failure of the run, told as it is delivered, as an explained record's is");
  }

  @Test
  void aRecordIsReadAgainAfterTheManifestIsClosedAndALightRecordKeepsItsIdentity(@TempDir Path dir)
      throws IOException {
    Path file = manifest(dir);
    List<SourceRecord> light = new ArrayList<>();
    JsonlManifest m = JsonlManifest.open(file, MODS);
    try (m) {
      for (Optional<SourceRecord> r = m.next(); r.isPresent(); r = m.next()) {
        light.add(RereadableSource.light(r.get()));
      }
    }
    SourceRecord first = light.get(0);
    assertTrue(RereadableSource.isLight(first));
    assertEquals(Optional.of("r00"), first.id());
    assertEquals(64, first.inputDigest().orElseThrow().length());
    SourceRecord full = m.readAgain(first);
    assertEquals(first.inputDigest(), full.inputDigest());
    assertEquals(3, ((double[]) full.datapoint().get().value("a")).length);
    assertFalse(RereadableSource.isLight(full));
    SourceRecord broken = light.get(7);
    assertFalse(broken.readable());
    assertEquals(broken, m.readAgain(broken), "an unreadable record stays as it was");
    Files.writeString(file, "");
    assertEquals(
        "record 'r00': changed while the job ran: "
            + file
            + " is shorter now"
            + "; a rerun explains it as it is now",
        m.readAgain(first).error().orElseThrow().message());
  }
}
