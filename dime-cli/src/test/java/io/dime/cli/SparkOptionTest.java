package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --spark} without DIME's Spark part on the class path (as here: dime-cli never depends on
 * dime-spark) fails at once, before reading anything, with a message that says how to get it;
 * {@code --partitions} goes with {@code --spark}, and {@code --threads} does not (a Spark task
 * explains on its {@code spark.task.cpus} cores). dime-spark's tests run the job on Spark.
 */
class SparkOptionTest {
  @Test
  void sparkWithoutTheSparkPartSaysWhatToDo(@TempDir Path dir) {
    String[] r =
        InspectModelCommandTest.run(
            "explain",
            "--model",
            "onnx:missing.onnx",
            "--pipeline",
            "missing.yaml",
            "--data",
            "missing.jsonl",
            "--out",
            dir.resolve("out").toString(),
            "--spark",
            "local[2]");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--spark needs DIME's Spark part"), r[2]);
    assertTrue(r[2].contains("-Pspark") && r[2].contains("spark-submit"), r[2]);
    assertFalse(Files.exists(dir.resolve("out")), "nothing is written");
  }

  @Test
  void partitionsGoWithSpark(@TempDir Path dir) {
    String[] r =
        InspectModelCommandTest.run(
            "explain",
            "--model",
            "onnx:m.onnx",
            "--pipeline",
            "p.yaml",
            "--data",
            "d.jsonl",
            "--out",
            dir.toString(),
            "--partitions",
            "4");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--partitions N (N >= 1) goes with --spark"), r[2]);
  }

  /**
   * {@code --threads 1} with {@code --spark local[2]} was accepted and ignored: two records were
   * explained at once, and the log's start event said "threads": 1.
   */
  @Test
  void threadsDoNotGoWithSpark(@TempDir Path dir) {
    String[] r =
        InspectModelCommandTest.run(
            "explain",
            "--model",
            "onnx:m.onnx",
            "--pipeline",
            "p.yaml",
            "--data",
            "d.jsonl",
            "--out",
            dir.resolve("out").toString(),
            "--spark",
            "local[2]",
            "--threads",
            "1");
    assertEquals("2", r[0]);
    assertEquals(
        "dime: --threads does not apply with --spark: each Spark task explains its records on its"
            + " spark.task.cpus cores, and the master sets how many tasks run at once (local[N]:"
            + " N); leave out --threads",
        r[2].strip());
    assertFalse(Files.exists(dir.resolve("out")), "nothing is written");
  }
}
