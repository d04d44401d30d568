package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.core.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --references N} above the pool's size with {@code exact} or {@code paper-faithful} used
 * the whole pool and said so only as {@code referencesUsed} in each line's provenance: a user
 * asking for 500 references and getting 100 was not told. The run goes on as before, and says it
 * once on standard error and in summary.json's notes.
 */
class FewerReferencesTest {
  private static final Path MODEL = CliFixtures.onnxTestModel("nan_below.onnx");

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "exact|5|The exact estimator was set to N = 5 references, but the reference pool holds only"
            + " 2 datapoints: it uses all 2 (referencesUsed in the provenance). A larger pool gives"
            + " more: a larger --pool or --pool-size.|2",
        "paper-faithful|5|The paper_faithful estimator was set to N = 5 references, but the"
            + " reference pool holds only 2 datapoints: it uses the explained point and all 2, N ="
            + " 3 (referencesUsed in the provenance). A larger pool gives more: a larger --pool or"
            + " --pool-size.|3"
      })
  void moreReferencesThanThePoolHoldsAreSaidOnceAndNoted(
      String estimator, String references, String note, int used, @TempDir Path dir)
      throws IOException {
    Files.writeString(
        dir.resolve("pipeline.yaml"), CliFixtures.twoVectors(3, 2, "[\"no\", \"yes\"]"));
    String lines =
        """
        {"id": "r0", "a": [1, 0, 0], "b": [0, 1]}
        {"id": "r1", "a": [0, 1, 0], "b": [1, 1]}
        """;
    Files.writeString(dir.resolve("data.jsonl"), lines);
    Files.writeString(dir.resolve("pool.jsonl"), lines);
    Map.Entry<Integer, String> r =
        CliFixtures.run(
            CliFixtures.explain(
                MODEL,
                dir,
                "data.jsonl",
                "out",
                "--quiet",
                "--samples",
                "20",
                "--estimator",
                estimator,
                "--references",
                references));
    assertEquals(0, r.getKey(), r.getValue());
    List<String> said = new ArrayList<>();
    for (String line : r.getValue().split("\n")) {
      if (line.contains("references, but the reference pool")) {
        said.add(line);
      }
    }
    assertEquals(List.of("dime: warning: " + note), said, r.getValue());
    JsonNode summary = Json.mapper().readTree(dir.resolve("out/summary.json").toFile());
    List<String> notes = new ArrayList<>();
    summary.path("notes").forEach(n -> notes.add(n.asText()));
    assertEquals(note, notes.get(notes.size() - 1), notes.toString());
    for (String line : Files.readAllLines(dir.resolve("out/explanations.jsonl"))) {
      JsonNode e = Json.mapper().readTree(line).path("provenance").path("estimator");
      assertEquals(used, e.path("referencesUsed").asInt(), e.toString());
    }
  }
}
