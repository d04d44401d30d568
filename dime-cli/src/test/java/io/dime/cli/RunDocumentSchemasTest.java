package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed schemas of a run's other JSON documents ({@code docs/schema}: job.json, the {@code
 * --log-json} events, the JSON of {@code --dry-run --json}) accept the documents a real {@code dime
 * explain} writes on {@link ExplainCommandTest}'s fixture (nine records, four unreadable), and are
 * strict: a missing required field, an unknown field or a wrong type fails.
 */
class RunDocumentSchemasTest {
  @TempDir static Path dir;

  private static JsonNode job;

  /** The first event of each kind, by kind. */
  private static final Map<String, JsonNode> FIRST = new LinkedHashMap<>();

  private static final List<JsonNode> EVENTS = new ArrayList<>();
  private static JsonNode dryRun;

  /** The measurement's fields that only some dry runs have. */
  private static final Set<String> OPTIONAL_MEASURED =
      Set.of(
          "warmupIsMeasurement",
          "samples2Left",
          "measuredJobDatapoints",
          "measuredJobSeconds",
          "globalReferencesSmall",
          "globalSecondsSmall");

  @BeforeAll
  static void run() throws Exception {
    ExplainCommandTest.write(dir);
    List<String> dry = new ArrayList<>(Arrays.asList(ExplainCommandTest.args(dir)));
    dry.set(dry.indexOf("--samples") + 1, "50");
    dry.set(dry.indexOf("--references") + 1, "4");
    dry.addAll(List.of("--dry-run", "--json"));
    String[] r = InspectModelCommandTest.run(dry.toArray(String[]::new));
    assertEquals("0", r[0], r[1] + r[2]);
    dryRun = Json.mapper().readTree(r[1]);

    Path log = dir.resolve("run.jsonl");
    List<String> a = new ArrayList<>(Arrays.asList(ExplainCommandTest.args(dir)));
    a.addAll(List.of("--log-json", log.toString()));
    r = InspectModelCommandTest.run(a.toArray(String[]::new));
    assertEquals("1", r[0], "four records cannot be read: " + r[2]);
    job = Json.mapper().readTree(dir.resolve("out").resolve(JobFile.NAME).toFile());
    for (String line : Files.readAllLines(log)) {
      JsonNode e = Json.mapper().readTree(line);
      EVENTS.add(e);
      FIRST.putIfAbsent(e.path("event").asText(), e);
    }
  }

  @Test
  void theRealDocumentsAreValid() {
    assertEquals(Set.of(), OutputSchemas.jobProblems(job), job.toString());
    assertTrue(job.path("provenance").isObject(), "the run's provenance: " + job);
    assertEquals(11, EVENTS.size(), EVENTS.toString());
    assertEquals(List.of("start", "unreadable", "point", "end"), List.copyOf(FIRST.keySet()));
    for (JsonNode e : EVENTS) {
      assertEquals(Set.of(), OutputSchemas.eventProblems(e), e.toString());
    }
    assertEquals(Set.of(), OutputSchemas.dryRunProblems(dryRun), dryRun.toString());
    assertTrue(dryRun.has("provenance"), "the chosen estimator's engine was built");
    assertTrue(dryRun.path("measurement").has("secondsPerRow"), "measured: " + dryRun);
  }

  @Test
  void aMissingRequiredFieldFailsInJobJson() {
    List<String> paths = fields(job, "");
    paths.add("/provenance/seed");
    paths.add("/provenance/estimator");
    assertEquals(12, paths.size(), paths.toString());
    assertEachMissingFails(job, paths, OutputSchemas::jobProblems);
  }

  @Test
  void aMissingRequiredFieldFailsInEveryKindOfEvent() {
    for (JsonNode e : FIRST.values()) {
      List<String> paths = fields(e, "");
      if (e.has("error")) {
        paths.addAll(fields(e, "/error"));
      }
      paths.add(e.has("provenance") ? "/provenance/pool" : "/event");
      assertEachMissingFails(e, paths, OutputSchemas::eventProblems);
    }
    assertEquals(17, fields(FIRST.get("start"), "").size(), "no preset: all required");
  }

  @Test
  void aMissingRequiredFieldFailsInTheDryRun() {
    List<String> paths = fields(dryRun, "");
    for (String object :
        List.of("/classesPerPoint", "/globalAnalysis", "/hiddenBaseline", "/estimators/0")) {
      paths.addAll(fields(dryRun, object));
    }
    for (String p : fields(dryRun, "/measurement")) {
      if (!OPTIONAL_MEASURED.contains(p.substring(p.lastIndexOf('/') + 1))) {
        paths.add(p);
      }
    }
    paths.addAll(fields(dryRun, "/measurement/first"));
    paths.add("/provenance/modalities");
    assertTrue(paths.size() > 60, "fields checked: " + paths);
    assertEachMissingFails(dryRun, paths, OutputSchemas::dryRunProblems);
  }

  /**
   * The events a real run writes only when it goes wrong, built as {@link CliJobListener} and
   * {@link ExplainRun} write them: a failed point, a stopped job's end and an aborted job's end.
   */
  @Test
  void theEventsOfAFailedRecordAndAStoppedOrAbortedJob() {
    ObjectNode failed = FIRST.get("point").deepCopy();
    failed.put("ok", false);
    failed.putNull("seconds");
    assertTrue(
        OutputSchemas.eventProblems(failed).stream().anyMatch(m -> m.contains("error")),
        "a failed point without its error");
    failed.set("error", FIRST.get("unreadable").get("error"));
    assertEquals(Set.of(), OutputSchemas.eventProblems(failed), failed.toString());
    failed.put("ok", true);
    assertFalse(OutputSchemas.eventProblems(failed).isEmpty(), "an explained point with an error");

    JsonNode end = FIRST.get("end");
    ObjectNode stopped = end.deepCopy();
    stopped.retain("event", "time", "schemaVersion", "explained", "failed", "seconds");
    stopped.put("exitCode", 3);
    stopped.put("error", "12 model failures in a row");
    assertEquals(Set.of(), OutputSchemas.eventProblems(stopped), stopped.toString());
    assertEachMissingFails(stopped, fields(stopped, ""), OutputSchemas::eventProblems);
    ObjectNode aborted = stopped.deepCopy();
    aborted.retain("event", "time", "schemaVersion", "exitCode", "error");
    assertEquals(Set.of(), OutputSchemas.eventProblems(aborted), aborted.toString());
    assertEachMissingFails(aborted, fields(aborted, ""), OutputSchemas::eventProblems);
    ObjectNode both = end.deepCopy();
    both.put("error", "an end that finished and failed");
    assertFalse(OutputSchemas.eventProblems(both).isEmpty(), "a finished end with an error");
  }

  @Test
  void unknownFieldsAndWrongTypesFail() {
    ObjectNode j = job.deepCopy();
    j.put("threads", 2);
    assertFalse(OutputSchemas.jobProblems(j).isEmpty(), "an unknown field in job.json");
    j = job.deepCopy();
    j.put("seed", "0");
    assertFalse(OutputSchemas.jobProblems(j).isEmpty(), "the seed as a string");
    j = job.deepCopy();
    j.put("schemaVersion", 2);
    assertFalse(OutputSchemas.jobProblems(j).isEmpty(), "another schemaVersion");
    j = job.deepCopy();
    j.putNull("provenance");
    assertEquals(Set.of(), OutputSchemas.jobProblems(j), "before the job started");

    ObjectNode e = FIRST.get("point").deepCopy();
    e.put("event", "progress");
    assertFalse(OutputSchemas.eventProblems(e).isEmpty(), "an unknown event");
    e = FIRST.get("point").deepCopy();
    e.put("done", -1);
    assertFalse(OutputSchemas.eventProblems(e).isEmpty(), "a negative count");
    e = FIRST.get("start").deepCopy();
    e.put("eta", 5);
    assertFalse(OutputSchemas.eventProblems(e).isEmpty(), "an unknown field in an event");
    e = FIRST.get("start").deepCopy();
    e.put("preset", "fast");
    assertEquals(Set.of(), OutputSchemas.eventProblems(e), "a start with its preset");

    ObjectNode d = dryRun.deepCopy();
    d.put("dryRun", false);
    assertFalse(OutputSchemas.dryRunProblems(d).isEmpty(), "dryRun false");
    d = dryRun.deepCopy();
    ObjectNode row = (ObjectNode) d.at("/estimators/0");
    row.put(row.has("draws") ? "references" : "draws", 4);
    assertFalse(OutputSchemas.dryRunProblems(d).isEmpty(), "both references and draws");
    d = dryRun.deepCopy();
    ((ObjectNode) d.get("measurement")).put("secondsPerRow", "fast");
    assertFalse(OutputSchemas.dryRunProblems(d).isEmpty(), "a time as a word");
    d = dryRun.deepCopy();
    d.put("spark", "local[3]");
    assertEquals(Set.of(), OutputSchemas.dryRunProblems(d), "with --spark");
  }

  /** The JSON pointers of the fields of the object at {@code object}. */
  private static List<String> fields(JsonNode tree, String object) {
    List<String> out = new ArrayList<>();
    JsonNode n = tree.at(object);
    assertTrue(n.isObject(), object + " is not an object in " + tree);
    n.fieldNames().forEachRemaining(f -> out.add(object + "/" + f));
    return out;
  }

  /** Each field removed from a copy of the document fails, naming the field. */
  private static void assertEachMissingFails(
      JsonNode document, List<String> paths, Function<JsonNode, Set<String>> problems) {
    for (String p : paths) {
      JsonNode copy = document.deepCopy();
      int cut = p.lastIndexOf('/');
      String field = p.substring(cut + 1);
      JsonNode parent = copy.at(p.substring(0, cut));
      assertTrue(parent.has(field), p + " is not in " + document);
      ((ObjectNode) parent).remove(field);
      Set<String> found = problems.apply(copy);
      assertTrue(
          found.stream().anyMatch(m -> m.contains(field)),
          "without " + p + " the document must fail naming '" + field + "'; got " + found);
    }
  }
}
