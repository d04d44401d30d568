package io.dime.cli;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.dime.core.io.Json;
import java.io.IOException;
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
  static final Path JOB_SCHEMA = DIR.resolve("job.schema.json");
  static final Path EVENTS_SCHEMA = DIR.resolve("events.schema.json");
  static final Path DRY_RUN_SCHEMA = DIR.resolve("dryrun.schema.json");

  /** Every committed schema. */
  static final List<Path> ALL =
      List.of(EXPLANATIONS_SCHEMA, SUMMARY_SCHEMA, JOB_SCHEMA, EVENTS_SCHEMA, DRY_RUN_SCHEMA);

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final JsonSchema EXPLANATIONS = load(EXPLANATIONS_SCHEMA);
  private static final JsonSchema SUMMARY = load(SUMMARY_SCHEMA);
  private static final JsonSchema JOB = load(JOB_SCHEMA);
  private static final JsonSchema EVENTS = load(EVENTS_SCHEMA);
  private static final JsonSchema DRY_RUN = load(DRY_RUN_SCHEMA);

  private OutputSchemas() {}

  /**
   * The schema in the file, loaded from its location so that a {@code $ref} to another schema of
   * the folder ({@code summary.schema.json#/$defs/provenance}) resolves.
   */
  static JsonSchema load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("no schema file " + file);
    }
    return FACTORY.getSchema(
        SchemaLocation.of(file.toAbsolutePath().normalize().toUri().toString()));
  }

  /** What is wrong with one line of explanations.jsonl; empty when it is valid. */
  static Set<String> explanationProblems(JsonNode line) {
    return messages(EXPLANATIONS.validate(line));
  }

  /** What is wrong with summary.json; empty when it is valid. */
  static Set<String> summaryProblems(JsonNode summary) {
    return messages(SUMMARY.validate(summary));
  }

  /** What is wrong with job.json; empty when it is valid. */
  static Set<String> jobProblems(JsonNode job) {
    return messages(JOB.validate(job));
  }

  /** What is wrong with one event of the {@code --log-json} log; empty when it is valid. */
  static Set<String> eventProblems(JsonNode event) {
    return messages(EVENTS.validate(event));
  }

  /** What is wrong with the JSON of {@code --dry-run --json}; empty when it is valid. */
  static Set<String> dryRunProblems(JsonNode report) {
    return messages(DRY_RUN.validate(report));
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
