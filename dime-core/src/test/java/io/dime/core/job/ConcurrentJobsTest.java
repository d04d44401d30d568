package io.dime.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.dime.api.Datapoint;
import io.dime.api.MultimodalModel;
import io.dime.api.OutputKind;
import io.dime.api.run.RecordSource;
import io.dime.api.run.SourceRecord;
import io.dime.core.Dime;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.JavaModels;
import io.dime.core.io.Json;
import io.dime.core.modality.VectorModality;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two explanation jobs of one JVM given the same explanations file at once. */
class ConcurrentJobsTest {
  private static List<Datapoint> points(String prefix, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Datapoint> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] a = {rng.nextGaussian(), rng.nextGaussian()};
      double[] b = {rng.nextGaussian(), rng.nextGaussian()};
      out.add(Datapoint.of(prefix + i, Map.of("a", a, "b", b)));
    }
    return out;
  }

  /** y = a0 b0 + a1 + b1; {@code gate} is awaited (bounded) before every row. */
  private static MultimodalModel model(CountDownLatch gate) {
    return JavaModels.of(
        "a0 b0 + a1 + b1",
        1,
        OutputKind.REGRESSION,
        row -> {
          try {
            gate.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          double[] a = (double[]) row[0];
          double[] b = (double[]) row[1];
          return new double[] {a[0] * b[0] + a[1] + b[1]};
        });
  }

  private static JobOutcome run(Path file, List<Datapoint> points, CountDownLatch gate)
      throws IOException {
    List<SourceRecord> records = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      records.add(SourceRecord.of(i + 1, points.get(i)));
    }
    try (Dime dime =
        Dime.builder()
            .modality(VectorModality.of("a", 2))
            .modality(VectorModality.of("b", 2))
            .model(model(gate))
            .referencePool(points("pool", 8, 7))
            .estimator(Estimators.sampled(3))
            .samples(16)
            .noFaithfulness()
            .seed(1)
            .build()) {
      return ExplanationJob.builder(dime)
          .source(RecordSource.of("points", records))
          .checkpoint(new ExplanationsFile(file))
          .build()
          .run();
    }
  }

  @Test
  void aSecondJobOnTheSameFileIsRefusedBeforeAnyWorkAndTheFirstFinishes(@TempDir Path dir) {
    Path file = dir.resolve(ExplanationsFile.NAME);
    List<Datapoint> points = points("r", 4, 3);
    CountDownLatch secondDone = new CountDownLatch(1);
    CountDownLatch open = new CountDownLatch(0);
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          // the first job's model waits (at most 10 s a row) until the second job is over
          CompletableFuture<JobOutcome> first =
              CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return run(file, points, secondDone);
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  });
          while (!Files.exists(file)) { // the first job has begun its file
            Thread.sleep(5);
          }
          // before, the second did all its work, then one of the two failed on the other's file
          IOException refused;
          try {
            refused = assertThrows(IOException.class, () -> run(file, points, open));
          } finally {
            secondDone.countDown();
          }
          assertEquals(
              "another explanation job in this JVM is writing to "
                  + file
                  + ": wait for it to end, or give this job another file",
              refused.getMessage());
          JobOutcome outcome = first.get();
          assertEquals(points.size(), outcome.explained());
          List<String> lines = Files.readAllLines(file);
          TreeSet<String> ids = new TreeSet<>();
          for (String line : lines) {
            ids.add(Json.readExplanation(line).id());
          }
          assertEquals(points.size(), lines.size());
          assertEquals(points.size(), ids.size());
          // the file is free again once the first job has ended: a rerun resumes every record
          JobOutcome again = run(file, points, open);
          assertEquals(points.size(), again.summary().orElseThrow().counts().resumed());
          assertEquals(lines, Files.readAllLines(file), "the resumed run keeps the same lines");
        });
  }
}
