package io.dime.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the command-line tests over the ONNX adapter's test models share. */
final class CliFixtures {
  private CliFixtures() {}

  /** A model under model-adapters/onnx/src/test/resources (made by the scripts beside it). */
  static Path onnxTestModel(String file) {
    return Path.of("..", "model-adapters", "onnx", "src", "test", "resources", file)
        .toAbsolutePath()
        .normalize();
  }

  /** A pipeline of two vector modalities, a and b, fed to the inputs of the same names. */
  static String twoVectors(int lengthA, int lengthB, String classNames) {
    return """
        modalities:
          - name: a
            plugin: vector
            settings: {length: %d, input: a}
          - name: b
            plugin: vector
            settings: {length: %d, input: b}
        output: y
        outputKind: logits
        classNames: %s
        """
        .formatted(lengthA, lengthB, classNames);
  }

  /**
   * {@code explain} with the ONNX model {@code model} over {@code dir}'s pipeline.yaml, pool.jsonl
   * and the manifest {@code data}, into {@code dir/out}; {@code more} are the other options.
   */
  static String[] explain(Path model, Path dir, String data, String out, String... more) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "explain",
                "--model",
                "onnx:" + model,
                "--pipeline",
                dir.resolve("pipeline.yaml").toString(),
                "--data",
                dir.resolve(data).toString(),
                "--pool",
                dir.resolve("pool.jsonl").toString(),
                "--out",
                dir.resolve(out).toString()));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  /**
   * Explains two records of vectors a (3) and b (2), also the pool, with {@code model} (inputs a
   * and b, an output of two classes) in {@code dir}: the run must exit 0 with two lines; returns
   * what it wrote to standard error.
   */
  static String twoVectorRecordsExplained(Path model, Path dir) throws java.io.IOException {
    java.nio.file.Files.writeString(dir.resolve("pipeline.yaml"), twoVectors(3, 2, "[no, yes]"));
    String records =
        """
        {"id": "r0", "a": [1, 2, 3], "b": [0.5, -1]}
        {"id": "r1", "a": [0, 1, 0], "b": [2, 1]}
        """;
    java.nio.file.Files.writeString(dir.resolve("data.jsonl"), records);
    java.nio.file.Files.writeString(dir.resolve("pool.jsonl"), records);
    Map.Entry<Integer, String> r =
        run(explain(model, dir, "data.jsonl", "out", "--samples", "30", "--quiet"));
    org.junit.jupiter.api.Assertions.assertEquals(0, r.getKey(), r.getValue());
    org.junit.jupiter.api.Assertions.assertEquals(
        2, java.nio.file.Files.readAllLines(dir.resolve("out/explanations.jsonl")).size());
    return r.getValue();
  }

  /** Runs the command line; returns its exit code and what it wrote to standard error. */
  static Map.Entry<Integer, String> run(String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      int rc = Main.run(args);
      return Map.entry(rc, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(old);
    }
  }

  /**
   * Runs the command line in a JVM of its own with the options {@code jvm} (a heap limit, say), its
   * output and error both into {@code log}; fails the test when it has not ended within 120 s.
   * Returns its exit code and what it wrote.
   */
  static Map.Entry<Integer, String> runInJvm(Path log, List<String> jvm, String... args)
      throws java.io.IOException, InterruptedException {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvm);
    cmd.addAll(List.of("-cp", cp, "io.dime.cli.Main"));
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    org.junit.jupiter.api.Assertions.assertTrue(
        p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "ended");
    return Map.entry(p.exitValue(), java.nio.file.Files.readString(log));
  }

  /** One explained class of a record: its output and its decomposition's terms by key. */
  record Explained(double output, Map<String, Double> terms) {}

  /**
   * Runs {@link #explain} (it must exit 0) and reads back, for each record's first class in {@code
   * dir/OUT/explanations.jsonl}, its output and terms, by record id.
   */
  static Map<String, Explained> explained(Path model, Path dir, String data, String... more)
      throws java.io.IOException {
    Map.Entry<Integer, String> r = run(explain(model, dir, data, "out", more));
    if (r.getKey() != 0) {
      throw new AssertionError("exit code " + r.getKey() + ": " + r.getValue());
    }
    Map<String, Explained> out = new java.util.LinkedHashMap<>();
    for (String line : java.nio.file.Files.readAllLines(dir.resolve("out/explanations.jsonl"))) {
      com.fasterxml.jackson.databind.JsonNode n = io.dime.core.io.Json.mapper().readTree(line);
      com.fasterxml.jackson.databind.JsonNode c = n.path("classes").get(0);
      Map<String, Double> terms = new java.util.LinkedHashMap<>();
      c.path("decomposition")
          .forEach(t -> terms.put(t.path("key").asText(), t.path("value").asDouble()));
      out.put(n.path("id").asText(), new Explained(c.path("output").asDouble(), terms));
    }
    return out;
  }
}
