package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.core.Versions;
import io.dime.core.io.Json;
import io.dime.reproduce.SyntheticModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dime explain} end to end on the committed synthetic MLP, bad records included. */
class ExplainCommandTest {
  private static final String PIPELINE =
      """
      modalities:
        - name: d1
          plugin: vector
          settings: {length: 10, input: d1}
        - name: d2
          plugin: vector
          settings: {length: 10, input: d2}
      output: logits
      outputKind: logits
      classNames: ["0", "1"]
      """;

  private static String vector(SplittableRandom rng, int n) {
    List<String> v = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      v.add(String.format(java.util.Locale.ROOT, "%.4f", rng.nextDouble(-1, 1)));
    }
    return "[" + String.join(",", v) + "]";
  }

  /** Five good points and four bad lines; returns the manifest. */
  static Path write(Path dir) throws Exception {
    Files.writeString(dir.resolve("pipeline.yaml"), PIPELINE);
    SplittableRandom rng = new SplittableRandom(7);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      if (i == 2) {
        lines.add(
            "{\"id\":\"short\",\"d1\":" + vector(rng, 9) + ",\"d2\":" + vector(rng, 10) + "}");
        lines.add("{\"id\":\"nod2\",\"d1\":" + vector(rng, 10) + ",\"label\":\"1\"}");
        lines.add("{\"id\": \"broken\", \"d1\": [1, 2,");
      }
      lines.add(
          "{\"id\":\"p"
              + i
              + "\",\"d1\":"
              + vector(rng, 10)
              + ",\"d2\":"
              + vector(rng, 10)
              + ",\"label\":\""
              + (i % 2)
              + "\"}");
    }
    lines.add("{\"id\":\"p1\",\"d1\":" + vector(rng, 10) + ",\"d2\":" + vector(rng, 10) + "}");
    Path data = dir.resolve("data.jsonl");
    Files.write(data, lines);
    return data;
  }

  static String[] args(Path dir) {
    return new String[] {
      "explain",
      "--model",
      "onnx:" + SyntheticModels.file("synthetic_mlp.onnx"),
      "--pipeline",
      dir.resolve("pipeline.yaml").toString(),
      "--data",
      dir.resolve("data.jsonl").toString(),
      "--out",
      dir.resolve("out").toString(),
      "--samples",
      "100",
      "--references",
      "10",
      "--threads",
      "2",
      "--quiet"
    };
  }

  private static JsonNode withoutTimings(String line) throws Exception {
    ObjectNode n = (ObjectNode) Json.mapper().readTree(line);
    n.remove("timings");
    return n;
  }

  /**
   * A data path that is a directory, or a pipe, says so (both once read "no data file"), and a
   * failure of the file system names its kind, not the path alone ("dime: /proc/dimeout").
   */
  @Test
  void aWrongDataPathAndAFileSystemFailureSayWhatIsWrong(@TempDir Path dir) throws Exception {
    write(dir);
    String[] args = args(dir);
    args[6] = dir.toString(); // --data
    String[] r = InspectModelCommandTest.run(args);
    assertEquals("2", r[0], r[2]);
    assertEquals(
        "dime: --data " + dir + " is a directory; give the JSONL manifest file in it",
        r[2].strip());
    assertEquals(
        "/x/y: permission denied", Main.describe(new java.nio.file.AccessDeniedException("/x/y")));
    assertEquals(
        "cannot unpack demo data fashion to out/fashion: /x/y: file system error (Read-only file"
            + " system)",
        Main.describe(
            new java.io.UncheckedIOException(
                "cannot unpack demo data fashion to out/fashion",
                new java.nio.file.FileSystemException("/x/y", null, "Read-only file system"))));
    assertEquals(
        "/x: permission denied",
        Main.describe(
            new java.io.UncheckedIOException(new java.nio.file.AccessDeniedException("/x"))));
    List<String> log = new ArrayList<>(List.of(args(dir)));
    log.addAll(List.of("--log-json", dir.toString()));
    String[] l = InspectModelCommandTest.run(log.toArray(String[]::new));
    assertEquals("2", l[0], l[2]);
    assertEquals(
        "dime: cannot open --log-json file "
            + dir
            + ": "
            + dir
            + ": file system error (Is a directory)",
        l[2].strip());
    assertEquals(
        "/x/y: file system error (Read-only file system)",
        Main.describe(
            new java.nio.file.FileSystemException("/x/y", null, "Read-only file system")));
  }

  /**
   * A --pool that is a FIFO, a device or a directory is refused before any work, as --data is: a
   * FIFO blocked the command forever and /dev/zero was read without end (both ran until killed).
   */
  @Test
  void aPoolThatIsAPipeADeviceOrAFolderIsAUsageError(@TempDir Path dir) throws Exception {
    write(dir);
    Path fifo = dir.resolve("pool.jsonl");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo is available");
    String notAFile =
        " is not a regular file (a pipe or a device): the manifest is read more than once (to"
            + " check, to explain, to resume); write it to a file";
    java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put(fifo.toString(), "dime: --pool " + fifo + notAFile);
    if (Files.exists(Path.of("/dev/zero"))) {
      expected.put("/dev/zero", "dime: --pool /dev/zero" + notAFile);
    }
    expected.put(
        dir.toString(),
        "dime: --pool " + dir + " is a directory; give the JSONL manifest file in it");
    expected.put(
        dir.resolve("missing.jsonl").toString(),
        "dime: no pool file " + dir.resolve("missing.jsonl"));
    for (var e : expected.entrySet()) {
      List<String> a = new ArrayList<>(List.of(args(dir)));
      a.addAll(List.of("--pool", e.getKey()));
      String[] r =
          org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
              java.time.Duration.ofSeconds(30),
              () -> InspectModelCommandTest.run(a.toArray(String[]::new)));
      assertEquals("2", r[0], r[2]);
      assertEquals(e.getValue(), r[2].strip());
      assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }
  }

  /**
   * When the data file is the pool and none of its records can be read (here the pipeline's length
   * fits no record), the usage error says why with the first record's problem: it said only "the
   * reference pool has no readable records (data.jsonl)", and no error line was written.
   */
  @Test
  void aPoolWithNoReadableRecordSaysWhy(@TempDir Path dir) throws Exception {
    write(dir);
    Path data = dir.resolve("data.jsonl");
    Files.writeString(
        data, Files.readString(data).replaceAll("\"d1\":\\[[^\\]]*\\]", "\"d1\":[1,2,3]"));
    String[] r = InspectModelCommandTest.run(args(dir));
    assertEquals("2", r[0], r[2]);
    assertEquals(
        "dime: the reference pool has no readable records ("
            + data
            + "): every one of its 9 records fails to read; the first: record 'p0': modality"
            + " 'd1' has 3 entries; expected 10",
        r[2].strip());
  }

  /**
   * A pipeline the model does not fit is said as that, before the manifests are read: the model
   * opens right after the pipeline. Before, a vector length the model's input does not have failed
   * every pool record first ("has 10 entries; expected 3"), then "the reference pool has no
   * readable records".
   */
  @Test
  void aPipelineTheModelDoesNotFitIsSaidBeforeTheRecords(@TempDir Path dir) throws Exception {
    write(dir);
    Files.writeString(dir.resolve("pipeline.yaml"), PIPELINE.replace("length: 10", "length: 3"));
    String[] r = InspectModelCommandTest.run(args(dir));
    assertEquals("2", r[0], r[2]);
    assertEquals(
        "dime: input 'd1' has shape [?, 10] but modality 'd1' encodes rows of shape [3] (? = any"
            + " size)",
        r[2].strip());
  }

  /**
   * An id from the manifest reaches standard error in warnings and usage errors: its control
   * characters (ESC's sequences recolour or clear the terminal, a newline forges a line of its own)
   * and bidirectional overrides are shown as codes, not sent to the terminal.
   */
  @Test
  void idsOnStandardErrorCannotDriveTheTerminal(@TempDir Path dir) throws Exception {
    write(dir);
    String hostile = "x\u001B[2J\u001B]0;title\u0007\ndime: forged\r\u202Eevil\u009B";
    String shown = "x\\u001B[2J\\u001B]0;title\\u0007\\u000Adime: forged\\u000D\\u202Eevil\\u009B";
    String line =
        Json.mapper()
            .writeValueAsString(
                java.util.Map.of("id", hostile, "d1", List.of(1, 2), "d2", List.of(3)));
    Files.writeString(dir.resolve("pool.jsonl"), line + "\n");
    List<String> a = new ArrayList<>(List.of(args(dir)));
    a.addAll(List.of("--pool", dir.resolve("pool.jsonl").toString()));
    String[] r = InspectModelCommandTest.run(a.toArray(String[]::new));
    assertEquals("2", r[0], r[2]); // the pool's one record is unreadable
    assertTrue(r[2].contains("record '" + shown + "' (line 1 of pool.jsonl)"), r[2]);
    Files.writeString(dir.resolve("data.jsonl"), line + "\n");
    String[] u = InspectModelCommandTest.run(args(dir));
    assertEquals("2", u[0], u[2]);
    assertTrue(u[2].contains("the first: record '" + shown + "'"), u[2]);
    for (String err : List.of(r[2], u[2])) {
      assertFalse(
          err.chars()
              .anyMatch(c -> c == 0x1B || c == 0x07 || c == '\r' || c == 0x202E || c == 0x9B),
          err);
      assertFalse(err.contains("\ndime: forged"), err);
    }
  }

  /**
   * A --data-root that is missing or not a folder is a usage error: it was taken, and every file a
   * record named then failed as "the path leaves the data root", which hid the typo.
   */
  @Test
  void aDataRootThatIsNoFolderIsAUsageError(@TempDir Path dir) throws Exception {
    write(dir);
    for (Path root : List.of(dir.resolve("missing"), dir.resolve("data.jsonl"))) {
      List<String> a = new ArrayList<>(List.of(args(dir)));
      a.addAll(List.of("--data-root", root.toString()));
      String[] r = InspectModelCommandTest.run(a.toArray(String[]::new));
      assertEquals("2", r[0], r[2]);
      assertEquals(
          "dime: --data-root "
              + root
              + (root.endsWith("missing")
                  ? ": no such folder"
                  : " is not a folder; give the folder the manifest's files lie under"),
          r[2].strip());
      assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }
  }

  @Test
  void explainsGoodRecordsReportsBadOnesAndResumes(@TempDir Path dir) throws Exception {
    Path data = write(dir);
    Path file = dir.resolve("out").resolve(ExplainCommand.EXPLANATIONS);
    assertEquals(1, Main.run(args(dir)));

    List<String> lines = Files.readAllLines(file);
    assertEquals(9, lines.size(), String.join("\n", lines));
    String[] ids = {"p0", "p1", "short", "nod2", "broken", "p2", "p3", "p4", "p1"};
    int good = 0;
    for (int i = 0; i < ids.length; i++) {
      JsonNode n = Json.mapper().readTree(lines.get(i));
      assertEquals(1, n.path("schemaVersion").asInt(), lines.get(i));
      if (i == 4) { // not JSON after its id, which names it
        assertEquals("broken", n.path("id").asText(), lines.get(i));
        assertEquals(5, n.path("line").asInt());
        assertTrue(n.path("error").path("message").asText().contains("line 5"), lines.get(i));
        continue;
      }
      assertEquals(ids[i], n.path("id").asText(), lines.get(i));
      if (n.has("error")) {
        String msg = n.path("error").path("message").asText();
        assertTrue(msg.contains("'" + ids[i] + "'"), msg);
        switch (i) {
          case 2 -> assertTrue(msg.contains("expected 10"), msg);
          case 3 -> assertTrue(msg.contains("missing modality 'd2'"), msg);
          case 8 -> assertTrue(msg.contains("duplicate id"), msg);
          default -> throw new AssertionError("unexpected error: " + lines.get(i));
        }
        continue;
      }
      good++;
      assertTrue(n.path("classes").size() >= 1);
      for (JsonNode c : n.path("classes")) {
        assertEquals(2, c.path("modalities").size());
        for (JsonNode m : c.path("modalities")) {
          List<String> keys = new ArrayList<>();
          m.path("fits").forEach(f -> keys.add(f.path("key").asText()));
          assertTrue(keys.containsAll(List.of("UC", "MI", "LIME")), keys.toString());
          assertEquals(10, m.path("fits").get(0).path("weights").size());
        }
      }
    }
    assertEquals(5, good);

    JsonNode summary = Json.mapper().readTree(dir.resolve("out").resolve("summary.json").toFile());
    assertEquals(1, summary.path("schemaVersion").asInt());
    assertEquals(5, summary.path("counts").path("explained").asInt());
    // The summary's formula total is the records' own formulas summed, and what was run or cached;
    // the latency is the median of the records' wall times.
    long formulas = 0;
    List<Double> seconds = new java.util.ArrayList<>();
    for (String l : lines) {
      JsonNode n = Json.mapper().readTree(l);
      if (n.has("passes")) {
        formulas += n.path("passes").path("formula").asLong();
        seconds.add(n.path("timings").path("totalSeconds").asDouble());
      }
    }
    JsonNode passes = summary.path("passes");
    assertEquals(formulas, passes.path("formulaTotal").asLong(), passes.toString());
    assertEquals(formulas, passes.path("totalRows").asLong() + passes.path("cachedRows").asLong());
    java.util.Collections.sort(seconds);
    assertEquals(5, seconds.size());
    assertEquals(
        seconds.get(2),
        summary.path("timings").path("latencySecondsPerPoint").asDouble(),
        1e-12,
        summary.path("timings").toString());
    assertEquals(4, summary.path("counts").path("failed").asInt());
    assertEquals(Versions.sha256(data), summary.path("provenance").path("manifestSha256").asText());
    assertTrue(summary.path("provenance").path("model").path("sha256").isTextual());
    assertTrue(summary.path("provenance").path("plugins").has("onnx"));
    assertEquals(5, summary.path("globalAnalysis").path("references").asInt(), summary.toString());
    assertTrue(summary.path("globalAnalysis").path("shares").size() > 0, summary.toString());
    for (String type : List.of("UC", "MI", "LIME")) {
      for (String m : List.of("d1", "d2")) {
        double v = summary.path("dominance").path(type).path(m).asDouble(-1);
        assertTrue(v >= 0, type + " " + m + ": " + summary.path("dominance"));
      }
    }
    assertTrue(summary.path("passes").path("totalRows").asLong() > 0);
    assertEquals(2, summary.path("notes").size()); // the pool's, and that 5 datapoints are few
    assertTrue(
        summary.path("notes").get(1).asText().startsWith("The reference pool has only 5"),
        summary.path("notes").toString());
    JsonNode hidden = summary.path("hiddenBaseline");
    assertEquals(2, hidden.size(), summary.toString());
    for (int j = 0; j < 2; j++) {
      JsonNode h = hidden.get(j);
      assertEquals("d" + (j + 1), h.path("modality").asText());
      assertEquals(summary.path("counts").path("poolSize").asInt(), h.path("records").asInt());
      assertEquals(2, h.path("classes").size(), h.toString());
      double shares = 0;
      for (JsonNode c : h.path("classes")) {
        assertTrue(Double.isFinite(c.path("meanShift").asDouble(Double.NaN)), h.toString());
        shares += c.path("shareHidden").asDouble();
      }
      assertEquals(1.0, shares, 1e-12, h.toString());
    }

    // Rerun: nothing good is explained again.
    long before = Files.getLastModifiedTime(file).toMillis();
    assertEquals(1, Main.run(args(dir)));
    List<String> again = Files.readAllLines(file);
    assertEquals(lines, again);
    JsonNode s2 = Json.mapper().readTree(dir.resolve("out").resolve("summary.json").toFile());
    assertEquals(5, s2.path("counts").path("resumed").asInt());
    assertEquals(0, s2.path("counts").path("explainedThisRun").asInt());
    assertTrue(Files.getLastModifiedTime(file).toMillis() >= before);

    // Remove p3: it alone is explained again, identical but for timings.
    List<String> cut = new ArrayList<>(lines);
    String p3 = cut.remove(6);
    Files.write(file, cut);
    assertEquals(1, Main.run(args(dir)));
    List<String> third = Files.readAllLines(file);
    assertEquals(9, third.size());
    JsonNode s3 = Json.mapper().readTree(dir.resolve("out").resolve("summary.json").toFile());
    assertEquals(4, s3.path("counts").path("resumed").asInt());
    assertEquals(1, s3.path("counts").path("explainedThisRun").asInt());
    for (int i = 0; i < 9; i++) {
      if (i == 6) {
        assertEquals(withoutTimings(p3), withoutTimings(third.get(i)));
      } else if (!Json.mapper().readTree(lines.get(i)).has("error")) {
        assertEquals(lines.get(i), third.get(i));
      }
    }
  }

  /** What r writes to standard error. */
  static String captureErr(Runnable r) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void centredScoresAreExplainedWhenAsked(@TempDir Path dir) throws Exception {
    write(dir);
    List<String> a = new ArrayList<>(List.of(args(dir)));
    a.addAll(List.of("--scores", "centered", "--classes", "0,1"));
    assertEquals(1, Main.run(a.toArray(String[]::new)), "the bad records still fail");
    int explained = 0;
    for (String l : Files.readAllLines(dir.resolve("out").resolve(ExplainCommand.EXPLANATIONS))) {
      JsonNode n = Json.mapper().readTree(l);
      if (n.has("error")) {
        continue;
      }
      explained++;
      assertEquals("centered", n.path("provenance").path("scores").asText());
      // Two classes: the centred scores are -u and u, so both classes' terms are opposite.
      JsonNode c0 = n.path("classes").get(0).path("decomposition");
      JsonNode c1 = n.path("classes").get(1).path("decomposition");
      assertEquals(c0.size(), c1.size());
      for (int t = 0; t < c0.size(); t++) {
        assertEquals(-c0.get(t).path("value").asDouble(), c1.get(t).path("value").asDouble(), 1e-9);
      }
    }
    assertEquals(5, explained);

    Path other = dir.resolve("other");
    Files.createDirectories(other);
    write(other);
    List<String> bad = new ArrayList<>(List.of(args(other)));
    bad.addAll(List.of("--scores", "softmax"));
    String err = captureErr(() -> assertEquals(2, Main.run(bad.toArray(String[]::new))));
    assertTrue(err.contains("--scores must be raw or centered, found 'softmax'"), err);
  }

  @Test
  void unknownAdapterListsTheAvailableOnes(@TempDir Path dir) throws Exception {
    write(dir);
    String[] a = args(dir);
    a[2] = "tensorflow:model.pb";
    String err = captureErr(() -> assertEquals(2, Main.run(a)));
    assertTrue(err.contains("no model adapter 'tensorflow'"), err);
    assertTrue(err.contains("onnx"), err);
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void unknownClassesAndBadThreadCountsAreUsageErrorsBeforeAnyWork(@TempDir Path dir)
      throws Exception {
    write(dir);
    List<String> a = new ArrayList<>(List.of(args(dir)));
    a.addAll(List.of("--classes", "predicted,giraffe"));
    String err = captureErr(() -> assertEquals(2, Main.run(a.toArray(String[]::new))));
    assertTrue(err.contains("--classes: class 'giraffe' is not a model output; outputs:"), err);
    assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    for (String threads : List.of("0", "-3")) {
      List<String> t = new ArrayList<>(List.of(args(dir)));
      t.set(t.indexOf("--threads") + 1, threads);
      String e = captureErr(() -> assertEquals(2, Main.run(t.toArray(String[]::new))));
      assertTrue(e.contains("--threads must be at least 1, found " + threads), e);
    }
  }

  /** An output "folder" that cannot be one is a usage error before the model is even loaded. */
  @Test
  void anOutputFolderThatCannotBeOneIsAUsageErrorBeforeAnyWork(@TempDir Path dir) throws Exception {
    write(dir);
    Path file = dir.resolve("taken.txt");
    Files.writeString(file, "keep me\n");
    for (Path out : List.of(file, file.resolve("below"))) {
      List<String> a = new ArrayList<>(List.of(args(dir)));
      a.set(a.indexOf("--out") + 1, out.toString());
      String err = captureErr(() -> assertEquals(2, Main.run(a.toArray(String[]::new))));
      assertTrue(
          err.contains("--out " + out + ": ") || err.contains("--out " + out + " is a file"), err);
      assertTrue(err.contains("is a file"), err);
      assertEquals("keep me\n", Files.readString(file), "the file is left as it was");
    }
  }

  @Test
  void anEmptyManifestIsAUsageErrorBeforeAnyWork(@TempDir Path dir) throws Exception {
    write(dir);
    for (String content : List.of("", "\n  \n\n")) {
      Files.writeString(dir.resolve("data.jsonl"), content);
      String err = captureErr(() -> assertEquals(2, Main.run(args(dir))));
      assertTrue(err.contains("holds no records (it is empty or has only blank lines)"), err);
      assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }
  }

  @Test
  void unknownModalityPluginListsTheAvailableOnes(@TempDir Path dir) throws Exception {
    write(dir);
    Files.writeString(
        dir.resolve("pipeline.yaml"), PIPELINE.replaceFirst("plugin: vector", "plugin: vectr"));
    String err = captureErr(() -> assertEquals(2, Main.run(args(dir))));
    assertTrue(err.contains("no modality 'vectr'"), err);
    assertTrue(err.contains("vector"), err);
    assertTrue(err.contains("d1"), err);
  }

  @Test
  void unknownPipelinePropertyFails(@TempDir Path dir) throws Exception {
    write(dir);
    Files.writeString(dir.resolve("pipeline.yaml"), PIPELINE + "outptu: x\n");
    String err = captureErr(() -> assertEquals(2, Main.run(args(dir))));
    assertTrue(err.contains("outptu"), err);
    assertNotEquals("", err);
  }
}
