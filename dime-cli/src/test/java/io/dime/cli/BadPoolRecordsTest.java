package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.core.io.Json;
import io.dime.demo.DemoData;
import io.dime.demo.DemoModels;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reference pool with a scene of another size and an unreadable scene, on the bundled image and
 * question demo (real OpenCV segmentation, the CoreNLP tokenizer, ONNX Runtime): both records are
 * left out of the pool with a warning naming each and its problem, and every explained record is
 * still explained. Before, the odd-sized pool scene joined every batch and failed every record at
 * the model with "encoded rows of different sizes", naming no pool record (the engine now compares
 * shapes and names the value, see TransposedSeriesTest). Ten datapoints are also cautioned of as a
 * small pool, in the run's notes.
 */
class BadPoolRecordsTest {
  @Test
  void poolRecordsThatCannotJoinABatchAreLeftOutByName(@TempDir Path dir) throws Exception {
    Path data = DemoData.unpack(DemoData.FASHION, dir.resolve("fashion"));
    ImageIO.write(
        new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY),
        "png",
        data.resolve("scenes/small.png").toFile());
    List<String> pool = Files.readAllLines(data.resolve("pool.jsonl"), StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ObjectNode n = (ObjectNode) Json.mapper().readTree(pool.get(i));
      if (i == 4) {
        n.put("image", "scenes/small.png");
      } else if (i == 7) {
        n.put("image", "scenes/no-such-scene.png");
      }
      lines.add(Json.mapper().writeValueAsString(n));
    }
    Path poolFile = data.resolve("pool-with-bad.jsonl");
    Files.write(poolFile, lines, StandardCharsets.UTF_8);
    String small = Json.mapper().readTree(lines.get(4)).path("id").asText();
    String missing = Json.mapper().readTree(lines.get(7)).path("id").asText();
    List<String> demo = Files.readAllLines(data.resolve("demo.jsonl"), StandardCharsets.UTF_8);
    Path manifest = data.resolve("two.jsonl");
    Files.write(manifest, demo.subList(0, 2), StandardCharsets.UTF_8);
    Path out = dir.resolve("out");

    int[] rc = new int[1];
    String err =
        ExplainCommandTest.captureErr(
            () -> {
              rc[0] =
                  Main.run(
                      DemoExplain.args(
                          DemoModels.file("fashion_vqa.onnx"),
                          data,
                          manifest,
                          poolFile,
                          out,
                          60,
                          6));
            });
    assertEquals(0, rc[0], err);
    assertTrue(
        err.contains(
            "left out of the reference pool: record '"
                + small
                + "' (line 5 of pool-with-bad.jsonl): modality 'image' encodes it as 'image' [3,"
                + " 28, 28] where 10 of the 11 pool datapoints encode as 'image' [3, 56, 56]"),
        err);
    assertTrue(
        err.contains(
            "left out of the reference pool: record '"
                + missing
                + "' (line 8 of pool-with-bad.jsonl): modality 'image': cannot read image"),
        err);
    // ten datapoints are few: the notes say so (standard error does not, under --quiet)
    assertFalse(err.contains("The reference pool has only"), err);
    JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
    assertTrue(
        summary.at("/notes/1").asText().startsWith("The reference pool has only 10 datapoints"),
        summary.at("/notes").toString());
    assertEquals(2, summary.at("/counts/poolRecordsSkipped").asInt());
    assertEquals(10, summary.at("/counts/poolSize").asInt());
    assertEquals(2, summary.at("/counts/explained").asInt());
    assertEquals(0, summary.at("/counts/failed").asInt());
  }
}
