package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dime report} on a real run (text_bow.onnx: a text and a vector) whose files were changed
 * after it: inputs that changed are not drawn beside the old weights, files of other runs and an
 * edited pipeline are refused, lost, repeated, unreadable or unknown lines are noted on the page
 * and on standard error (exit 1), and damaged run files are refused naming the file and the problem
 * (exit 2). An unchanged run is drawn again byte for byte, exit 0.
 */
class ReportChecksTest {
  static final String PIPELINE =
      """
      modalities:
        - name: text
          plugin: text
          settings: {encoder: string, inputName: text, maxLength: 2048}
        - name: num
          plugin: vector
          settings: {length: 2, input: num}
      output: logits
      outputKind: logits
      """;

  private static final String[] TEXTS = {
    "good movie great plot",
    "boring movie bad plot",
    "great great good",
    "bad boring plot",
    "movie plot good bad",
    "great movie boring"
  };

  /** Six records r0..r5 explained into {@code dir/out}; the run must exit 0. */
  static Path run(Path dir, String... more) throws Exception {
    String out = more.length > 0 ? "out2" : "out";
    String[] r = InspectModelCommandTest.run(explain(dir, out, more));
    assertEquals("0", r[0], r[2]);
    return dir.resolve(out);
  }

  /** The command line that explains the six records into {@code dir/out}, files written first. */
  static String[] explain(Path dir, String out, String... more) throws Exception {
    Files.createDirectories(dir);
    Path model = dir.resolve("text_bow.onnx");
    if (!Files.exists(model)) {
      Files.copy(CliFixtures.onnxTestModel("text_bow.onnx"), model);
      Files.writeString(dir.resolve("pipeline.yaml"), PIPELINE);
      StringBuilder data = new StringBuilder();
      for (int i = 0; i < TEXTS.length; i++) {
        data.append(record(i, TEXTS[i], i * 0.5, 1 - i * 0.25)).append('\n');
      }
      Files.writeString(dir.resolve("data.jsonl"), data);
    }
    List<String> args =
        new ArrayList<>(
            List.of(
                "explain",
                "--model",
                "onnx:" + model,
                "--pipeline",
                dir.resolve("pipeline.yaml").toString(),
                "--data",
                dir.resolve("data.jsonl").toString(),
                "--out",
                dir.resolve(out).toString(),
                "--references",
                "4",
                "--quiet"));
    args.addAll(List.of(more));
    if (!args.contains("--samples")) {
      args.addAll(List.of("--samples", "40"));
    }
    return args.toArray(String[]::new);
  }

  private static String record(int i, String text, double a, double b) {
    return "{\"id\": \"r" + i + "\", \"text\": \"" + text + "\", \"num\": [" + a + ", " + b + "]}";
  }

  private static String[] report(Path out) {
    return InspectModelCommandTest.run("report", out.toString());
  }

  private static String html(Path out) throws Exception {
    return Files.readString(out.resolve(ExplainCommand.REPORT), StandardCharsets.UTF_8);
  }

  /** The HTML of the card of record {@code id}. */
  private static String card(String html, String id) {
    int at = html.indexOf("data-id=\"" + id + "\"");
    assertTrue(at >= 0, "no card of " + id);
    int end = html.indexOf("<section class=\"card", at);
    return html.substring(at, end < 0 ? html.length() : end);
  }

  private static int count(String html, String regex) {
    Matcher m = Pattern.compile(regex).matcher(html);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static List<String> lines(Path out) throws Exception {
    return new ArrayList<>(
        Files.readAllLines(out.resolve(ExplainCommand.EXPLANATIONS), StandardCharsets.UTF_8));
  }

  private static void write(Path out, List<String> lines) throws Exception {
    Files.write(out.resolve(ExplainCommand.EXPLANATIONS), lines, StandardCharsets.UTF_8);
  }

  @Test
  void inputsChangedAfterTheRunAreNotDrawnBesideTheOldWeights(@TempDir Path dir) throws Exception {
    Path out = run(dir);
    byte[] first = Files.readAllBytes(out.resolve(ExplainCommand.REPORT));
    String[] r = report(out);
    assertEquals("0", r[0], r[2]);
    assertEquals("", r[2]);
    assertEquals(-1L, Files.mismatch(out.resolve(ExplainCommand.REPORT), save(dir, first)));
    assertTrue(html(out).contains("explainedThisRun: the records this run gave to the model"));

    // r2's text and r0's vector change under the same ids; the others stay
    List<String> data = Files.readAllLines(dir.resolve("data.jsonl"));
    data.set(0, record(0, TEXTS[0], 99, -99));
    data.set(2, record(2, "bad bad boring", 1.0, 0.5));
    Files.write(dir.resolve("data.jsonl"), data);
    r = report(out);
    assertEquals("1", r[0], r[2]);
    assertTrue(r[2].contains("record 'r0': its input changed since the run"), r[2]);
    assertTrue(r[2].contains("record 'r2': its input changed since the run"), r[2]);
    assertFalse(r[2].contains("'r1'"), r[2]);
    assertTrue(r[2].contains("2 records' inputs changed since the run: 'r0', 'r2'"), r[2]);
    String html = html(out);
    for (String id : List.of("r0", "r2")) {
      String card = card(html, id);
      assertTrue(card.contains("Its input changed since the run"), card);
      assertEquals(2, count(card, "No view of this input"), "no input view of " + id);
      assertFalse(card.contains("data:image/"), "no drawn view");
    }
    assertFalse(card(html, "r2").contains(">boring<"), "the new text is not drawn");
    assertFalse(card(html, "r0").contains(">99<"), "the new vector is not drawn");
    String kept = card(html, "r1");
    assertFalse(kept.contains("No view of this input"), kept);
    assertFalse(kept.contains("changed since the run"), kept);
    assertTrue(html.contains("Checks of this redraw"));
    assertTrue(
        html.contains("the manifest " + dir.resolve("data.jsonl") + " changed since the run"));
  }

  /**
   * Features made again that are not the ones the run explained (a modality plugin upgraded, or one
   * whose featurizer is not deterministic, between the run and the redraw; here the stored lines
   * are edited to the same effect) are not drawn under the stored weights: before, the weights were
   * drawn on whatever the plugin made now, silently (exit 0).
   */
  @Test
  void featuresThatAreNotTheExplainedOnesAreNotDrawnBesideTheWeights(@TempDir Path dir)
      throws Exception {
    Path out = run(dir);
    List<String> lines = lines(out);
    int r1 = -1;
    int r3 = -1;
    for (int i = 0; i < lines.size(); i++) {
      r1 = lines.get(i).contains("\"id\":\"r1\"") ? i : r1;
      r3 = lines.get(i).contains("\"id\":\"r3\"") ? i : r3;
    }
    String names = "\"featureNames\":[\"x0\",\"x1\"]";
    assertTrue(lines.get(r1).contains(names), lines.get(r1));
    lines.set(r1, lines.get(r1).replace(names, "\"featureNames\":[\"x1\",\"x0\"]"));
    String map = "\"entries\":[0,1]";
    assertTrue(lines.get(r3).contains(map), lines.get(r3));
    lines.set(r3, lines.get(r3).replace(map, "\"entries\":[1,0]"));
    write(out, lines);
    String[] r = report(out);
    assertEquals("1", r[0], r[2]);
    assertTrue(
        r[2].contains(
            "record 'r1': modality 'num' now makes 2 features [x0, x1] where the run explained 2"
                + " [x1, x0]; its views are left out"),
        r[2]);
    assertTrue(
        r[2].contains(
            "record 'r3': modality 'num' now places its features elsewhere in the input than the"
                + " run did (its entries map differs); its views are left out"),
        r[2]);
    assertTrue(
        r[2].contains("2 records' features are not the ones the run explained: 'r1', 'r3'"), r[2]);
    String html = html(out);
    for (String id : List.of("r1", "r3")) {
      String card = card(html, id);
      assertTrue(card.contains("Its features now are not the ones the run explained"), card);
      assertEquals(2, count(card, "No view of this input"), "no input view of " + id);
    }
    assertFalse(card(html, "r0").contains("not the ones the run explained"));
  }

  private static Path save(Path dir, byte[] bytes) throws Exception {
    Path f = dir.resolve("first.html");
    Files.write(f, bytes);
    return f;
  }

  @Test
  void filesOfAnotherRunAreRefusedNamingTheField(@TempDir Path dir) throws Exception {
    Path out = run(dir);
    Path other = run(dir, "--seed", "5", "--samples", "60");
    byte[] before = Files.readAllBytes(out.resolve(ExplainCommand.REPORT));
    Path lines = out.resolve(ExplainCommand.EXPLANATIONS);
    byte[] own = Files.readAllBytes(lines);

    Files.copy(other.resolve(ExplainCommand.EXPLANATIONS), lines, REPLACE);
    String[] r = report(out);
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains(lines + " line 1 (record 'r0') is not from the run " + out), r[2]);
    assertTrue(r[2].contains("its provenance 'seed' is 5, summary.json has 0"), r[2]);
    assertEquals(-1L, Files.mismatch(out.resolve(ExplainCommand.REPORT), save(dir, before)));

    // one line of the other run among the run's own: samples differ
    List<String> mixed =
        new ArrayList<>(List.of(new String(own, StandardCharsets.UTF_8).split("\n")));
    String foreign =
        Files.readAllLines(other.resolve(ExplainCommand.EXPLANATIONS))
            .get(3)
            .replace("\"seed\":5", "\"seed\":0");
    mixed.set(3, foreign);
    write(out, mixed);
    r = report(out);
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains("line 4 (record 'r3')"), r[2]);
    assertTrue(r[2].contains("its provenance 'samples' is 60, summary.json has 40"), r[2]);

    // the other run's summary beside this run's job.json and lines
    Files.write(lines, own);
    Files.copy(other.resolve(ExplainCommand.SUMMARY), out.resolve(ExplainCommand.SUMMARY), REPLACE);
    r = report(out);
    assertEquals("2", r[0], r[2]);
    assertTrue(
        r[2].contains(
            out.resolve("job.json")
                + " and "
                + out.resolve("summary.json")
                + " are not from one run: 'seed' is 0 in job.json, 5 in summary.json"),
        r[2]);
  }

  /**
   * Lines explained on machines of other core counts (a Spark cluster's executors, a job resumed
   * elsewhere) record other model threads: the same run. Another model is not.
   */
  @Test
  void otherModelThreadsAreOneRunAndAnotherModelIsNot(@TempDir Path dir) throws Exception {
    Path out = run(dir);
    List<String> own = lines(out);
    List<String> edited = new ArrayList<>();
    for (String line : own) {
      assertTrue(line.matches(".*\"model\":\\{[^}]*\"threads\":\\d+.*"), line);
      edited.add(line.replaceFirst("(\"model\":\\{[^}]*\"threads\":)\\d+", "$1977"));
    }
    write(out, edited);
    String[] r = report(out);
    assertEquals("0", r[0], r[2]);
    edited.set(2, edited.get(2).replaceFirst("(\"model\":\\{[^}]*\"sha256\":\")", "$1f00"));
    write(out, edited);
    r = report(out);
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains("line 3 (record 'r2')"), r[2]);
    assertTrue(r[2].contains("its provenance 'model.sha256' is \"f00"), r[2]);
  }

  private static final java.nio.file.CopyOption REPLACE =
      java.nio.file.StandardCopyOption.REPLACE_EXISTING;

  @Test
  void anEditedPipelineIsRefused(@TempDir Path dir) throws Exception {
    Path out = run(dir);
    Files.writeString(dir.resolve("pipeline.yaml"), PIPELINE + "classNames: [POS, NEG]\n");
    String[] r = report(out);
    assertEquals("2", r[0], r[2]);
    assertTrue(
        r[2].contains("the pipeline " + dir.resolve("pipeline.yaml") + " changed since the run"),
        r[2]);
    assertFalse(html(out).contains("POS"));
  }

  @Test
  void lostRepeatedAndTornLinesAreNoted(@TempDir Path dir) throws Exception {
    Path out = run(dir);
    List<String> own = lines(out);

    List<String> lost = new ArrayList<>(own);
    lost.remove(3);
    write(out, lost);
    String[] r = report(out);
    assertEquals("1", r[0], r[2]);
    assertTrue(r[2].contains("1 record of the manifest has no line: 'r3'"), r[2]);
    assertTrue(r[2].contains("holds 5 explanations and 0 error lines, but summary.json counts 6"));
    String html = html(out);
    assertEquals(5, count(html, "<section class=\"card\""));
    assertTrue(html.contains("Checks of this redraw"), "noted in the summary section");
    assertTrue(html.contains("1 record of the manifest has no line: &#39;r3&#39;"), html);

    write(out, List.of());
    r = report(out);
    assertEquals("1", r[0], r[2]);
    assertTrue(r[2].contains("6 records of the manifest have no line: 'r0', 'r1'"), r[2]);
    assertEquals(0, count(html(out), "<section class=\"card\""));

    List<String> twice = new ArrayList<>(own);
    twice.addAll(own.subList(0, 2));
    write(out, twice);
    r = report(out);
    assertEquals("1", r[0], r[2]);
    assertTrue(r[2].contains("record 'r0' has another line, 7, besides line 1"), r[2]);
    assertTrue(r[2].contains("2 second lines of ids are not drawn: 'r0' (line 7), 'r1' (line 8)"));
    assertEquals(6, count(html(out), "<section class=\"card\""), "each record drawn once");

    List<String> torn = new ArrayList<>(own);
    torn.set(5, own.get(5).substring(0, own.get(5).length() / 2));
    Files.writeString(
        out.resolve(ExplainCommand.EXPLANATIONS), String.join("\n", torn), StandardCharsets.UTF_8);
    r = report(out);
    assertEquals("1", r[0], r[2]);
    assertTrue(r[2].contains("1 line cannot be read: line 6"), r[2]);
    assertTrue(r[2].contains("1 record of the manifest has no line: 'r5'"), r[2]);

    // bytes that are not UTF-8 in line 5: that line only (before: the whole report was refused,
    // "not UTF-8 text at line 4", no page drawn)
    java.io.ByteArrayOutputStream garbled = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < own.size(); i++) {
      byte[] b = (own.get(i) + "\n").getBytes(StandardCharsets.UTF_8);
      if (i == 4) {
        b[b.length / 2] = (byte) 0xFF;
      }
      garbled.write(b);
    }
    Files.write(out.resolve(ExplainCommand.EXPLANATIONS), garbled.toByteArray());
    r = report(out);
    assertEquals("1", r[0], r[2]);
    assertTrue(r[2].contains("1 line cannot be read: line 5"), r[2]);
    assertTrue(r[2].contains("explanations.jsonl line 5: not UTF-8 text: byte"), r[2]);
    assertTrue(r[2].contains("1 record of the manifest has no line: 'r4'"), r[2]);
    assertEquals(5, count(html(out), "<section class=\"card\""), "the 5 readable records");
  }

  @Test
  void aLineOfAnUnknownSchemaVersionIsNotDrawnAsVersionOne(@TempDir Path dir) throws Exception {
    Path out = run(dir);
    List<String> lines = lines(out);
    assertTrue(lines.get(1).startsWith("{\"schemaVersion\":1,"), lines.get(1));
    lines.set(1, lines.get(1).replace("{\"schemaVersion\":1,", "{\"schemaVersion\":2,"));
    write(out, lines);
    String[] r = report(out);
    assertEquals("1", r[0], r[2]);
    assertTrue(
        r[2].contains(
            "explanations.jsonl line 2 has schemaVersion 2, which this DIME does not read"),
        r[2]);
    String card = card(html(out), "r1");
    assertTrue(card.contains("<span class=\"badge bad\">failed</span>"), card);
    assertFalse(card.contains("class-expl"), "not drawn as an explanation");
  }

  /**
   * Found by an outside tester: a negative classIndex and a fit with more weights than features
   * were printed on standard error with exit 0, and tampered lines were described in the mapper's
   * texts ("Cannot invoke ... because \"coll\" is null", "enable JsonReadFeature...", "Source:
   * REDACTED"). Now every problem printed makes the exit code 1, and each names the line and the
   * field in plain words.
   */
  @Test
  void tamperedLinesAreNamedInPlainWordsAndEveryProblemMakesExitOne(@TempDir Path dir)
      throws Exception {
    Path out = run(dir);
    List<String> own = lines(out);
    com.fasterxml.jackson.databind.ObjectMapper json = io.dime.core.io.Json.mapper();

    List<String> tampered = new ArrayList<>(own);
    var negative = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(own.get(0));
    ((com.fasterxml.jackson.databind.node.ObjectNode) negative.path("classes").get(0))
        .put("classIndex", -1);
    tampered.set(0, negative.toString());
    write(out, tampered);
    String[] r = report(out);
    assertTrue(r[2].contains("dime: report: "), r[2]);
    assertEquals("1", r[0], r[2]);

    tampered = new ArrayList<>(own);
    var longer = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(own.get(1));
    var fit =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            longer.path("classes").get(0).path("modalities").get(1).path("fits").get(0);
    ((com.fasterxml.jackson.databind.node.ArrayNode) fit.get("weights")).add(0.5);
    ((com.fasterxml.jackson.databind.node.ArrayNode) fit.get("standardErrors")).add(0.1);
    tampered.set(1, longer.toString());
    write(out, tampered);
    r = report(out);
    assertTrue(r[2].contains("record 'r1', modality 'num': fit "), r[2]);
    assertEquals("1", r[0], r[2]);

    tampered = new ArrayList<>(own);
    var noClasses = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(own.get(2));
    noClasses.remove("classes");
    tampered.set(2, noClasses.toString());
    var wrongType = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(own.get(3));
    ((com.fasterxml.jackson.databind.node.ObjectNode) wrongType.path("classes").get(0))
        .put("output", "high");
    tampered.set(3, wrongType.toString());
    tampered.set(4, own.get(4).replaceFirst("\"output\":[-0-9.eE]+", "\"output\":NaN"));
    write(out, tampered);
    r = report(out);
    assertEquals("1", r[0], r[2]);
    assertTrue(
        r[2].contains("explanations.jsonl line 3: field 'classes' is missing or null"), r[2]);
    assertTrue(
        r[2].contains("explanations.jsonl line 4: field 'classes[0].output' must be a number"),
        r[2]);
    assertTrue(r[2].contains("explanations.jsonl line 5: not valid JSON at column "), r[2]);
    assertTrue(r[2].contains(": 'NaN' is not a JSON number"), r[2]);
    for (String leak : List.of("Cannot invoke", "JsonReadFeature", "REDACTED", "java.", "coll")) {
      assertFalse(r[2].contains(leak), leak + " in: " + r[2]);
    }
  }

  @Test
  void damagedRunFilesAreNamedWithTheirProblem(@TempDir Path dir) throws Exception {
    Path out = run(dir);
    Path lines = out.resolve(ExplainCommand.EXPLANATIONS);
    Path summary = out.resolve(ExplainCommand.SUMMARY);
    Path job = out.resolve("job.json");
    byte[] ownLines = Files.readAllBytes(lines);
    byte[] ownSummary = Files.readAllBytes(summary);
    byte[] ownJob = Files.readAllBytes(job);

    Files.delete(lines);
    assertRefused(out, lines + ": missing");
    Files.createDirectory(lines);
    assertRefused(out, lines + ": is a directory");
    Files.delete(lines);
    Files.write(lines, ownLines);

    Files.delete(summary);
    assertRefused(out, summary + ": missing (dime explain writes it when the job ends");
    Files.write(summary, java.util.Arrays.copyOf(ownSummary, ownSummary.length / 2));
    assertRefused(out, summary + ": not valid JSON at line ");
    Files.writeString(summary, "[]");
    assertRefused(out, summary + ": summary: not a JSON object");
    Files.writeString(summary, "{\"schemaVersion\": NaN}");
    assertRefused(
        out, summary + ": not valid JSON at line 1, column 22: 'NaN' is not a JSON number");
    Files.write(summary, ownSummary);

    Files.write(job, java.util.Arrays.copyOf(ownJob, ownJob.length / 2));
    assertRefused(out, job + ": not valid JSON at line ");
    Files.write(job, ownJob);
    assertEquals("0", report(out)[0]);
  }

  private static void assertRefused(Path out, String message) {
    String[] r = report(out);
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].startsWith("dime: " + message), r[2]);
  }
}
