package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A text model exported with position ids as an input (a real ONNX model: the sum of the position
 * ids under the attention mask), explained with the skeleton {@code inspect-model} writes for it:
 * the text modality fills the position ids, so a text of w words scores 0 + 1 + ... + (w - 1).
 */
class PositionIdsModelTest {
  @Test
  void theTextModalityFillsThePositionIds(@TempDir Path dir) throws Exception {
    Path model = CliFixtures.onnxTestModel("position_ids.onnx");
    String[] inspected = InspectModelCommandTest.run("inspect-model", model.toString());
    assertEquals("0", inspected[0], inspected[2]);
    String skeleton = inspected[1];
    assertTrue(skeleton.contains("      positionIds: true  # 0 to maxLength - 1"), skeleton);
    assertTrue(skeleton.contains("      positionIdsName: position_ids  # guess"), skeleton);
    Files.write(dir.resolve("vocab.txt"), List.of("[PAD]", "[UNK]", "the", "man", "is", "happy"));
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        skeleton
            .replaceAll("vocab: vocab.txt.*", "vocab: " + dir.resolve("vocab.txt"))
            .replaceAll("encoder: wordpiece.*", "encoder: vocab"));
    String manifest =
        """
        {"id": "one", "text": "happy"}
        {"id": "four", "text": "the man is happy"}
        {"id": "six", "text": "the man is happy, the man"}
        """;
    Files.writeString(dir.resolve("data.jsonl"), manifest);
    Files.writeString(dir.resolve("pool.jsonl"), manifest);
    Map<String, CliFixtures.Explained> got =
        CliFixtures.explained(
            model, dir, "data.jsonl", "--estimator", "exact", "--references", "3", "--quiet");
    // CoreNLP reads "the man is happy, the man" as 7 words (the comma is one)
    Map<String, Double> expected = Map.of("one", 0.0, "four", 6.0, "six", 21.0);
    double mean = (0.0 + 6.0 + 21.0) / 3;
    for (Map.Entry<String, Double> e : expected.entrySet()) {
      CliFixtures.Explained x = got.get(e.getKey());
      assertEquals(e.getValue(), x.output(), 1e-9, e.getKey());
      assertEquals(mean, x.terms().get("gE"), 1e-9, e.getKey());
      assertEquals(e.getValue() - mean, x.terms().get("g1"), 1e-9, e.getKey());
    }
  }
}
