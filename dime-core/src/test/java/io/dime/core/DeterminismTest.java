package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.api.Datapoint;
import io.dime.api.ExplainResult;
import io.dime.core.estimate.Estimators;
import io.dime.core.io.Json;
import io.dime.core.modality.VectorModality;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeterminismTest {
  private static Dime dime(long seed) {
    return dime(seed, 1, true);
  }

  private static Dime dime(long seed, int inferenceThreads, boolean pipelined) {
    return dime(seed, inferenceThreads, pipelined, Estimators.sampled(8), 50);
  }

  private static Dime dime(
      long seed,
      int inferenceThreads,
      boolean pipelined,
      io.dime.core.estimate.Estimator estimator,
      int batchSize) {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 30, 2, 5, 31);
    return Dime.builder()
        .modality(VectorModality.of("m1", 5))
        .modality(VectorModality.of("m2", 5))
        .model(
            Fixtures.model(
                2,
                p -> {
                  double s = p[0][0] * p[1][1] + p[0][2] - p[1][4];
                  return new double[] {s, Math.tanh(s) + p[0][3]};
                }))
        .referencePool(pool)
        .estimator(estimator)
        .samples(64)
        .seed(seed)
        .batchSize(batchSize)
        .inferenceThreads(inferenceThreads)
        .pipelined(pipelined)
        .build();
  }

  private static List<String> run(Dime d, List<Datapoint> points, int threads) {
    List<String> out = new ArrayList<>();
    io.dime.core.job.ExplanationJob.explainAll(
        d,
        points,
        Targets.predictedAndLabel(),
        threads,
        (ExplainResult r) -> {
          ObjectNode node = Json.mapper().valueToTree(r);
          node.remove("timings");
          out.add(Json.line(node));
        });
    return out;
  }

  @Test
  void explainAllGivesWhatAWrittenLineReadsBackTo() throws Exception {
    // explainAll skips the JSON round trip of a job's results: the same numbers, the same line
    List<Datapoint> points = Fixtures.gaussianPoints("w", 4, 2, 5, 33);
    Dime d = dime(7);
    List<ExplainResult> inMemory = new ArrayList<>();
    io.dime.core.job.ExplanationJob.explainAll(
        d, points, Targets.predictedAndLabel(), 2, inMemory::add);
    List<ExplainResult> viaJson = new ArrayList<>();
    io.dime.core.job.ExplanationJob.explainAll(
        d, points, Targets.predictedAndLabel(), 2, viaJson::add, true);
    assertEquals(points.size(), inMemory.size());
    for (int i = 0; i < points.size(); i++) {
      ExplainResult written =
          io.dime.core.job.ExplanationJob.explainRecord(
                  d, io.dime.api.run.SourceRecord.of(i, points.get(i)), Targets.predictedAndLabel())
              .result();
      ObjectNode w = Json.mapper().valueToTree(written);
      ObjectNode m = Json.mapper().valueToTree(inMemory.get(i));
      ObjectNode v = Json.mapper().valueToTree(viaJson.get(i));
      assertEquals(w.without("timings"), v.without("timings"), "explainAll(..., true): as written");
      // as text: inside provenance maps a read-back number may be an Integer where the engine
      // put a Long, which the trees tell apart and the JSON does not
      assertEquals(Json.line(w.without("timings")), Json.line(m.without("timings")), "point " + i);
      io.dime.api.Explanation a = (io.dime.api.Explanation) inMemory.get(i);
      io.dime.api.Explanation b = Json.readExplanation(Json.line(a));
      assertEquals(
          a.classes().get(0).decomposition(),
          b.classes().get(0).decomposition(),
          "every double reads back exactly");
    }
  }

  @Test
  void sameSeedSameJsonWhateverTheThreadsAndOrder() {
    List<Datapoint> points = Fixtures.gaussianPoints("x", 6, 2, 5, 32);
    List<String> serial = run(dime(7), points, 1);
    List<String> parallel = run(dime(7), points, 3);
    assertEquals(serial, parallel);
    assertTrue(serial.get(0).contains("\"heldOutWeightedR2\""), "faithfulness is covered");
    List<Datapoint> reversed = new ArrayList<>(points);
    java.util.Collections.reverse(reversed);
    List<String> rev = run(dime(7), reversed, 2);
    java.util.Collections.reverse(rev);
    assertEquals(serial, rev, "explanations must not depend on the order of datapoints");
    assertNotEquals(serial, run(dime(8), points, 1), "another seed gives other draws");
    assertEquals(serial, run(dime(7, 3, true), points, 3), "three inference threads");
    assertEquals(serial, run(dime(7, 1, false), points, 2), "model on the calling thread");
  }

  /**
   * The fast preset's estimator adds rows shared by a group of samples and the point's estimate to
   * each sample: the same bits whatever the batch size, pipelining, inference and job threads (the
   * explained values; the provenance records the batch size, and the pass counts may differ).
   */
  @Test
  void anchoredGivesTheSameBitsWhateverTheBatchingAndThreads() {
    List<Datapoint> points = Fixtures.gaussianPoints("x", 5, 2, 5, 33);
    List<String> serial = values(run(dime(7, 1, true, Estimators.anchored(3), 50), points, 1));
    assertEquals(
        serial,
        values(run(dime(7, 1, false, Estimators.anchored(3), 50), points, 1)),
        "model on the calling thread");
    for (int batch : new int[] {17, 256}) {
      assertEquals(
          serial,
          values(run(dime(7, 1, true, Estimators.anchored(3), batch), points, 1)),
          "batch " + batch);
    }
    assertEquals(
        serial,
        values(run(dime(7, 3, true, Estimators.anchored(3), 7), points, 2)),
        "three inference threads, two job threads, batch 7");
  }

  /** Each line's explained values: its classes (decompositions, fits, faithfulness). */
  private static List<String> values(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      try {
        out.add(Json.mapper().readTree(line).get("classes").toString());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return out;
  }
}
