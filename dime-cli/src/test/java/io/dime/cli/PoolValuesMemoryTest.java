package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reference pool's values as read stay in memory beside their encodings for the whole run, and
 * both are counted against the pool's half of the heap. A series is read as 8-byte doubles and fed
 * as 4-byte floats, so its values take twice its encodings: before they were counted, a pool whose
 * encodings fit ran the heap out while it was encoded (exit 3, a message naming only the heap).
 */
class PoolValuesMemoryTest {
  private static final int LENGTH = 20_000;

  @Test
  void aPoolWhoseValuesAndEncodingsDoNotFitTogetherIsRefusedNamingAPoolSizeThatRuns(
      @TempDir Path dir) throws Exception {
    write(dir, 900);
    Map.Entry<Integer, String> refused = explain(dir, "out");
    String said = refused.getValue();
    assertEquals(2, refused.getKey(), said);
    assertTrue(
        said.contains(
            "the reference pool's values and encodings would need 206 MB (900 datapoints of 78 KB"
                + " encoded and 156 KB as read, most of it modality 's')"),
        said);
    Matcher m = Pattern.compile("--pool-size (\\d+)").matcher(said);
    assertTrue(m.find(), said);
    int fit = Integer.parseInt(m.group(1));
    // half of a 256 MB heap (the JVM may report a little less) over 234 KB a datapoint
    assertTrue(fit > 500 && fit <= 560, said);

    Map.Entry<Integer, String> ran = explain(dir, "out2", "--pool-size", "" + fit);
    assertEquals(0, ran.getKey(), ran.getValue());
    assertEquals(1, Files.readAllLines(dir.resolve("out2/explanations.jsonl")).size());
  }

  private static Map.Entry<Integer, String> explain(Path dir, String out, String... more)
      throws Exception {
    List<String> options =
        new java.util.ArrayList<>(List.of("--quiet", "--samples", "10", "--references", "2"));
    options.addAll(List.of(more));
    return CliFixtures.runInJvm(
        dir.resolve(out + ".log"),
        List.of("-Xmx256m", "-XX:ActiveProcessorCount=2"),
        CliFixtures.explain(
            dir.resolve("m.onnx"), dir, "data.jsonl", out, options.toArray(String[]::new)));
  }

  /** The model (the series' mean and x's first entry), a pool of {@code n} series, one record. */
  private static void write(Path dir, int n) throws Exception {
    new TinyOnnx()
        .input("s", TinyOnnx.FLOAT, "batch", (long) LENGTH)
        .input("x", TinyOnnx.FLOAT, "batch", 2L)
        .node("ReduceMean", "s", "y", Map.of("axes", new long[] {1}, "keepdims", 1L))
        .output("y", TinyOnnx.FLOAT, "batch", 1L)
        .write(dir.resolve("m.onnx"));
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("pool.jsonl"))) {
      for (int i = 0; i < n; i++) {
        series(w, "p" + i, i);
      }
    }
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("data.jsonl"))) {
      series(w, "a", 3);
    }
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        "modalities:\n  - name: s\n    plugin: timeseries\n    settings: {input: s, layout: nt,"
            + " length: "
            + LENGTH
            + ", window: 2500}\n"
            + "  - name: x\n    plugin: vector\n    settings: {length: 2, input: x}\n"
            + "output: y\noutputKind: regression\n",
        StandardCharsets.UTF_8);
  }

  private static void series(BufferedWriter w, String id, int seed) throws java.io.IOException {
    w.write("{\"id\": \"" + id + "\", \"s\": [[");
    for (int t = 0; t < LENGTH; t++) {
      w.write(t == 0 ? "" : ",");
      w.write(Integer.toString((seed * 7 + t) % 10));
    }
    w.write("]], \"x\": [" + seed + ", 1]}\n");
  }
}
