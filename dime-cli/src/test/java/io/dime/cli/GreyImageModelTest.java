package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * A grey-level image model ([batch, 1, H, W], as MNIST-style CNNs take) explained end to end: the
 * skeleton {@code inspect-model} guesses is used as it is (one channel: {@code channelOrder:
 * grey}), and the real ONNX model, a global average of its one channel, gives each record's mean
 * grey level / 255. So each explained output is known exactly: grey PNGs keep their levels, and a
 * colour PNG becomes its luma (ITU-R BT.601 weights).
 */
class GreyImageModelTest {
  private static final int SIZE = 16;

  private static final int[][] COLOURS = {
    {255, 0, 0},
    {0, 255, 0},
    {0, 0, 255},
    {255, 255, 0},
    {0, 255, 255},
    {10, 200, 30},
    {120, 60, 240}
  };

  static {
    org.bytedeco.javacpp.Loader.load(org.bytedeco.opencv.opencv_java.class);
  }

  @Test
  void greyImagesExplainWithTheirOwnLevels(@TempDir Path dir) throws Exception {
    Path model =
        new TinyOnnx()
            .input("scan", TinyOnnx.FLOAT, "batch", 1L, (long) SIZE, (long) SIZE)
            .output("level", TinyOnnx.FLOAT, "batch", 1L)
            .node("GlobalAveragePool", "scan", "pooled")
            .node("Flatten", "pooled", "level")
            .write(dir.resolve("grey.onnx"));
    String[] inspected = InspectModelCommandTest.run("inspect-model", model.toString());
    assertEquals("0", inspected[0], inspected[2]);
    String skeleton = inspected[1];
    assertTrue(skeleton.contains("channelOrder: grey  # guess"), skeleton);
    // the skeleton as it is, with a grid of 4 x 4 features hidden by black
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        skeleton.replace(
            "      input: scan\n",
            "      input: scan\n      featurizer: grid\n      rows: 4\n      cols: 4\n"
                + "      perturber: constant\n      fill: 0\n"));

    SplittableRandom rng = new SplittableRandom(5);
    Map<String, Double> expected = new HashMap<>();
    Map<String, double[]> segmentSums = new HashMap<>();
    StringBuilder manifest = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      String id = "g" + i;
      boolean colour = i % 4 == 3;
      Mat m = new Mat(SIZE, SIZE, colour ? CvType.CV_8UC3 : CvType.CV_8UC1);
      double sum = 0;
      double[] segments = new double[16];
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          int level;
          if (colour) {
            // colours whose luma is not near a rounding tie: exact in any fixed point
            int[] rgb = COLOURS[rng.nextInt(COLOURS.length)];
            m.put(y, x, rgb[2], rgb[1], rgb[0]); // OpenCV keeps BGR
            level = (int) Math.round(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]);
          } else {
            level = rng.nextInt(256);
            m.put(y, x, level);
          }
          sum += level;
          segments[(y / 4) * 4 + x / 4] += level;
        }
      }
      Imgcodecs.imwrite(dir.resolve(id + ".png").toString(), m);
      expected.put(id, sum / (SIZE * SIZE) / 255);
      segmentSums.put(id, segments);
      manifest.append("{\"id\": \"").append(id).append("\", \"scan\": \"").append(id);
      manifest.append(".png\"}\n");
    }
    Files.writeString(dir.resolve("data.jsonl"), manifest.toString());
    Files.writeString(dir.resolve("pool.jsonl"), manifest.toString()); // the records themselves

    Map.Entry<Integer, String> r =
        CliFixtures.run(
            CliFixtures.explain(
                model,
                dir,
                "data.jsonl",
                "out",
                "--estimator",
                "exact",
                "--references",
                "12",
                "--samples",
                "300",
                "--quiet"));
    assertEquals(0, r.getKey(), r.getValue());

    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("out/explanations.jsonl"))) {
      lines.add(Json.mapper().readTree(line));
    }
    assertEquals(12, lines.size());
    double poolMean =
        expected.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    for (JsonNode n : lines) {
      String id = n.path("id").asText();
      JsonNode c = n.path("classes").get(0);
      // the encoded tensor held the record's grey levels exactly (float32 arithmetic)
      assertEquals(expected.get(id), c.path("output").asDouble(), 1e-6, id);
      double bias = 0;
      double alone = 0;
      for (JsonNode t : c.path("decomposition")) {
        if (t.path("key").asText().equals("gE")) {
          bias = t.path("value").asDouble();
        } else {
          alone = t.path("value").asDouble();
        }
      }
      // all 12 records are the references: the bias is their mean output, the rest the image's
      assertEquals(poolMean, bias, 1e-6, id);
      assertEquals(expected.get(id) - poolMean, alone, 1e-6, id);
      // hiding a segment in black takes its levels out of the mean: the weights follow the sums
      double[] w =
          c.path("modalities")
              .get(0)
              .path("fits")
              .get(0)
              .path("weights")
              .traverse(Json.mapper())
              .readValueAs(double[].class);
      assertTrue(pearson(w, segmentSums.get(id)) > 0.99, id + ": " + java.util.Arrays.toString(w));
    }
  }

  private static double pearson(double[] a, double[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i] / a.length;
      mb += b[i] / b.length;
    }
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += (a[i] - ma) * (b[i] - mb);
      aa += (a[i] - ma) * (a[i] - ma);
      bb += (b[i] - mb) * (b[i] - mb);
    }
    return ab / Math.sqrt(aa * bb);
  }
}
