package io.dime.cli;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.dime.core.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The committed JSON Schemas of the output files ({@code docs/schema}), and checks of files against
 * them.
 */
final class OutputSchemas {
  static final Path DIR = Path.of("..", "docs", "schema");
  static final Path EXPLANATIONS_SCHEMA = DIR.resolve("explanations.schema.json");
  static final Path SUMMARY_SCHEMA = DIR.resolve("summary.schema.json");

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final JsonSchema EXPLANATIONS = load(EXPLANATIONS_SCHEMA);
  private static final JsonSchema SUMMARY = load(SUMMARY_SCHEMA);

  private OutputSchemas() {}

  static JsonSchema load(Path file) {
    try {
      return FACTORY.getSchema(Json.mapper().readTree(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the schema " + file, e);
    }
  }

  /** What is wrong with one line of explanations.jsonl; empty when it is valid. */
  static Set<String> explanationProblems(JsonNode line) {
    return messages(EXPLANATIONS.validate(line));
  }

  /** What is wrong with summary.json; empty when it is valid. */
  static Set<String> summaryProblems(JsonNode summary) {
    return messages(SUMMARY.validate(summary));
  }

  /** Fails naming the line and the problems unless every line of the file is valid. */
  static void assertExplanationsValid(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      fail(file + " is empty");
    }
    for (int i = 0; i < lines.size(); i++) {
      Set<String> problems = explanationProblems(Json.mapper().readTree(lines.get(i)));
      if (!problems.isEmpty()) {
        fail(file + " line " + (i + 1) + " breaks " + EXPLANATIONS_SCHEMA + ": " + problems);
      }
    }
  }

  /** Fails naming the problems unless the summary is valid. */
  static void assertSummaryValid(Path file) throws IOException {
    Set<String> problems = summaryProblems(Json.mapper().readTree(file.toFile()));
    if (!problems.isEmpty()) {
      fail(file + " breaks " + SUMMARY_SCHEMA + ": " + problems);
    }
  }

  private static Set<String> messages(Set<ValidationMessage> found) {
    Set<String> out = new TreeSet<>();
    found.forEach(m -> out.add(m.getMessage()));
    return out;
  }
}
