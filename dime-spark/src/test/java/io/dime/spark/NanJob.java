package io.dime.spark;

import io.dime.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A job on a real ONNX model that fails on chosen records: {@code nan_below.onnx} (built by
 * model-adapters/onnx/src/test/python/make_test_models.py) answers NaN for every row whose a0 is
 * below -5, so a record whose a0 is -10 gets a model error wherever it is explained.
 */
final class NanJob {
  static final Path MODEL =
      Path.of("..", "model-adapters", "onnx", "src", "test", "resources", "nan_below.onnx")
          .toAbsolutePath()
          .normalize();

  private static final String PIPELINE =
      """
      modalities:
        - name: a
          plugin: vector
          settings: {length: 3, input: a}
        - name: b
          plugin: vector
          settings: {length: 2, input: b}
      output: y
      outputKind: logits
      classNames: ["no", "yes"]
      """;

  private final Path dir;

  /**
   * Writes the pipeline, a clean pool of 16 and n records, those at the indices in bad poisoned.
   */
  NanJob(Path dir, int n, List<Integer> bad) throws IOException {
    this.dir = dir;
    Files.writeString(dir.resolve("pipeline.yaml"), PIPELINE);
    SplittableRandom rng = new SplittableRandom(5);
    List<String> pool = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      pool.add(line("pool" + i, rng, false));
    }
    Files.write(dir.resolve("pool.jsonl"), pool);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add(line("r" + i, rng, bad.contains(i)));
    }
    Files.write(dir.resolve("data.jsonl"), lines);
  }

  private static String line(String id, SplittableRandom rng, boolean poisoned) {
    return String.format(
        Locale.ROOT,
        "{\"id\":\"%s\",\"a\":[%.4f,%.4f,%.4f],\"b\":[%.4f,%.4f]}",
        id,
        poisoned ? -10 : rng.nextDouble(-1, 1),
        rng.nextDouble(-1, 1),
        rng.nextDouble(-1, 1),
        rng.nextDouble(-1, 1),
        rng.nextDouble(-1, 1));
  }

  /** Runs {@code dime explain} on the job with {@code extra}; its exit code and standard error. */
  Map.Entry<Integer, String> run(Path out, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "explain",
                "--model",
                "onnx:" + MODEL,
                "--pipeline",
                dir.resolve("pipeline.yaml").toString(),
                "--data",
                dir.resolve("data.jsonl").toString(),
                "--pool",
                dir.resolve("pool.jsonl").toString(),
                "--out",
                out.toString(),
                "--samples",
                "60",
                "--references",
                "8",
                "--quiet"));
    if (!List.of(extra).contains("--spark")) {
      a.addAll(List.of("--threads", "1")); // a Spark task explains on its spark.task.cpus cores
    }
    a.addAll(List.of(extra));
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      int rc = Main.run(a.toArray(String[]::new));
      return Map.entry(rc, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(old);
    }
  }
}
