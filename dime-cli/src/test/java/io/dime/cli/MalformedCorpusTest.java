package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.core.io.Json;
import io.dime.demo.DemoData;
import io.dime.demo.DemoModels;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A malformed-input corpus of 1,000 seeded records ({@link MalformedCorpus}) mixed into the demo's
 * manifest and explained with {@code dime explain}: every bad record gets an error line naming the
 * record (its id, or its line when it has none) and the cause; every valid record, the demo's and
 * the corpus's, is explained, the demo's exactly as in a run over the demo's manifest alone (every
 * field but provenance, timings and the line number); the exit code is 1 and {@code summary.json}
 * counts the failures.
 */
class MalformedCorpusTest {
  static final int CORPUS = 1000;

  /** Demo record i, then the i-th share of the corpus: the two mixed through the whole file. */
  static List<byte[]> mix(List<String> demo, List<MalformedCorpus.Entry> corpus) {
    List<byte[]> lines = new ArrayList<>();
    int per = (corpus.size() + demo.size() - 1) / demo.size();
    int c = 0;
    for (String d : demo) {
      lines.add(d.getBytes(StandardCharsets.UTF_8));
      for (int j = 0; j < per && c < corpus.size(); j++) {
        lines.add(corpus.get(c++).line());
      }
    }
    while (c < corpus.size()) {
      lines.add(corpus.get(c++).line());
    }
    return lines;
  }

  static void write(Path file, List<byte[]> lines) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] l : lines) {
      out.writeBytes(l);
      out.write('\n');
    }
    Files.write(file, out.toByteArray());
  }

  private static JsonNode comparable(JsonNode n) {
    ObjectNode o = (ObjectNode) n.deepCopy();
    o.remove("timings");
    o.remove("provenance");
    o.remove("line");
    return o;
  }

  @Test
  void everyBadRecordIsNamedWithItsCauseAndEveryValidOneIsExplained(@TempDir Path dir)
      throws Exception {
    Path data = DemoData.unpack(DemoData.FASHION, dir.resolve("fashion"));
    List<String> demo = Files.readAllLines(data.resolve("demo.jsonl"), StandardCharsets.UTF_8);
    List<MalformedCorpus.Entry> corpus =
        new MalformedCorpus(data, dir.resolve("outside"), 20261202L).write(CORPUS);
    List<byte[]> mixed = mix(demo, corpus);
    Path manifest = data.resolve("mixed.jsonl");
    write(manifest, mixed);
    Path model = DemoModels.file(DemoModels.FASHION_VQA);
    Path pool = data.resolve("pool.jsonl");
    String[] r =
        InspectModelCommandTest.run(
            DemoExplain.args(model, data, manifest, pool, dir.resolve("mixed"), 30, 4));
    assertEquals("1", r[0], r[2]);
    assertEquals(
        "0",
        InspectModelCommandTest.run(
            DemoExplain.args(
                model, data, data.resolve("demo.jsonl"), pool, dir.resolve("clean"), 30, 4))[0]);

    // one output line per manifest line, in the manifest's order
    List<JsonNode> byLine = new ArrayList<>();
    for (String l :
        Files.readAllLines(
            dir.resolve("mixed").resolve(ExplainCommand.EXPLANATIONS), StandardCharsets.UTF_8)) {
      byLine.add(Json.mapper().readTree(l));
    }
    assertEquals(mixed.size(), byLine.size());
    Map<String, JsonNode> clean = new LinkedHashMap<>();
    for (String l :
        Files.readAllLines(
            dir.resolve("clean").resolve(ExplainCommand.EXPLANATIONS), StandardCharsets.UTF_8)) {
      JsonNode n = Json.mapper().readTree(l);
      clean.put(n.path("id").asText(), n);
    }

    Map<String, Integer> errorsByKind = new TreeMap<>();
    int bad = 0;
    int valid = 0;
    int line = 0;
    int c = 0;
    int per = (CORPUS + demo.size() - 1) / demo.size();
    for (int d = 0; d < demo.size(); d++) {
      line++;
      JsonNode got = byLine.get(line - 1);
      String id = Json.mapper().readTree(demo.get(d)).path("id").asText();
      assertFalse(got.has("error"), got.toString());
      assertEquals(comparable(clean.get(id)), comparable(got), "demo record " + id);
      for (int j = 0; j < per && c < corpus.size(); j++) {
        line++;
        MalformedCorpus.Entry e = corpus.get(c++);
        JsonNode n = byLine.get(line - 1);
        String where = e.kind() + " at line " + line + ": " + n;
        if (e.valid()) {
          valid++;
          assertFalse(n.has("error"), where);
          assertTrue(n.path("classes").size() > 0, where);
          continue;
        }
        bad++;
        assertTrue(n.has("error"), where);
        assertEquals(line, n.path("line").asInt(), where);
        String msg = n.path("error").path("message").asText();
        String lower = msg.toLowerCase(Locale.ROOT);
        assertTrue(lower.contains(e.expect().toLowerCase(Locale.ROOT)), where);
        if (e.id() != null) {
          assertTrue(msg.contains("'" + e.id() + "'"), "names the record: " + where);
        } else {
          assertTrue(msg.contains("line " + line), "names the line: " + where);
        }
        if (!e.kind().equals("absolute-outside")) { // that one's manifest names it so
          assertFalse(msg.contains(dir.toString()), "no absolute paths: " + where);
        }
        errorsByKind.merge(e.kind(), 1, Integer::sum);
      }
    }
    assertEquals(CORPUS, bad + valid);
    assertTrue(valid >= 5, "valid corpus records: " + valid);
    JsonNode summary =
        Json.mapper().readTree(dir.resolve("mixed").resolve(ExplainCommand.SUMMARY).toFile());
    JsonNode counts = summary.path("counts");
    assertEquals(bad, counts.path("failed").asInt(), counts.toString());
    assertEquals(demo.size() + valid, counts.path("explained").asInt(), counts.toString());
    assertEquals(27, errorsByKind.size(), errorsByKind.toString());
  }
}
