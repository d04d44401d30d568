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
 * {@code --partitions} goes with {@code --spark}. dime-spark's tests run the job on Spark.
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
}
