package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.core.io.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model faults through the command line with a real ONNX model that produces NaN ({@code
 * nan_below.onnx}: NaN in every row whose a0 is below -5): the records it fails on get model errors
 * and the others are explained exactly as in a clean run; failures in a row past {@code
 * --max-model-failures} stop the job with exit code 3 and one message, and a rerun resumes.
 */
class ModelFaultsCliTest {
  /** Built by model-adapters/onnx/src/test/python/make_test_models.py. */
  private static final Path MODEL = CliFixtures.onnxTestModel("nan_below.onnx");

  private static final String PIPELINE = CliFixtures.twoVectors(3, 2, "[\"no\", \"yes\"]");

  private static String line(String id, SplittableRandom rng, boolean poisoned) {
    double a0 = poisoned ? -10 : rng.nextDouble(-1, 1);
    return String.format(
        Locale.ROOT,
        "{\"id\":\"%s\",\"a\":[%.4f,%.4f,%.4f],\"b\":[%.4f,%.4f]}",
        id,
        a0,
        rng.nextDouble(-1, 1),
        rng.nextDouble(-1, 1),
        rng.nextDouble(-1, 1),
        rng.nextDouble(-1, 1));
  }

  /** Writes the pipeline, a clean pool and a manifest; records whose index is in bad are NaN. */
  private static List<String> write(Path dir, int n, List<Integer> bad) throws Exception {
    Files.writeString(dir.resolve("pipeline.yaml"), PIPELINE);
    SplittableRandom rng = new SplittableRandom(5);
    List<String> pool = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      pool.add(line("pool" + i, rng, false));
    }
    Files.write(dir.resolve("pool.jsonl"), pool);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add(line("r" + i, rng, bad.contains(i)));
    }
    Files.write(dir.resolve("data.jsonl"), lines);
    return lines;
  }

  private static String[] args(Path dir, String data, String out, String... more) {
    List<String> a =
        new ArrayList<>(
            List.of("--samples", "60", "--references", "8", "--threads", "1", "--quiet"));
    a.addAll(List.of(more));
    return CliFixtures.explain(MODEL, dir, data, out, a.toArray(String[]::new));
  }

  private static Map.Entry<Integer, String> run(String... args) {
    return CliFixtures.run(args);
  }

  private static Map<String, JsonNode> byId(Path file) throws Exception {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      ObjectNode n = (ObjectNode) Json.mapper().readTree(l);
      n.remove("timings");
      n.remove("provenance");
      out.put(n.path("id").asText(), n);
    }
    return out;
  }

  @Test
  void nanRecordsFailAloneAndTheRestMatchACleanRun(@TempDir Path dir) throws Exception {
    List<String> lines = write(dir, 8, List.of(2, 5));
    Files.write(dir.resolve("clean.jsonl"), List.of(lines.get(0), lines.get(1), lines.get(3)));
    List<String> loud = new ArrayList<>(List.of(args(dir, "data.jsonl", "out")));
    loud.remove("--quiet");
    var faulty = run(loud.toArray(String[]::new));
    assertEquals(1, faulty.getKey(), faulty.getValue());
    var clean = run(args(dir, "clean.jsonl", "clean"));
    assertEquals(0, clean.getKey(), clean.getValue());
    Map<String, JsonNode> got = byId(dir.resolve("out").resolve(ExplainCommand.EXPLANATIONS));
    Map<String, JsonNode> want = byId(dir.resolve("clean").resolve(ExplainCommand.EXPLANATIONS));
    assertEquals(8, got.size());
    for (String id : List.of("r2", "r5")) {
      JsonNode err = got.get(id).path("error");
      assertEquals("model", err.path("stage").asText(), got.get(id).toString());
      assertTrue(err.path("message").asText().contains("NaN"), err.toString());
    }
    // each is named on standard error as it fails, with its line and stage
    List<String> named =
        faulty.getValue().lines().filter(l -> l.startsWith("dime: error: ")).toList();
    assertEquals(2, named.size(), faulty.getValue());
    assertTrue(named.get(0).startsWith("dime: error: line 3, stage model: "), named.get(0));
    assertTrue(named.get(1).startsWith("dime: error: line 6, stage model: "), named.get(1));
    assertTrue(named.stream().allMatch(l -> l.contains("NaN")), named.toString());
    for (String id : want.keySet()) {
      assertEquals(want.get(id), got.get(id), id);
    }
    JsonNode summary =
        Json.mapper().readTree(dir.resolve("out").resolve(ExplainCommand.SUMMARY).toFile());
    assertEquals(2, summary.path("counts").path("failed").asInt(), summary.toString());
  }

  @Test
  void failuresInARowStopWithExitCodeThreeAndARerunResumes(@TempDir Path dir) throws Exception {
    write(dir, 12, List.of(3, 4, 5, 6, 7, 8));
    Path log = dir.resolve("events.jsonl");
    var first =
        run(args(dir, "data.jsonl", "out", "--max-model-failures", "3", "--log-json", "" + log));
    assertEquals(3, first.getKey(), first.getValue());
    String err = first.getValue();
    assertTrue(err.contains("the job stopped: the model failed on 3 records in a row"), err);
    assertTrue(err.contains("NaN"), err);
    assertTrue(err.contains("rerun the same command to resume"), err);
    assertEquals(1, err.split("the job stopped", -1).length - 1, "one message: " + err);
    List<String> events = Files.readAllLines(log, StandardCharsets.UTF_8);
    JsonNode end = Json.mapper().readTree(events.get(events.size() - 1));
    assertEquals("end", end.path("event").asText(), end.toString());
    assertEquals(3, end.path("exitCode").asInt(), end.toString());
    Path file = dir.resolve("out").resolve(ExplainCommand.EXPLANATIONS);
    int kept = Files.readAllLines(file).size();
    assertTrue(kept >= 6 && kept < 12, "kept " + kept);
    assertTrue(Files.notExists(dir.resolve("out").resolve(ExplainCommand.SUMMARY)));

    // with no stop policy the rerun resumes: the kept lines stay, the rest are explained
    var second = run(args(dir, "data.jsonl", "out", "--max-model-failures", "0"));
    assertEquals(1, second.getKey(), second.getValue());
    Map<String, JsonNode> got = byId(file);
    assertEquals(12, got.size());
    int failed = 0;
    for (JsonNode n : got.values()) {
      failed += n.has("error") ? 1 : 0;
    }
    assertEquals(6, failed);
  }

  @Test
  void aNegativeStopPolicyIsAUsageError(@TempDir Path dir) throws Exception {
    write(dir, 2, List.of());
    var r = run(args(dir, "data.jsonl", "out", "--max-model-failures", "-1"));
    assertEquals(2, r.getKey());
    assertTrue(r.getValue().contains("--max-model-failures must be 0"), r.getValue());
  }
}
