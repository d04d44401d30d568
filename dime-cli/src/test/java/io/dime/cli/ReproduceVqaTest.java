package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.core.io.Json;
import io.dime.demo.DemoData;
import io.dime.reproduce.VqaExperiment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dime reproduce pointing} and {@code swap} end to end on the bundled questions. */
class ReproduceVqaTest {
  @Test
  void pointingAndSwapRunOnTheBundledQuestions(@TempDir Path dir) throws Exception {
    Path pointing = dir.resolve("pointing.json");
    int rc =
        Main.run(
            "reproduce",
            "pointing",
            "--scenes",
            "3",
            "--samples",
            "60",
            "--references",
            "6",
            "--threads",
            "2",
            "--quiet",
            "--json",
            pointing.toString());
    assertEquals(0, rc);
    JsonNode p = Json.mapper().readTree(pointing.toFile());
    assertEquals("pointing", p.get("experiment").asText());
    assertEquals(3, p.get("scenes").asInt());
    assertEquals(6, p.at("/pointing/questions").asInt());
    assertEquals(6, p.get("questions").size());
    int hits = 0;
    int limeHits = 0;
    for (JsonNode q : p.get("questions")) {
      hits += q.get("miHit").asBoolean() ? 1 : 0;
      limeHits += q.get("limeHit").asBoolean() ? 1 : 0;
      assertTrue(List.of("what", "is_there_at").contains(q.get("type").asText()));
    }
    assertEquals(hits, p.at("/pointing/dime/hits").asInt());
    assertEquals(limeHits, p.at("/pointing/lime/hits").asInt());
    assertEquals(
        VqaExperiment.wilsonLower(hits, 6), p.at("/pointing/dime/wilsonLower95").asDouble(), 1e-12);
    assertEquals(3, p.at("/pointing/byType/what/questions").asInt(), "one what per scene");

    Path swap = dir.resolve("swap.json");
    rc =
        Main.run(
            "reproduce",
            "swap",
            "--scenes",
            "2",
            "--samples",
            "60",
            "--references",
            "6",
            "--threads",
            "2",
            "--quiet",
            "--json",
            swap.toString());
    assertEquals(0, rc);
    JsonNode s = Json.mapper().readTree(swap.toFile());
    assertEquals(6, s.get("explanations").asInt(), "three explanations per scene");
    assertEquals(2, s.at("/swap/scenes").asInt());
    for (String key : List.of("UC_V", "MI_V")) {
      JsonNode d = s.at("/swap/" + key);
      double swapMean = d.get("swapMean").asDouble();
      double noise = d.get("noiseMean").asDouble();
      assertTrue(swapMean >= 0 && swapMean <= 2, key + " " + swapMean);
      assertTrue(noise > 0 && noise <= 2, key + " noise " + noise);
      assertEquals(swapMean / noise, d.get("ratio").asDouble(), 1e-12);
    }
  }

  @Test
  void badQuestionRecordsAreNamedAndTheRestRuns(@TempDir Path dir) throws Exception {
    Path data = DemoData.unpack(DemoData.FASHION, dir.resolve("fashion"));
    List<String> lines =
        new ArrayList<>(Files.readAllLines(data.resolve("questions.jsonl")).subList(0, 4));
    ObjectNode noQuadrant = (ObjectNode) Json.mapper().readTree(lines.get(3));
    noQuadrant.remove("quadrant");
    lines.set(3, Json.mapper().writeValueAsString(noQuadrant));
    lines.add("{not json");
    Path questions = data.resolve("bad-questions.jsonl");
    Files.write(questions, lines);
    Path out = dir.resolve("pointing.json");
    int rc =
        Main.run(
            "reproduce",
            "pointing",
            "--questions",
            questions.toString(),
            "--scenes",
            "2",
            "--samples",
            "40",
            "--references",
            "4",
            "--threads",
            "2",
            "--quiet",
            "--json",
            out.toString());
    assertEquals(1, rc, "failures are reported in the exit code");
    JsonNode p = Json.mapper().readTree(out.toFile());
    assertEquals(1, p.get("scenes").asInt(), "the scene with two good questions ran");
    assertEquals(2, p.at("/pointing/questions").asInt());
    String failures = p.get("failures").toString();
    assertTrue(
        failures.contains(noQuadrant.get("id").asText()) && failures.contains("quadrant"),
        failures);
    assertTrue(failures.contains("line 5"), failures);
    assertTrue(failures.contains("asked for 2"), failures);
  }
}
