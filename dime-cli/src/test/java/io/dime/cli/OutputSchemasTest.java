package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import io.dime.api.FeatureMap;
import io.dime.api.RecordError;
import io.dime.core.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The committed schemas ({@code docs/schema}) accept every line of the golden demo output (which
 * {@link GoldenOutputsTest} holds equal to a run's, and whose own run it validates unmasked), error
 * lines and every kind of feature map, and are strict: a missing required field, an unknown field
 * or a wrong type fails.
 */
class OutputSchemasTest {
  private static final Path GOLDEN_LINES =
      GoldenOutputsTest.GOLDEN.resolve("demo-explanations.jsonl");
  private static final Path GOLDEN_SUMMARY = GoldenOutputsTest.GOLDEN.resolve("demo-summary.json");

  @Test
  void theSchemasAreDraft202012Schemas() throws IOException {
    var meta =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
    assertFalse(
        meta.validate(Json.mapper().readTree("{\"type\": 5, \"required\": \"id\"}")).isEmpty(),
        "the meta-schema is loaded and refuses a broken schema");
    for (Path schema : OutputSchemas.ALL) {
      assertEquals(Set.of(), meta.validate(Json.mapper().readTree(schema.toFile())), schema + "");
    }
  }

  @Test
  void everyGoldenDemoLineAndTheSummaryAreValid() throws IOException {
    List<JsonNode> lines = goldenLines();
    assertEquals(24, lines.size());
    for (JsonNode line : lines) {
      assertEquals(Set.of(), OutputSchemas.explanationProblems(line), line.get("id") + "");
    }
    assertEquals(Set.of(), OutputSchemas.summaryProblems(goldenSummary()));
  }

  @Test
  void aMissingRequiredFieldFailsAnywhereInALine() throws IOException {
    JsonNode line = goldenLines().get(0);
    List<String> paths = new ArrayList<>();
    for (String object :
        List.of(
            "",
            "/passes",
            "/timings",
            "/classes/0",
            "/classes/0/decomposition/0",
            "/classes/0/modalities/0",
            "/classes/0/modalities/0/fits/0",
            "/classes/0/modalities/0/fits/0/faithfulness",
            "/featureMaps/image",
            "/featureMaps/question")) {
      line.at(object).fieldNames().forEachRemaining(f -> paths.add(object + "/" + f));
    }
    for (String p : List.of("/provenance/seed", "/provenance/pool", "/provenance/modalities")) {
      paths.add(p);
    }
    assertTrue(paths.size() > 60, "fields checked: " + paths);
    for (String p : paths) {
      JsonNode broken = without(line, p);
      Set<String> problems = OutputSchemas.explanationProblems(broken);
      String field = p.substring(p.lastIndexOf('/') + 1);
      assertTrue(
          problems.stream().anyMatch(m -> m.contains(field)),
          "without " + p + " the line must fail naming '" + field + "'; got " + problems);
    }
  }

  @Test
  void aMissingRequiredFieldFailsAnywhereInTheSummary() throws IOException {
    JsonNode summary = goldenSummary();
    List<String> paths = new ArrayList<>();
    for (String object : List.of("", "/counts", "/passes", "/globalAnalysis", "/timings")) {
      summary.at(object).fieldNames().forEachRemaining(f -> paths.add(object + "/" + f));
    }
    paths.add("/hiddenBaseline/0/modality");
    paths.add("/hiddenBaseline/0/classes");
    paths.add("/provenance/estimator");
    for (String p : paths) {
      Set<String> problems = OutputSchemas.summaryProblems(without(summary, p));
      String field = p.substring(p.lastIndexOf('/') + 1);
      assertTrue(
          problems.stream().anyMatch(m -> m.contains(field)),
          "without " + p + " the summary must fail naming '" + field + "'; got " + problems);
    }
  }

  @Test
  void unknownFieldsAndWrongTypesFail() throws IOException {
    JsonNode line = goldenLines().get(0);
    ObjectNode extra = line.deepCopy();
    extra.put("explanationTime", 1.0);
    assertFalse(OutputSchemas.explanationProblems(extra).isEmpty(), "an unknown top-level field");
    ObjectNode weights = line.deepCopy();
    ((ObjectNode) weights.at("/classes/0/modalities/0/fits/0")).put("weights", "1,2,3");
    assertFalse(OutputSchemas.explanationProblems(weights).isEmpty(), "weights as a string");
    ObjectNode kind = line.deepCopy();
    ((ObjectNode) kind.at("/featureMaps/image")).put("kind", "segments");
    assertFalse(OutputSchemas.explanationProblems(kind).isEmpty(), "an unknown map kind");
    ObjectNode runs = line.deepCopy();
    ((com.fasterxml.jackson.databind.node.ArrayNode) runs.at("/featureMaps/image/runs")).add(-1);
    assertFalse(OutputSchemas.explanationProblems(runs).isEmpty(), "a negative run");
    ObjectNode span = line.deepCopy();
    ((com.fasterxml.jackson.databind.node.ArrayNode) span.at("/featureMaps/question/spans/0"))
        .add(9);
    assertFalse(OutputSchemas.explanationProblems(span).isEmpty(), "a span of three numbers");
    ObjectNode summary = goldenSummary().deepCopy();
    ((ObjectNode) summary.get("counts")).put("records", -1);
    assertFalse(OutputSchemas.summaryProblems(summary).isEmpty(), "a negative count");
  }

  @Test
  void errorLinesAndEveryKindOfFeatureMapAreValid() throws IOException {
    for (Optional<String> id : List.of(Optional.of("r7"), Optional.<String>empty())) {
      JsonNode error =
          Json.mapper()
              .readTree(Json.line(new RecordError(id, 7, "input", "record 'r7': empty text")));
      assertEquals(Set.of(), OutputSchemas.explanationProblems(error), error + "");
      assertFalse(
          OutputSchemas.explanationProblems(without(error, "/error/message")).isEmpty(),
          "an error without its message");
    }
    ObjectNode line = goldenLines().get(0).deepCopy();
    ObjectNode maps = Json.mapper().createObjectNode();
    maps.set("image", tree(FeatureMap.Pixels.of(2, 2, new int[] {0, 1, 1, 0})));
    maps.set("question", tree(new FeatureMap.Spans(8, new int[] {0, 5}, new int[] {4, 8})));
    maps.set(
        "sensor",
        tree(new FeatureMap.Windows(2, 4, new int[] {0, 1}, new int[] {0, 0}, new int[] {4, 4})));
    maps.set("tabular", tree(FeatureMap.Entries.identity(3)));
    line.set("featureMaps", maps);
    assertEquals(Set.of(), OutputSchemas.explanationProblems(line));
  }

  private static JsonNode tree(FeatureMap map) throws IOException {
    return Json.mapper().readTree(Json.line(map));
  }

  /** A copy of the tree without the field at the JSON pointer. */
  private static JsonNode without(JsonNode tree, String pointer) {
    JsonNode copy = tree.deepCopy();
    int cut = pointer.lastIndexOf('/');
    JsonNode parent = copy.at(pointer.substring(0, cut));
    String field = pointer.substring(cut + 1);
    assertTrue(parent.has(field), pointer + " is not in the tree");
    ((ObjectNode) parent).remove(field);
    return copy;
  }

  /** The golden lines with the masked timings given plausible values again. */
  private static List<JsonNode> goldenLines() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(GOLDEN_LINES, StandardCharsets.UTF_8)) {
      ObjectNode n = (ObjectNode) Json.mapper().readTree(l);
      assertEquals("<masked>", n.path("timings").asText());
      ObjectNode t = n.putObject("timings");
      t.put("totalSeconds", 1.25);
      t.put("modelSeconds", 0.75);
      out.add(n);
    }
    return out;
  }

  private static JsonNode goldenSummary() throws IOException {
    ObjectNode n = (ObjectNode) Json.mapper().readTree(GOLDEN_SUMMARY.toFile());
    assertEquals("<masked>", n.path("timings").asText());
    ObjectNode t = n.putObject("timings");
    t.put("totalSeconds", 30.5);
    t.put("explainSeconds", 29.0);
    t.put("secondsPerPoint", 1.2);
    return n;
  }
}
