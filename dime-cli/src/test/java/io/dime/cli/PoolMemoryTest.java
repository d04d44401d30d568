package io.dime.cli;

import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference pool's encodings stay in memory for the whole run, so a pool too large for the heap
 * is refused before any work, saying how many datapoints fit and naming {@code --pool-size}, and
 * that many then run. Here 500 pool images of 224 x 224 (588 KB of floats each, 287 MB in all)
 * under {@code -Xmx512m}, in a JVM of its own. Before, every image's encodings were kept twice
 * (each one's own arrays beside the packed copy) and the job ran out of heap: exit 3, a message
 * naming only the heap.
 */
class PoolMemoryTest {
  @Test
  void aPoolTooLargeForTheHeapIsRefusedNamingPoolSizeAndThatSizeRuns(@TempDir Path dir)
      throws Exception {
    write(dir, 500);

    Run refused = explain(dir, "-Xmx512m", "out", "--samples", "10", "--references", "2");
    assertEquals(2, refused.code(), refused.said());
    assertFalse(refused.said().contains("out of memory"), refused.said());
    assertTrue(refused.said().contains("modality 'image'"), refused.said());
    assertTrue(refused.said().contains("500 datapoints of 588 KB"), refused.said());
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("--pool-size (\\d+)").matcher(refused.said());
    assertTrue(m.find(), refused.said());
    int fit = Integer.parseInt(m.group(1));
    assertTrue(fit >= 300 && fit < 500, refused.said());
    assertFalse(Files.exists(dir.resolve("out").resolve(ExplainCommand.EXPLANATIONS)));

    Run ran =
        explain(
            dir,
            "-Xmx512m",
            "out",
            "--samples",
            "10",
            "--references",
            "2",
            "--pool-size",
            "" + fit);
    assertEquals(0, ran.code(), ran.said());
    assertEquals(
        1, Files.readAllLines(dir.resolve("out").resolve(ExplainCommand.EXPLANATIONS)).size());
  }

  /**
   * A batch's encoded inputs are capped by the heap too: at most a sixteenth of it (under 1 GB), so
   * rows of 588 KB come 27 to a call under {@code -Xmx256m}, two threads. Before, the cap was 64
   * MiB whatever the heap, and this job ran out of heap on its only record (exit 3).
   */
  @Test
  void largeRowsComeInBatchesTheHeapHoldsAtTwoThreads(@TempDir Path dir) throws Exception {
    write(dir, 100);
    Run ran = explain(dir, "-Xmx256m", "out", "--samples", "20", "--threads", "2");
    assertEquals(0, ran.code(), ran.said());
    assertFalse(ran.said().contains("out of memory"), ran.said());
    assertEquals(
        1, Files.readAllLines(dir.resolve("out").resolve(ExplainCommand.EXPLANATIONS)).size());
  }

  /**
   * Each explaining thread holds up to two batches, so the cap shrinks with the threads: with
   * {@code --threads} (here 8 on a JVM that sees 2 processors, as for a served model) or the
   * processors, whichever is larger, at most a quarter of the heap over all of them. Rows of 588 KB
   * under {@code -Xmx128m}: 2 MiB a batch (3 rows). Before, each batch could take a sixteenth of
   * the heap, 8 MiB, 128 MiB over the threads, and the job ran out of heap; it did so too while the
   * cap counted only the processors.
   */
  @Test
  void manyThreadsShareTheHeapForTheirBatches(@TempDir Path dir) throws Exception {
    Run ran = eightRecordsOnEightThreads(dir);
    assertEquals(0, ran.code(), ran.said());
    assertFalse(ran.said().contains("out of memory"), ran.said());
    assertEquals(
        8, Files.readAllLines(dir.resolve("out").resolve(ExplainCommand.EXPLANATIONS)).size());
  }

  /**
   * The dry run measures on {@code --threads} threads too, so its engines count them as the run's
   * does: the setting above with {@code --dry-run}. Before, the dry run's engines counted only the
   * processors, and it ran out of heap where the run itself did not.
   */
  @Test
  void theDryRunCountsTheThreadsItMeasuresOn(@TempDir Path dir) throws Exception {
    Run ran = eightRecordsOnEightThreads(dir, "--dry-run", "--json");
    assertEquals(0, ran.code(), ran.said());
    assertFalse(ran.said().contains("out of memory"), ran.said());
    assertFalse(ran.said().contains("\"error\""), ran.said());
  }

  /**
   * Without {@code --pool-size} the data file is the reference pool, every readable record of it:
   * its records are read, their inputs decoded, before any work, and held for the run. 2,000 images
   * of 224 x 224 (147 KB each decoded, 287 MB) under {@code -Xmx128m}: the run is refused, exit 2,
   * naming the file, how many records were read when the heap ran out and what to do (a smaller
   * pool, or more heap); nothing is written. Before 2026-12-05 the heap's message said "a rerun of
   * the same command resumes" (it fails again the same way), exit 3.
   */
  @Test
  void aDataFileWhoseRecordsDoNotFitTheHeapIsRefusedSayingWhy(@TempDir Path dir) throws Exception {
    write(dir, 2000);
    Files.copy(dir.resolve("pool.jsonl"), dir.resolve("data.jsonl"), REPLACE_EXISTING);
    Run ran = explain(dir, "-Xmx128m", "out", "--samples", "10");
    assertEquals(2, ran.code(), ran.said());
    assertTrue(ran.said().contains("pool.jsonl"), ran.said());
    assertTrue(ran.said().matches("(?s).*after \\d[\\d,]* of its records.*"), ran.said());
    assertTrue(ran.said().contains("--pool-size N"), ran.said());
    assertTrue(ran.said().contains("DIME_JAVA_OPTS"), ran.said());
    assertFalse(ran.said().contains("resumes"), ran.said());
    assertFalse(Files.exists(dir.resolve("out").resolve(ExplainCommand.EXPLANATIONS)));
  }

  /**
   * Beside a pool of its own ({@code --pool}, or {@code --pool-size}) the data file's records are
   * read one at a time and held without their values: the same 2,000 images under {@code -Xmx128m},
   * with a pool file of 20, are planned and measured by the dry run, which reads the values of the
   * few records it explains again from their lines. Until 2026-12-07 every record was held with its
   * values first, and this ran out of heap as above.
   */
  @Test
  void aDataFileLargerThanTheHeapIsReadOneRecordAtATimeBesideItsPool(@TempDir Path dir)
      throws Exception {
    write(dir, 2000);
    Files.copy(dir.resolve("pool.jsonl"), dir.resolve("data.jsonl"), REPLACE_EXISTING);
    List<String> lines = Files.readAllLines(dir.resolve("data.jsonl"));
    Files.write(dir.resolve("pool.jsonl"), lines.subList(0, 20));
    Run ran =
        explain(
            dir, "-Xmx128m", "out", "--samples", "4", "--references", "2", "--dry-run", "--json");
    assertEquals(0, ran.code(), ran.said());
    assertTrue(ran.said().contains("\"records\" : 2000,"), ran.said());
    assertTrue(ran.said().contains("\"readable\" : 2000,"), ran.said());
    assertFalse(ran.said().contains("\"error\""), ran.said());
  }

  /**
   * 8 image records beside a pool of 40, explained with {@code --threads 8} on a JVM that sees 2
   * processors, under {@code -Xmx128m}.
   */
  private static Run eightRecordsOnEightThreads(Path dir, String... more) throws Exception {
    write(dir, 40);
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      data.append("{\"id\": \"a").append(i).append("\", \"image\": \"").append(i % 10);
      data.append(".png\", \"x\": [").append(i).append(", 2]}\n");
    }
    Files.writeString(dir.resolve("data.jsonl"), data, StandardCharsets.UTF_8);
    List<String> options =
        new ArrayList<>(List.of("--samples", "10", "--references", "2", "--threads", "8"));
    options.addAll(List.of(more));
    return explain(
        dir, "-Xmx128m -XX:ActiveProcessorCount=2", "out", options.toArray(String[]::new));
  }

  /** The model (the image's channel means), 10 images, a pool of {@code n} records, one record. */
  static void write(Path dir, int n) throws Exception {
    new TinyOnnx()
        .input("image", TinyOnnx.FLOAT, "batch", 3L, 224L, 224L)
        .input("x", TinyOnnx.FLOAT, "batch", 2L)
        .node("ReduceMean", "image", "y", Map.of("axes", new long[] {2, 3}, "keepdims", 0L))
        .output("y", TinyOnnx.FLOAT, "batch", 3L)
        .write(dir.resolve("m.onnx"));
    SplittableRandom rng = new SplittableRandom(21);
    for (int i = 0; i < 10; i++) {
      BufferedImage b = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 224; y++) {
        for (int x = 0; x < 224; x++) {
          b.setRGB(x, y, rng.nextInt(1 << 24) & (y / 28 % 2 == 0 ? 0xff00ff : 0x00ffff));
        }
      }
      ImageIO.write(b, "png", dir.resolve(i + ".png").toFile());
    }
    StringBuilder pool = new StringBuilder();
    for (int i = 0; i < n; i++) {
      pool.append("{\"id\": \"p")
          .append(i)
          .append("\", \"image\": \"")
          .append(i % 10)
          .append(".png\", \"x\": [")
          .append(i)
          .append(", 1]}\n");
    }
    Files.writeString(dir.resolve("pool.jsonl"), pool, StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("data.jsonl"), "{\"id\": \"a\", \"image\": \"3.png\", \"x\": [0.5, 2]}\n");
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        "modalities:\n  - name: image\n    plugin: image\n    settings: {featurizer: grid,"
            + " input: image, layout: nchw, scale: 0.00392156862745098}\n"
            + "  - name: x\n    plugin: vector\n    settings: {length: 2, input: x}\n"
            + "output: y\noutputKind: regression\n");
  }

  private record Run(int code, String said) {}

  /** Runs dime explain in a JVM of its own with the options {@code heap} (space-separated). */
  private static Run explain(Path dir, String heap, String out, String... more) throws Exception {
    List<String> options = new ArrayList<>(List.of("--quiet"));
    options.addAll(List.of(more));
    Map.Entry<Integer, String> r =
        CliFixtures.runInJvm(
            dir.resolve("log.txt"),
            List.of(heap.split(" ")),
            CliFixtures.explain(
                dir.resolve("m.onnx"), dir, "data.jsonl", out, options.toArray(String[]::new)));
    return new Run(r.getKey(), r.getValue());
  }
}
