package io.dime.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Spark job stopped by a signal (SIGTERM, as Ctrl-C or a scheduler's kill sends) mid-job, in a
 * JVM of its own: standard error ends with dime's message that says what is kept and how to resume,
 * not with Spark's errors about the tasks it could no longer launch, and the records explained so
 * far are kept.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SparkSignalTest {
  @TempDir Path dir;

  @Test
  void aSignalMidJobLeavesDimesMessageNotSparksErrors() throws Exception {
    DemoJob job = new DemoJob(dir, 12);
    Path out = dir.resolve("out");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.dime.cli.Main");
    command.addAll(List.of(job.args(out, "--spark", "local[2]", "--partitions", "14")));
    Path stderr = dir.resolve("stderr.txt");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(stderr.toFile())
            .start();
    try {
      Path explanations = out.resolve("explanations.jsonl");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (lines(explanations) < 2 && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(p.isAlive(), "the job ended before it could be stopped: " + read(stderr));
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM did not end after SIGTERM");
      String err = read(stderr);
      assertTrue(
          err.contains(
              "dime: stopped by a signal before the job ended; the records explained so far are"
                  + " kept in "
                  + explanations),
          err);
      List<String> noise =
          err.lines()
              .filter(l -> l.contains(" ERROR ") || l.contains("Exception") || l.contains(" WARN "))
              .toList();
      assertEquals(List.of(), noise, "Spark's errors after the signal:\n" + err);
      assertTrue(lines(explanations) >= 2, "the records explained so far are kept");
    } finally {
      p.destroyForcibly();
    }
  }

  private static long lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    try (var s = Files.lines(file, StandardCharsets.UTF_8)) {
      return s.count();
    }
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }
}
