package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.core.io.Json;
import io.dime.demo.DemoData;
import io.dime.demo.DemoModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Determinism: the same seed gives the same bytes (wall times aside) with 1, 2 and 4 threads, in a
 * second run, and with the manifest's lines shuffled (the output follows the manifest's order; each
 * id's line is the same). Only what names the run's settings differs, and is compared apart: the
 * thread count in the parameters, and, for the shuffled manifest, the manifest's own digest.
 */
class DeterminismTest {
  private static String[] job(Path data, Path manifest, Path out, int threads) {
    String[] a =
        DemoExplain.args(
            DemoModels.file(DemoModels.FASHION_VQA),
            data,
            manifest,
            data.resolve("pool.jsonl"),
            out,
            30,
            4);
    for (int i = 0; i < a.length - 1; i++) {
      if (a[i].equals("--threads")) {
        a[i + 1] = Integer.toString(threads);
      }
    }
    return a;
  }

  /** id to normalised line, in the file's order. */
  private static Map<String, String> read(Path out) throws IOException {
    Map<String, String> byId = new LinkedHashMap<>();
    for (String l :
        Files.readAllLines(out.resolve(ExplainCommand.EXPLANATIONS), StandardCharsets.UTF_8)) {
      JsonNode n = GoldenOutputsTest.normalise(Json.mapper().readTree(l), out);
      byId.put(n.path("id").asText(), settingsApart(n).toString());
    }
    return byId;
  }

  private static String summary(Path out) throws IOException {
    JsonNode n =
        GoldenOutputsTest.normalise(
            Json.mapper().readTree(out.resolve(ExplainCommand.SUMMARY).toFile()), out);
    return settingsApart(n).toString();
  }

  /** Masks the settings that name how the run was made rather than what it computed. */
  private static JsonNode settingsApart(JsonNode n) {
    JsonNode prov = n.path("provenance");
    if (prov instanceof ObjectNode p) {
      if (p.path("parameters") instanceof ObjectNode params && params.has("threads")) {
        params.put("threads", "<threads>");
      }
      if (p.has("manifestSha256")) {
        p.put("manifestSha256", "<manifest>");
      }
    }
    return n;
  }

  @Test
  void threadsRunsAndManifestOrderDoNotChangeAByte(@TempDir Path dir) throws Exception {
    Path data = DemoData.unpack(DemoData.FASHION, dir.resolve("fashion"));
    List<String> demo = Files.readAllLines(data.resolve("demo.jsonl"), StandardCharsets.UTF_8);
    Path manifest = data.resolve("some.jsonl");
    Files.write(manifest, demo.subList(0, 10), StandardCharsets.UTF_8);
    List<String> shuffledLines = new ArrayList<>(demo.subList(0, 10));
    Collections.shuffle(shuffledLines, new Random(7));
    Path shuffled = data.resolve("shuffled.jsonl");
    Files.write(shuffled, shuffledLines, StandardCharsets.UTF_8);

    Map<String, Map<String, String>> runs = new LinkedHashMap<>();
    Map<String, String> summaries = new LinkedHashMap<>();
    for (String name : List.of("t1", "t2", "t4", "t2-again", "shuffled-t4")) {
      int threads = Integer.parseInt(name.replaceAll(".*t(\\d).*", "$1"));
      Path out = dir.resolve(name);
      Path m = name.startsWith("shuffled") ? shuffled : manifest;
      assertEquals(0, Main.run(job(data, m, out, threads)), name);
      runs.put(name, read(out));
      summaries.put(name, summary(out));
    }
    Map<String, String> base = runs.get("t1");
    assertEquals(10, base.size());
    for (String name : runs.keySet()) {
      assertEquals(base, runs.get(name), name + " against 1 thread");
      assertEquals(summaries.get("t1"), summaries.get(name), name + " summary");
    }
    // the order follows each manifest
    List<String> shuffledIds = new ArrayList<>(runs.get("shuffled-t4").keySet());
    List<String> ids = new ArrayList<>(base.keySet());
    assertNotEquals(ids, shuffledIds);
    List<String> want = new ArrayList<>();
    for (String l : shuffledLines) {
      want.add(Json.mapper().readTree(l).path("id").asText());
    }
    assertEquals(want, shuffledIds);
  }
}
