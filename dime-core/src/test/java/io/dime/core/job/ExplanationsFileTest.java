package io.dime.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.dime.api.Explanation;
import io.dime.api.Provenance;
import io.dime.api.run.JobResult;
import io.dime.core.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resume reader keeps only whole explanations: a torn or garbled line (not UTF-8, text after
 * the object, a line that is JSON but not an explanation) is explained again instead of failing the
 * resume or being read as a record. The {@code fuzz/resume-*} inputs are the exact ones {@link
 * ResumeFuzzTest} found.
 */
class ExplanationsFileTest {
  @TempDir static Path shared;
  private static ResumeFixture fixture;
  private static byte[] written;
  private static List<String> lines;

  @BeforeAll
  static void writeAnExplanationsFile() throws IOException {
    fixture = new ResumeFixture();
    Path file = shared.resolve("explanations.jsonl");
    fixture.run(file);
    written = Files.readAllBytes(file);
    lines = Files.readAllLines(file, StandardCharsets.UTF_8);
  }

  @AfterAll
  static void close() {
    fixture.close();
  }

  private static Map<String, Explanation> restore(Path file, byte[] content) throws IOException {
    Files.write(file, content);
    return new ExplanationsFile(file).restore(fixture.dime.provenance());
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ExplanationsFileTest.class.getResourceAsStream("/fuzz/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void theWrittenFileIsRestoredWhole(@TempDir Path dir) throws IOException {
    Map<String, Explanation> kept = restore(dir.resolve("e.jsonl"), written);
    assertEquals(List.of("p0", "p1", "p2"), List.copyOf(kept.keySet()));
    assertEquals(lines.get(0), Json.line(kept.get("p0")));
  }

  /**
   * A file that is no regular file is refused with its name before a byte is read: a directory
   * (which once failed the job with "Is a directory" and a claim that records were kept in it) and
   * a device that never ends a line (/dev/full, read into memory until the heap ran out).
   */
  @Test
  void aDirectoryOrADeviceIsRefusedNotRead(@TempDir Path dir) throws IOException {
    Path folder = Files.createDirectory(dir.resolve("explanations.jsonl"));
    CheckpointRefusedException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            CheckpointRefusedException.class,
            () -> new ExplanationsFile(folder).restore(fixture.dime.provenance()));
    assertEquals(
        folder
            + " is not a regular file (a directory, a device or a pipe); remove it or use another"
            + " --out",
        e.getMessage());
    Path device = Path.of("/dev/full");
    if (Files.exists(device)) {
      Path link = Files.createSymbolicLink(dir.resolve("linked.jsonl"), device);
      org.junit.jupiter.api.Assertions.assertThrows(
          CheckpointRefusedException.class,
          () -> new ExplanationsFile(link).restore(fixture.dime.provenance()));
    }
  }

  /**
   * The final file copies each line's bytes from where it was written, in the order the results
   * came, stale ones last: kept lines, new ones, errors and unreadable records, text that UTF-8
   * cannot hold (a lone surrogate becomes '?', as everywhere the lines are written).
   */
  @Test
  void theFinalFileHoldsEveryResultInOrderAndStaleOnesLast(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("e.jsonl");
    Files.write(file, written);
    ExplanationsFile f = new ExplanationsFile(file);
    Map<String, Explanation> kept = f.restore(fixture.dime.provenance());
    java.util.function.BiFunction<JobResult.Status, io.dime.api.ExplainResult, JobResult> result =
        (st, r) -> new JobResult(st, 0, r, java.util.Optional.empty(), Map.of());
    io.dime.api.RecordError failed =
        new io.dime.api.RecordError("bad\ud800", "input", "caf\u00e9 \ud83d\ude00 \ud800 broken");
    io.dime.api.RecordError unreadable =
        new io.dime.api.RecordError(java.util.Optional.empty(), 3, "read", "line 3: not JSON");
    // an unreadable record with a kept record's id (a duplicate) is known too
    io.dime.api.RecordError duplicate =
        new io.dime.api.RecordError(java.util.Optional.of("p0"), 9, "read", "duplicate id");
    f.begin(
        List.of(
            result.apply(JobResult.Status.RESUMED, kept.get("p0")),
            result.apply(JobResult.Status.UNREADABLE, duplicate),
            result.apply(JobResult.Status.RESUMED, kept.get("p2")),
            result.apply(JobResult.Status.RESUMED, kept.get("p1"))));
    f.accept(result.apply(JobResult.Status.RESUMED, kept.get("p2")));
    f.accept(result.apply(JobResult.Status.EXPLAINED, failed));
    f.accept(result.apply(JobResult.Status.UNREADABLE, unreadable));
    f.accept(result.apply(JobResult.Status.RESUMED, kept.get("p0")));
    f.accept(result.apply(JobResult.Status.STALE, kept.get("p1")));
    f.finish(null);
    f.close();
    List<String> want =
        List.of(
            lines.get(2),
            Json.line(failed).replace("\ud800", "?"),
            Json.line(unreadable),
            lines.get(0),
            lines.get(1));
    assertEquals(want, Files.readAllLines(file, StandardCharsets.UTF_8));
    assertEquals(List.of("e.jsonl"), List.of(dir.toFile().list()), "no temporary file is left");
  }

  /**
   * The file, or its whole folder, deleted while the job runs: the final file still holds every
   * line written. Before, the final rewrite read the file again by its name, so a deleted file
   * became an empty one (the job ended with exit code 0 and a summary counting the lost records),
   * and a deleted folder failed the job naming only "explanations.jsonl.tmp".
   */
  @Test
  void linesWrittenSurviveTheFileOrItsFolderBeingDeletedWhileTheJobRuns(@TempDir Path dir)
      throws IOException {
    for (boolean wholeFolder : new boolean[] {false, true}) {
      Path folder = Files.createDirectories(dir.resolve(wholeFolder ? "folder" : "file"));
      Path file = folder.resolve("e.jsonl");
      Files.write(file, written);
      ExplanationsFile f = new ExplanationsFile(file);
      Map<String, Explanation> kept = f.restore(fixture.dime.provenance());
      f.begin(List.of());
      f.accept(
          new JobResult(
              JobResult.Status.EXPLAINED, 0, kept.get("p0"), java.util.Optional.empty(), Map.of()));
      f.accept(
          new JobResult(
              JobResult.Status.EXPLAINED, 1, kept.get("p1"), java.util.Optional.empty(), Map.of()));
      Files.delete(file);
      if (wholeFolder) {
        Files.delete(folder);
      }
      f.accept(
          new JobResult(
              JobResult.Status.EXPLAINED, 2, kept.get("p2"), java.util.Optional.empty(), Map.of()));
      f.finish(null);
      f.close();
      List<String> now = Files.readAllLines(file, StandardCharsets.UTF_8);
      org.junit.jupiter.api.Assertions.assertTrue(
          lines.subList(0, 3).equals(now),
          "deleted " + (wholeFolder ? "folder" : "file") + ": " + now.size() + " lines");
      assertEquals(
          List.of("e.jsonl"), List.of(folder.toFile().list()), "no temporary file is left");
    }
  }

  /**
   * A job that stops (another sink failed: the report's cards, in the deleted folder) after its
   * folder was deleted: closing the file writes it again from the lines appended, so that the
   * message's "the records explained so far are kept in OUT/explanations.jsonl" is true and a rerun
   * resumes. Before, they were lost with the deleted file.
   */
  @Test
  void aJobStoppedAfterItsFolderWasDeletedKeepsItsLines(@TempDir Path dir) throws IOException {
    Path folder = Files.createDirectories(dir.resolve("out"));
    Path file = folder.resolve("e.jsonl");
    Files.write(file, written);
    ExplanationsFile f = new ExplanationsFile(file);
    Map<String, Explanation> kept = f.restore(fixture.dime.provenance());
    f.begin(List.of());
    for (int i = 0; i < 2; i++) {
      f.accept(
          new JobResult(
              JobResult.Status.EXPLAINED,
              i,
              kept.get("p" + i),
              java.util.Optional.empty(),
              Map.of()));
    }
    Files.delete(file);
    Files.delete(folder);
    f.close();
    List<String> now = Files.readAllLines(file, StandardCharsets.UTF_8);
    org.junit.jupiter.api.Assertions.assertTrue(
        lines.subList(0, 2).equals(now), now.size() + " lines");
    assertEquals(List.of("e.jsonl"), List.of(folder.toFile().list()), "no temporary file is left");
  }

  /** A crash that cut the last line inside a two-byte character (0xC3 without its second byte). */
  @Test
  void aLastLineCutInsideACharacterIsExplainedAgain(@TempDir Path dir) throws IOException {
    byte[] first = lines.get(0).getBytes(StandardCharsets.UTF_8);
    byte[] torn = Arrays.copyOf(written, written.length + first.length / 2 + 1);
    System.arraycopy(first, 0, torn, written.length, first.length / 2);
    torn[torn.length - 1] = (byte) 0xC3;
    // p0's whole line is kept; its torn copy is not read (and does not fail the resume)
    Map<String, Explanation> kept = restore(dir.resolve("e.jsonl"), torn);
    assertEquals(List.of("p0", "p1", "p2"), List.copyOf(kept.keySet()));
    assertEquals(lines.get(0), Json.line(kept.get("p0")));
  }

  /** A line whose object is followed by more text (two writes run together) is not a record. */
  @Test
  void anObjectFollowedByMoreTextIsNotRead(@TempDir Path dir) throws IOException {
    String text = lines.get(0) + "{\"id\":\n" + lines.get(1) + " x\n" + lines.get(2) + "\n";
    Map<String, Explanation> kept =
        restore(dir.resolve("e.jsonl"), text.getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("p2"), List.copyOf(kept.keySet()));
  }

  /**
   * Found by ResumeFuzzTest: a line with the settings' provenance but without dimeVersion (and with
   * its other fields garbled) made restore throw "provenance: 'dimeVersion' must be string, found
   * nothing", naming no file and no line.
   */
  @Test
  void aLineThatIsNotAnExplanationIsExplainedAgain(@TempDir Path dir) throws IOException {
    assertEquals(
        Map.of(), restore(dir.resolve("e.jsonl"), resource("resume-missing-provenance.jsonl")));
  }

  /**
   * Found by ResumeFuzzTest (a fresh clone's CI run, this stop): a line that gives a field twice,
   * the first time unreadable ({@code "replicateError":"Na"}), passed as kept, its tree holding the
   * second value, and failed the resume when it was read again from its bytes ("the kept
   * explanation of record 'p1' cannot be read again"). A field given twice now makes the line one
   * that is explained again, as a manifest refuses such a line.
   */
  @Test
  void aLineThatGivesAFieldTwiceIsExplainedAgain(@TempDir Path dir) throws IOException {
    assertEquals(
        Map.of(), restore(dir.resolve("e.jsonl"), resource("resume-duplicate-field.jsonl")));
    String p1 = lines.get(1);
    int at = p1.indexOf("\"predicted\":");
    String twice = p1.substring(0, at) + "\"predicted\":\"x\"," + p1.substring(at);
    byte[] content =
        (lines.get(0) + "\n" + twice + "\n" + lines.get(2) + "\n").getBytes(StandardCharsets.UTF_8);
    assertEquals(
        List.of("p0", "p2"), List.copyOf(restore(dir.resolve("f.jsonl"), content).keySet()));
  }

  /**
   * Found by ResumeFuzzTest: a line with an unknown field in "passes" made the resumed job fail
   * with Jackson's UnrecognizedPropertyException; now that record is explained again.
   */
  @Test
  void aJobResumedFromALineWithAnUnknownFieldExplainsItAgain(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("e.jsonl");
    Files.write(file, resource("resume-unknown-field.jsonl"));
    JobOutcome out = fixture.run(file);
    assertFalse(out.cancelled());
    assertEquals(3, out.explained());
    assertEquals(1, out.failed());
    List<String> ids = new java.util.ArrayList<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      ids.add(Json.readResult(l).recordId().orElseThrow());
    }
    assertEquals(List.of("p0", "p1", "p2", "bad"), ids, "one line per record, in source order");
  }

  /**
   * A job resumed on a machine with other processors (or run on executors of other core counts than
   * the driver) records other model threads: it resumes. Any other field of the model's entry
   * differing is another model, refused.
   */
  @Test
  void otherModelThreadsResumeAndAnotherModelIsRefused(@TempDir Path dir) throws IOException {
    Map<String, Object> model = new java.util.LinkedHashMap<>(fixture.dime.provenance().model());
    model.put(ExplanationsFile.MODEL_THREADS, 64);
    Map<String, Explanation> kept =
        restore(dir.resolve("e.jsonl"), withModel(model).getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("p0", "p1", "p2"), List.copyOf(kept.keySet()));
    model.put("sha256", "another model");
    byte[] other = withModel(model).getBytes(StandardCharsets.UTF_8);
    CheckpointRefusedException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            CheckpointRefusedException.class, () -> restore(dir.resolve("f.jsonl"), other));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage()
            .contains(
                "('model.sha256' differs for record 'p0' on line 1: \"another model\" there,"
                    + " absent in this run: another model, or its file changed); use another"
                    + " --out"),
        e.getMessage());
  }

  /**
   * A job stopped by a slow or dead server is resumed with a longer timeout, more retries, another
   * concurrency or response limit, or the same model at another host:port (its digest unchanged):
   * the kept lines are kept. Another digest, model name or batch size (a server's rounding may
   * depend on its batches) still refuses, naming the field and both values and never suggesting to
   * remove the file.
   */
  @Test
  void transportSettingsAndAMovedModelResumeAndAnotherModelIsRefused(@TempDir Path dir)
      throws IOException {
    // this run: a served model, as the oip adapter records it
    Map<String, Object> served = new java.util.LinkedHashMap<>(fixture.dime.provenance().model());
    served.put("adapter", "oip");
    served.put("location", "http://127.0.0.1:8000/v2/models/m");
    served.put("sha256", "334a2385");
    served.put("concurrency", 1);
    served.put("timeoutSeconds", 60.0);
    served.put("retries", 3);
    served.put("retryBackoffMillis", 100);
    served.put("batchSize", 0);
    Provenance run = withModel(fixture.dime.provenance(), served);
    // the kept lines: the same model elsewhere, called otherwise
    Map<String, Object> model = new java.util.LinkedHashMap<>(served);
    model.put("location", "http://10.0.0.7:9000/v2/models/m");
    model.put("concurrency", 8);
    model.put("timeoutSeconds", 1.0);
    model.put("retries", 0);
    model.put("retryBackoffMillis", 5);
    model.put("maxResponseMegabytes", 2);
    Path file = dir.resolve("e.jsonl");
    Files.write(file, withModel(model).getBytes(StandardCharsets.UTF_8));
    Map<String, Explanation> kept = new ExplanationsFile(file).restore(run);
    assertEquals(List.of("p0", "p1", "p2"), List.copyOf(kept.keySet()));

    for (Map.Entry<String, Object> change :
        Map.<String, Object>of("batchSize", 7, "sha256", "99ff", "model", "other").entrySet()) {
      Map<String, Object> other = new java.util.LinkedHashMap<>(model);
      other.put(change.getKey(), change.getValue());
      Path f = dir.resolve(change.getKey() + ".jsonl");
      Files.write(f, withModel(other).getBytes(StandardCharsets.UTF_8));
      CheckpointRefusedException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              CheckpointRefusedException.class, () -> new ExplanationsFile(f).restore(run));
      String m = e.getMessage();
      org.junit.jupiter.api.Assertions.assertTrue(
          m.contains(
              "('model."
                  + change.getKey()
                  + "' differs for record 'p0' on line 1: "
                  + Json.line(change.getValue())
                  + " there, "
                  + Json.line(served.get(change.getKey()))
                  + " in this run"
                  + ExplanationsFile.meaning("model." + change.getKey())
                  + "); use another --out"),
          m);
      org.junit.jupiter.api.Assertions.assertFalse(m.contains("remove"), m);
    }

    // without a digest, the location is the model's only identity: refused
    Map<String, Object> runNoDigest = new java.util.LinkedHashMap<>(served);
    runNoDigest.remove("sha256");
    Map<String, Object> movedNoDigest = new java.util.LinkedHashMap<>(model);
    movedNoDigest.remove("sha256");
    Path moved = dir.resolve("moved.jsonl");
    Files.write(moved, withModel(movedNoDigest).getBytes(StandardCharsets.UTF_8));
    CheckpointRefusedException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            CheckpointRefusedException.class,
            () ->
                new ExplanationsFile(moved)
                    .restore(withModel(fixture.dime.provenance(), runNoDigest)));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage()
            .contains(
                "'model.location' differs for record 'p0' on line 1:"
                    + " \"http://10.0.0.7:9000/v2/models/m\" there,"
                    + " \"http://127.0.0.1:8000/v2/models/m\" in this run"),
        e.getMessage());
  }

  /** The provenance with another model entry. */
  private static Provenance withModel(Provenance p, Map<String, Object> model) {
    return new Provenance(
        p.dimeVersion(),
        p.libraries(),
        p.seed(),
        p.samples(),
        p.batchSize(),
        p.maxInteractionOrder(),
        p.replicates(),
        p.faithfulness(),
        p.estimator(),
        p.surrogate(),
        p.modalities(),
        model,
        p.outputs(),
        p.scores(),
        p.pool(),
        p.limits(),
        p.run(),
        p.referenceDraws(),
        p.inputDigest());
  }

  /** The written lines with each explanation's model provenance replaced. */
  private static String withModel(Map<String, Object> model) throws IOException {
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      com.fasterxml.jackson.databind.node.ObjectNode n =
          (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(line);
      if (n.has("provenance")) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) n.get("provenance"))
            .set("model", Json.mapper().valueToTree(model));
      }
      out.append(Json.mapper().writeValueAsString(n)).append('\n');
    }
    return out.toString();
  }

  /**
   * A resume holds a few numbers per kept record, not the explanations: each is read again from its
   * line when it is delivered (a 20,000-record resume held them all, three times a fresh run's
   * memory), from where {@link ExplanationsFile#begin} wrote it once the file was rewritten, and
   * reads the same explanation either way.
   */
  @Test
  void keptExplanationsAreReadAgainFromTheirLines(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("e.jsonl");
    // a torn line first: what is kept no longer lies where the written file had it
    Files.write(file, concat("{\"id\": \"torn".getBytes(StandardCharsets.UTF_8), written));
    ExplanationsFile f = new ExplanationsFile(file);
    Map<String, KeptExplanation> kept = f.keep(fixture.dime.provenance());
    assertEquals(List.of("p0", "p1", "p2"), List.copyOf(kept.keySet()));
    Explanation p1 = kept.get("p1").read();
    assertEquals(lines.get(1), Json.line(p1));
    org.junit.jupiter.api.Assertions.assertNotSame(p1, kept.get("p1").read());
    assertEquals(
        p1.provenance().inputDigest(), kept.get("p1").inputDigest(), "the plan's input digest");
    // begin reads each kept explanation as it writes it (the list reads its elements lazily)
    java.util.function.Function<String, JobResult> resumed =
        id ->
            new JobResult(
                JobResult.Status.RESUMED,
                0,
                kept.get(id).read(),
                java.util.Optional.empty(),
                Map.of());
    f.begin(
        List.of(
            resumed.apply("p2"),
            resumed.apply("p0"),
            new JobResult(
                JobResult.Status.STALE,
                0,
                kept.get("p1").read(),
                java.util.Optional.empty(),
                Map.of())));
    assertEquals(
        List.of(lines.get(2), lines.get(0), lines.get(1)),
        Files.readAllLines(file, StandardCharsets.UTF_8));
    for (int i = 0; i < 3; i++) {
      assertEquals(lines.get(i), Json.line(kept.get("p" + i).read()), "p" + i + " after begin");
    }
    f.accept(resumed.apply("p0"));
    f.finish(null);
    f.close();
    IllegalStateException late =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> kept.get("p0").read());
    assertEquals(
        "the explanations of " + file + " are read again only until the job finishes",
        late.getMessage());
  }

  /**
   * A resumed job writes its kept lines back as the file held them (their bytes copied, not each
   * read and written again): a kept line spaced otherwise than this version writes stays so, and
   * the job's result is the same.
   */
  @Test
  void aResumedJobCopiesItsKeptLinesAsTheyWere(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("e.jsonl");
    String spaced = "{ " + lines.get(1).substring(1);
    Files.write(file, List.of(lines.get(0), spaced, lines.get(2)), StandardCharsets.UTF_8);
    JobOutcome out = fixture.run(file);
    assertEquals(3, out.explained(), "kept, none explained again");
    List<String> after = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertEquals(List.of(lines.get(0), spaced, lines.get(2)), after.subList(0, 3));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + 1 + b.length);
    out[a.length] = '\n';
    System.arraycopy(b, 0, out, a.length + 1, b.length);
    return out;
  }

  /**
   * A stale explanation (its id no longer in the source) is copied from its line as a kept one is,
   * after the records' lines: it was written again from the explanation read back, and every stale
   * line was held in memory as text until the job finished (19,000 of a 20,000-record file resumed
   * on a shorter manifest held them all, as the resume held every kept line before).
   */
  @Test
  void aResumedJobCopiesItsStaleLinesAsTheyWere(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("e.jsonl");
    String gone = "{ " + lines.get(1).substring(1).replace("\"id\":\"p1\"", "\"id\":\"gone\"");
    org.junit.jupiter.api.Assertions.assertTrue(gone.contains("\"id\":\"gone\""), gone);
    Files.write(
        file, List.of(lines.get(0), gone, lines.get(1), lines.get(2)), StandardCharsets.UTF_8);
    fixture.run(file);
    List<String> after = Files.readAllLines(file, StandardCharsets.UTF_8);
    org.junit.jupiter.api.Assertions.assertTrue(
        after.get(after.size() - 1).equals(gone),
        "the stale line last, as it was: " + after.get(after.size() - 1).substring(0, 60));
    assertEquals(1, after.stream().filter(l -> l.contains("\"id\":\"gone\"")).count());
  }
}
