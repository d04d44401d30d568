package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest remembers where each record's line lies (to read it again), and no more: 16 bytes a
 * record, whatever the blank lines before it. Before, it kept a slot for every line number up to
 * the last record's, so a data file of 6 million blank lines (6 MB) before its records needed 72 MB
 * of slots, and {@code dime explain} ran out of a 64 MB heap (exit 3) on a file it read at once
 * before the records were read one at a time; in a JVM of its own.
 */
class BlankLinesMemoryTest {
  @Test
  void blankLinesBeforeTheRecordsCostNoMemory(@TempDir Path dir) throws Exception {
    Path model = ResumeChangedPoolTest.model(dir);
    Files.writeString(dir.resolve("pipeline.yaml"), CliFixtures.twoVectors(3, 2, "[no, yes]"));
    byte[] blank = new byte[6_000_000];
    java.util.Arrays.fill(blank, (byte) '\n');
    byte[] records =
        ("{\"id\": \"r0\", \"a\": [1, 2, 3], \"b\": [0.5, -1]}\n"
                + "{\"id\": \"r1\", \"a\": [0, 1, 0], \"b\": [2, 1]}\n")
            .getBytes(StandardCharsets.UTF_8);
    try (var out = Files.newOutputStream(dir.resolve("data.jsonl"))) {
      out.write(blank);
      out.write(records);
    }
    Files.writeString(
        dir.resolve("pool.jsonl"),
        "{\"id\": \"p0\", \"a\": [1, 1, 1], \"b\": [1, 2]}\n"
            + "{\"id\": \"p1\", \"a\": [0, 0, 1], \"b\": [-2, 4]}\n");
    Map.Entry<Integer, String> r =
        CliFixtures.runInJvm(
            dir.resolve("log.txt"),
            List.of("-Xmx64m"),
            CliFixtures.explain(model, dir, "data.jsonl", "out", "--samples", "20", "--quiet"));
    assertEquals(0, r.getKey(), r.getValue());
    assertFalse(r.getValue().contains("out of memory"), r.getValue());
    List<String> lines =
        Files.readAllLines(dir.resolve("out").resolve(ExplainCommand.EXPLANATIONS));
    assertEquals(2, lines.size());
    List<String> ids = new java.util.ArrayList<>();
    for (String l : lines) {
      com.fasterxml.jackson.databind.JsonNode n = io.dime.core.io.Json.mapper().readTree(l);
      assertFalse(n.has("error"), l);
      ids.add(n.path("id").asText());
    }
    assertEquals(List.of("r0", "r1"), ids, "each record read again from its line and explained");
  }
}
