package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.core.io.Json;
import io.dime.demo.DemoData;
import io.dime.demo.DemoModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resume cannot lie: every explanation carries a digest of its record's inputs (the manifest line
 * and the bytes of the files it names); a rerun into the same folder explains again a record whose
 * question or image changed under the same id, says so, and keeps the rest.
 */
class ResumeChangedInputsTest {
  private static Map<String, JsonNode> byId(Path file) throws Exception {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      JsonNode n = Json.mapper().readTree(line);
      out.put(n.path("id").asText(), n);
    }
    return out;
  }

  @Test
  void aRecordWhoseInputsChangedIsExplainedAgain(@TempDir Path dir) throws Exception {
    Path data = DemoData.unpack(DemoData.FASHION, dir.resolve("fashion"));
    List<String> demo = Files.readAllLines(data.resolve("demo.jsonl"), StandardCharsets.UTF_8);
    // Three records with images of their own, so that one image can be changed in place.
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      JsonNode n = Json.mapper().readTree(demo.get(i));
      Path own = data.resolve("own-" + i + ".png");
      Files.copy(data.resolve(n.path("image").asText()), own);
      lines.add(demo.get(i).replace(n.path("image").asText(), "own-" + i + ".png"));
    }
    Path manifest = data.resolve("three.jsonl");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    Path out = dir.resolve("out");
    String[] args =
        DemoExplain.args(
            DemoModels.file(DemoModels.FASHION_VQA),
            data,
            manifest,
            data.resolve("pool.jsonl"),
            out,
            30,
            4);
    assertEquals(0, Main.run(args));
    Map<String, JsonNode> first = byId(out.resolve(ExplainCommand.EXPLANATIONS));
    for (JsonNode e : first.values()) {
      assertEquals(64, e.at("/provenance/inputDigest").asText().length(), e.toString());
    }

    // Record 0: another question, same id. Record 1: another scene's pixels, same file name.
    String id0 = Json.mapper().readTree(lines.get(0)).path("id").asText();
    String id1 = Json.mapper().readTree(lines.get(1)).path("id").asText();
    String id2 = Json.mapper().readTree(lines.get(2)).path("id").asText();
    JsonNode l0 = Json.mapper().readTree(lines.get(0));
    lines.set(0, lines.get(0).replace(l0.path("question").asText(), "How many items are there?"));
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    Files.copy(
        data.resolve("own-2.png"), data.resolve("own-1.png"), StandardCopyOption.REPLACE_EXISTING);

    String[] r = InspectModelCommandTest.run(withoutQuiet(args));
    assertEquals("0", r[0], r[2]);
    assertTrue(r[2].contains("resuming: 1 datapoint already explained"), r[2]);
    assertTrue(r[2].contains("explaining again: 2 datapoints whose inputs"), r[2]);
    Map<String, JsonNode> second = byId(out.resolve(ExplainCommand.EXPLANATIONS));
    assertEquals(List.of(id0, id1, id2), List.copyOf(second.keySet()), "manifest order");
    assertEquals(withoutTimings(first.get(id2)), withoutTimings(second.get(id2)), "kept");
    for (String id : List.of(id0, id1)) {
      assertNotEquals(
          first.get(id).at("/provenance/inputDigest"),
          second.get(id).at("/provenance/inputDigest"));
      assertNotEquals(first.get(id).path("outputs"), second.get(id).path("outputs"), id);
    }
  }

  private static String[] withoutQuiet(String[] args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.remove("--quiet");
    return a.toArray(String[]::new);
  }

  private static JsonNode withoutTimings(JsonNode n) {
    com.fasterxml.jackson.databind.node.ObjectNode o =
        (com.fasterxml.jackson.databind.node.ObjectNode) n.deepCopy();
    o.remove("timings");
    return o;
  }
}
