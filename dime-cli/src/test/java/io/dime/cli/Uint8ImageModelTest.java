package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * An image model that takes UINT8 pixels in NHWC order, as models exported from TensorFlow do,
 * explained end to end with the skeleton {@code inspect-model} writes for it: the skeleton shows
 * the model's own type and sets {@code scale: 1}, and the ONNX adapter feeds the encoder's FLOAT32
 * values as bytes. The real model, the mean of its bytes, then gives each record's mean pixel value
 * (with the plugin's default scale of 1/255 it would see only 0 and 1, a mean near 0.5).
 */
class Uint8ImageModelTest {
  private static final int SIZE = 12;

  static {
    org.bytedeco.javacpp.Loader.load(org.bytedeco.opencv.opencv_java.class);
  }

  /** A 2-D UINT8 input's guess names its type (it said "a 2-D float input"). */
  @Test
  void aUint8VectorIsGuessedByItsOwnType(@TempDir Path dir) throws Exception {
    Path model =
        new TinyOnnx()
            .input("codes", TinyOnnx.UINT8, "batch", 4L)
            .output("wide", TinyOnnx.FLOAT, "batch", 4L)
            .node("Cast", "codes", "wide", Map.of("to", (long) TinyOnnx.FLOAT))
            .write(dir.resolve("codes.onnx"));
    String[] inspected = InspectModelCommandTest.run("inspect-model", model.toString());
    assertEquals("0", inspected[0], inspected[2]);
    assertTrue(
        inspected[1].contains("# guess: a 2-D UINT8 input (fed as floats) [batch, 4] is a vector"),
        inspected[1]);
  }

  @Test
  void uint8PixelsAreExplainedAtTheirOwnValues(@TempDir Path dir) throws Exception {
    Path model =
        new TinyOnnx()
            .input("pixels", TinyOnnx.UINT8, "batch", (long) SIZE, (long) SIZE, 3L)
            .output("level", TinyOnnx.FLOAT, "batch")
            .node("Cast", "pixels", "wide", Map.of("to", (long) TinyOnnx.FLOAT))
            .node(
                "ReduceMean", "wide", "level", Map.of("axes", new long[] {1, 2, 3}, "keepdims", 0L))
            .write(dir.resolve("bytes.onnx"));
    String[] inspected = InspectModelCommandTest.run("inspect-model", model.toString());
    assertEquals("0", inspected[0], inspected[2]);
    String skeleton = inspected[1];
    assertTrue(
        skeleton.contains("pixels  UINT8    [batch, 12, 12, 3]  (DIME sees FLOAT32"), skeleton);
    assertTrue(skeleton.contains("layout: nhwc  # guess"), skeleton);
    assertTrue(skeleton.contains("scale: 1  # the model takes UINT8 pixels"), skeleton);
    // the skeleton as it is, with a grid of 3 x 3 features hidden by black
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        skeleton.replace(
            "      input: pixels\n",
            "      input: pixels\n      featurizer: grid\n      rows: 3\n      cols: 3\n"
                + "      perturber: constant\n      fill: 0\n"));

    SplittableRandom rng = new SplittableRandom(11);
    Map<String, Double> expected = new HashMap<>();
    StringBuilder manifest = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      String id = "u" + i;
      Mat m = new Mat(SIZE, SIZE, CvType.CV_8UC3);
      double sum = 0;
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          int b = rng.nextInt(256);
          int g = rng.nextInt(256);
          int r = rng.nextInt(256);
          m.put(y, x, b, g, r);
          sum += b + g + r;
        }
      }
      Imgcodecs.imwrite(dir.resolve(id + ".png").toString(), m);
      expected.put(id, sum / (SIZE * SIZE * 3));
      manifest.append("{\"id\": \"").append(id).append("\", \"pixels\": \"").append(id);
      manifest.append(".png\"}\n");
    }
    Files.writeString(dir.resolve("data.jsonl"), manifest.toString());
    Files.writeString(dir.resolve("pool.jsonl"), manifest.toString());

    Map<String, CliFixtures.Explained> got =
        CliFixtures.explained(
            model,
            dir,
            "data.jsonl",
            "--estimator",
            "exact",
            "--references",
            "8",
            "--samples",
            "200",
            "--quiet");
    assertEquals(expected.keySet(), got.keySet());
    double poolMean =
        expected.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    for (Map.Entry<String, CliFixtures.Explained> e : got.entrySet()) {
      String id = e.getKey();
      assertEquals(expected.get(id), e.getValue().output(), 1e-3, id);
      // all 8 records are the references: the bias is their mean output, the rest the image's
      assertEquals(poolMean, e.getValue().terms().get("gE"), 1e-3, id);
      assertEquals(expected.get(id) - poolMean, e.getValue().terms().get("g1"), 1e-3, id);
    }
  }
}
