package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Series models that do not take [batch, channels, length], explained end to end with the skeleton
 * {@code inspect-model} writes for them: a time-major model ([batch, 6, 2], as recurrent networks
 * take) gets {@code layout: ntc}, a one-channel model ([batch, 8] named like a signal) {@code
 * layout: nt}. Each real ONNX model reduces over time, so every explained output is known from the
 * records' values: a layout that put the values in the wrong places would change them.
 */
class SeriesLayoutModelTest {
  @Test
  void timeMajorSeriesAreFedTimeMajor(@TempDir Path dir) throws Exception {
    Path model =
        new TinyOnnx()
            .input("accel", TinyOnnx.FLOAT, "batch", 6L, 2L)
            .output("peak", TinyOnnx.FLOAT, "batch", 2L)
            .node("ReduceMax", "accel", "peak", Map.of("axes", new long[] {1}, "keepdims", 0L))
            .write(dir.resolve("rnn.onnx"));
    String skeleton = skeleton(model);
    assertTrue(skeleton.contains("      layout: ntc  # guess: dimension 2 (2) holds"), skeleton);
    assertTrue(skeleton.contains("      channels: 2  # dimension 2\n"), skeleton);
    assertTrue(skeleton.contains("      length: 6  # dimension 1\n"), skeleton);
    Files.writeString(dir.resolve("pipeline.yaml"), skeleton);

    SplittableRandom rng = new SplittableRandom(3);
    Map<String, Double> expected = new HashMap<>();
    StringBuilder manifest = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      double[][] s = new double[2][6];
      double[] peak = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
      for (int c = 0; c < 2; c++) {
        for (int t = 0; t < 6; t++) {
          s[c][t] = Math.round(rng.nextDouble(-10, 10) * 100) / 100.0;
          peak[c] = Math.max(peak[c], s[c][t]);
        }
      }
      // two logits are explained centred: the first is half their difference
      expected.put("r" + i, (peak[0] - peak[1]) / 2);
      manifest.append(record("r" + i, "accel", s));
    }
    Map<String, Double> got = explain(dir, model, manifest.toString(), 0);
    assertEquals(expected.keySet(), got.keySet());
    for (String id : expected.keySet()) {
      assertEquals(expected.get(id), got.get(id), 1e-5, id);
    }
  }

  @Test
  void oneChannelSignalsAreFedFlat(@TempDir Path dir) throws Exception {
    Path model =
        new TinyOnnx()
            .input("ecg", TinyOnnx.FLOAT, "batch", 8L)
            .output("peak", TinyOnnx.FLOAT, "batch")
            .node("ReduceMax", "ecg", "peak", Map.of("axes", new long[] {1}, "keepdims", 0L))
            .write(dir.resolve("ecg.onnx"));
    String skeleton = skeleton(model);
    assertTrue(skeleton.contains("    plugin: timeseries  # guess: a 2-D float input"), skeleton);
    assertTrue(skeleton.contains("      layout: nt  # [batch, length]"), skeleton);
    Files.writeString(dir.resolve("pipeline.yaml"), skeleton);
    SplittableRandom rng = new SplittableRandom(4);
    Map<String, Double> expected = new HashMap<>();
    StringBuilder manifest = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      double[][] s = new double[1][8];
      double peak = Double.NEGATIVE_INFINITY;
      for (int t = 0; t < 8; t++) {
        s[0][t] = Math.round(rng.nextDouble(-10, 10) * 100) / 100.0;
        peak = Math.max(peak, s[0][t]);
      }
      expected.put("e" + i, peak);
      manifest.append(record("e" + i, "ecg", s));
    }
    Map<String, Double> got = explain(dir, model, manifest.toString(), 0);
    for (String id : expected.keySet()) {
      assertEquals(expected.get(id), got.get(id), 1e-5, id);
    }
  }

  private static String skeleton(Path model) {
    String[] inspected = InspectModelCommandTest.run("inspect-model", model.toString());
    assertEquals("0", inspected[0], inspected[2]);
    return inspected[1];
  }

  private static String record(String id, String field, double[][] s) {
    List<String> channels = new ArrayList<>();
    for (double[] c : s) {
      List<String> v = new ArrayList<>();
      for (double x : c) {
        v.add(String.format(Locale.ROOT, "%.2f", x));
      }
      channels.add("[" + String.join(", ", v) + "]");
    }
    return "{\"id\": \"" + id + "\", \"" + field + "\": [" + String.join(", ", channels) + "]}\n";
  }

  /** Each record's explained output of class {@code classIndex}, by id. */
  private static Map<String, Double> explain(Path dir, Path model, String manifest, int classIndex)
      throws Exception {
    Files.writeString(dir.resolve("data.jsonl"), manifest);
    Files.writeString(dir.resolve("pool.jsonl"), manifest);
    Map<String, Double> out = new HashMap<>();
    CliFixtures.explained(
            model,
            dir,
            "data.jsonl",
            "--classes",
            Integer.toString(classIndex),
            "--samples",
            "100",
            "--quiet")
        .forEach((id, e) -> out.put(id, e.output()));
    return out;
  }
}
