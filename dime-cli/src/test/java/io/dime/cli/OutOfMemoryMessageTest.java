package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.core.infer.HeapAdvice;
import io.dime.reproduce.SyntheticModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running out of heap ends the command with one message saying so and how to give the JVM more,
 * exit 3, instead of the JVM's "Exception in thread "main" java.lang.OutOfMemoryError" and a stack
 * trace with exit 1 (which a script reads as "some records failed"). Here a manifest line of 40 MB
 * under {@code -Xmx48m}, in a JVM of its own.
 */
class OutOfMemoryMessageTest {
  @Test
  void runningOutOfHeapSaysSoWithoutAStackTrace(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        "modalities:\n  - name: d1\n    plugin: vector\n    settings: {length: 10, input: d1}\n"
            + "  - name: d2\n    plugin: vector\n    settings: {length: 10, input: d2}\n"
            + "output: logits\noutputKind: logits\n");
    String v = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]";
    StringBuilder big = new StringBuilder(40_000_100);
    big.append("{\"id\": \"big\", \"d1\": ").append(v).append(", \"d2\": ").append(v);
    big.append(", \"pad\": \"").append("a".repeat(40_000_000)).append("\"}\n");
    Files.writeString(dir.resolve("data.jsonl"), big, StandardCharsets.UTF_8);
    big.setLength(0);
    java.util.Map.Entry<Integer, String> ran =
        CliFixtures.runInJvm(
            dir.resolve("log.txt"),
            List.of("-Xmx48m"),
            "explain",
            "--model",
            "onnx:" + SyntheticModels.file("synthetic_mlp.onnx"),
            "--pipeline",
            dir.resolve("pipeline.yaml").toString(),
            "--data",
            dir.resolve("data.jsonl").toString(),
            "--out",
            dir.resolve("out").toString(),
            "--quiet");
    String out = ran.getValue();
    assertEquals(3, ran.getKey(), out);
    assertTrue(out.startsWith("dime: out of memory (Java heap space, "), out);
    assertTrue(out.contains("): " + HeapAdvice.MORE_HEAP + ", or fewer --threads"), out);
    assertFalse(out.contains("\tat ") || out.contains("Exception in thread"), out);
  }

  /**
   * Out of heap on a worker thread arrives wrapped (an ExecutionException in a RuntimeException):
   * the job's message said "java.lang.OutOfMemoryError: Java heap space" with no advice; it now
   * finds the error among the causes and gives Main's advice (measured: a synthetic run under
   * -Xmx48m with --samples 100000 --batch-size 2000000000 ends "the job failed: out of memory (Java
   * heap space, 48 MB at most): give the JVM more ...").
   */
  @Test
  void aWorkersOutOfHeapIsFoundAmongTheCauses() {
    OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
    RuntimeException wrapped =
        new RuntimeException(new java.util.concurrent.ExecutionException(oom));
    assertEquals(oom, ExplainRun.outOfMemory(wrapped));
    assertEquals(null, ExplainRun.outOfMemory(new RuntimeException(new IllegalStateException())));
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b); // a cycle of causes ends the search
    assertEquals(null, ExplainRun.outOfMemory(a));
    String why = Main.outOfMemoryWhy(oom);
    // the heap advice in the words of every other out-of-heap message (HeapAdvice.MORE_HEAP)
    assertEquals(
        "out of memory (Java heap space, "
            + Runtime.getRuntime().maxMemory() / (1 << 20)
            + " MB at most): "
            + HeapAdvice.MORE_HEAP
            + ", or fewer --threads or a smaller --batch-size",
        why);
  }
}
