package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress of {@code dime explain}: the human bar, {@code --quiet} and {@code --log-json}. */
class ExplainProgressTest {
  private static List<String> args(Path dir, boolean quiet) {
    List<String> a = new ArrayList<>(Arrays.asList(ExplainCommandTest.args(dir)));
    if (!quiet) {
      a.remove("--quiet");
    }
    return a;
  }

  private static List<JsonNode> events(String text) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        out.add(Json.mapper().readTree(line));
      }
    }
    return out;
  }

  @Test
  void logJsonFileHasStartOnePointPerDatapointAndEnd(@TempDir Path dir) throws Exception {
    ExplainCommandTest.write(dir);
    Path log = dir.resolve("logs").resolve("run.jsonl");
    List<String> a = args(dir, true);
    a.addAll(List.of("--log-json", log.toString()));
    String[] r = InspectModelCommandTest.run(a.toArray(String[]::new));
    assertEquals("1", r[0], "four records cannot be read");
    assertEquals("", r[2], "--quiet: nothing on standard error");

    List<JsonNode> ev = events(Files.readString(log));
    assertEquals(11, ev.size(), ev.toString());
    JsonNode start = ev.get(0);
    assertEquals("start", start.path("event").asText());
    assertEquals(9, start.path("records").asInt());
    assertEquals(5, start.path("readable").asInt());
    assertEquals(4, start.path("unreadable").asInt());
    assertEquals(0, start.path("resumed").asInt());
    assertEquals(5, start.path("total").asInt());
    assertEquals(2, start.path("threads").asInt());
    assertTrue(start.path("time").asText().endsWith("Z"), start.toString());

    // Points in manifest order; index is the record's line in explanations.jsonl.
    List<String> out = Files.readAllLines(dir.resolve("out").resolve(ExplainCommand.EXPLANATIONS));
    // The start's passes per point are the formula of a point explained for one class.
    long oneClass = start.path("passesPerPointOneClass").asLong();
    int single = 0;
    for (String line : out) {
      JsonNode e = Json.mapper().readTree(line);
      if (!e.has("error")) {
        long formula = e.path("passes").path("formula").asLong();
        assertTrue(formula >= oneClass, line);
        if (e.path("classes").size() == 1) {
          assertEquals(oneClass, formula, line);
          single++;
        }
      }
    }
    assertTrue(single > 0, "some point is explained for one class only");
    // Each record that could not be read has its own event after the start (it gets no point).
    int[] unreadableLines = {3, 4, 5, 9};
    for (int i = 0; i < 4; i++) {
      JsonNode u = ev.get(1 + i);
      assertEquals("unreadable", u.path("event").asText(), u.toString());
      assertEquals(unreadableLines[i], u.path("line").asInt(), u.toString());
      assertFalse(u.path("ok").asBoolean(true), u.toString());
      assertEquals("read", u.path("error").path("stage").asText(), u.toString());
      assertFalse(u.path("error").path("message").asText().isBlank(), u.toString());
    }
    assertEquals("short", ev.get(1).path("id").asText());
    assertTrue(
        ev.get(1).path("error").path("message").asText().contains("d1"), ev.get(1).toString());
    assertEquals(
        "broken", ev.get(3).path("id").asText(), "a line not JSON after its id: " + ev.get(3));
    String[] ids = {"p0", "p1", "p2", "p3", "p4"};
    for (int i = 0; i < 5; i++) {
      JsonNode p = ev.get(5 + i);
      assertEquals("point", p.path("event").asText(), p.toString());
      assertEquals(ids[i], p.path("id").asText());
      assertEquals(i + 1, p.path("done").asInt());
      assertEquals(5, p.path("total").asInt());
      assertTrue(p.path("ok").asBoolean(), p.toString());
      assertFalse(p.has("error"));
      int index = p.path("index").asInt();
      assertEquals(ids[i], Json.mapper().readTree(out.get(index)).path("id").asText());
      assertTrue(p.path("seconds").asDouble() > 0, p.toString());
      assertTrue(p.path("elapsedSeconds").asDouble() > 0, p.toString());
      assertTrue(p.path("rate").asDouble() > 0, p.toString());
      assertTrue(p.path("etaSeconds").asDouble() >= 0, p.toString());
    }
    assertEquals(0.0, ev.get(9).path("etaSeconds").asDouble());
    JsonNode end = ev.get(10);
    assertEquals("end", end.path("event").asText());
    assertEquals(5, end.path("explained").asInt());
    assertEquals(4, end.path("failed").asInt());
    assertEquals(5, end.path("explainedThisRun").asInt());
    assertEquals(1, end.path("exitCode").asInt());

    // A rerun appends its own start and end (nothing is left to explain).
    assertEquals(1, Main.run(a.toArray(String[]::new)));
    List<JsonNode> again = events(Files.readString(log));
    assertEquals(17, again.size());
    assertEquals("start", again.get(11).path("event").asText());
    assertEquals(5, again.get(11).path("resumed").asInt());
    assertEquals(0, again.get(11).path("total").asInt());
    assertEquals("unreadable", again.get(12).path("event").asText());
    assertEquals("end", again.get(16).path("event").asText());
  }

  /**
   * Every event has the schemaVersion of the run's other JSON documents, and the start event the
   * run's provenance, once (the summary's, which a stopped job never writes).
   */
  @Test
  void everyEventHasTheSchemaVersionAndTheStartTheProvenance(@TempDir Path dir) throws Exception {
    ExplainCommandTest.write(dir);
    Path log = dir.resolve("run.jsonl");
    List<String> a = args(dir, true);
    a.addAll(List.of("--log-json", log.toString()));
    assertEquals(1, Main.run(a.toArray(String[]::new)), "four records cannot be read");

    List<JsonNode> ev = events(Files.readString(log));
    assertEquals(11, ev.size(), ev.toString());
    for (JsonNode e : ev) {
      assertTrue(e.path("schemaVersion").isInt(), e.toString());
      assertEquals(1, e.path("schemaVersion").intValue(), e.toString());
      assertEquals(e.path("event").asText().equals("start"), e.has("provenance"), e.toString());
    }
    JsonNode summary =
        Json.mapper().readTree(dir.resolve("out").resolve(ExplainCommand.SUMMARY).toFile());
    assertEquals(summary.path("provenance"), ev.get(0).path("provenance"));
  }

  @Test
  void logJsonToStandardErrorReplacesTheHumanProgress(@TempDir Path dir) throws Exception {
    ExplainCommandTest.write(dir);
    List<String> a = args(dir, false);
    a.addAll(List.of("--log-json", "-"));
    String[] r = InspectModelCommandTest.run(a.toArray(String[]::new));
    assertEquals("1", r[0]);
    assertFalse(r[2].contains("\r"), "no progress bar: " + r[2]);
    List<JsonNode> ev = events(r[2]); // every line is JSON
    assertEquals(11, ev.size(), r[2]);
    assertEquals("start", ev.get(0).path("event").asText());
    // the records that could not be read are named there, not only counted (they were not)
    for (int i = 1; i <= 4; i++) {
      assertEquals("unreadable", ev.get(i).path("event").asText(), r[2]);
      assertEquals("read", ev.get(i).path("error").path("stage").asText(), r[2]);
    }
    assertEquals("nod2", ev.get(2).path("id").asText(), r[2]);
    assertEquals("end", ev.get(10).path("event").asText());
  }

  @Test
  void humanProgressAndMessagesUnlessQuiet(@TempDir Path dir) throws Exception {
    ExplainCommandTest.write(dir);
    String[] r = InspectModelCommandTest.run(args(dir, false).toArray(String[]::new));
    assertEquals("1", r[0]);
    assertTrue(r[2].contains("5/5"), r[2]);
    assertTrue(r[2].contains("/s"), r[2]);
    assertTrue(r[2].contains("left"), r[2]);
    assertTrue(r[2].contains("explained 5, failed 4"), r[2]);
    // a pool of 5 datapoints is cautioned of (on standard error only when not --quiet)
    assertTrue(
        r[2].contains("dime: warning: The reference pool has only 5 datapoints: UC and MI are"),
        r[2]);
    // the last line gives the job's time, and the report's as a part of it
    assertTrue(
        java.util.regex.Pattern.compile(
                "; the job took \\d+\\.\\d s \\(the report \\d+\\.\\d s of it\\)")
            .matcher(r[2])
            .find(),
        r[2]);
    // A rerun says it resumes; with --quiet it says nothing.
    r = InspectModelCommandTest.run(args(dir, false).toArray(String[]::new));
    assertTrue(r[2].contains("resuming: 5 datapoints already explained"), r[2]);
    r = InspectModelCommandTest.run(args(dir, true).toArray(String[]::new));
    assertEquals("1", r[0]);
    assertEquals("", r[2]);
  }
}
