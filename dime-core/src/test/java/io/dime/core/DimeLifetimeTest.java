package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.core.estimate.Estimators;
import io.dime.core.modality.VectorModality;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a Dime holds over its life: its model thread, with or without {@link Dime#close()}. */
class DimeLifetimeTest {
  private static final List<Datapoint> POOL = Fixtures.gaussianPoints("p", 12, 2, 3, 3);

  private static Dime dime() {
    return Dime.builder()
        .modality(VectorModality.of("m1", 3))
        .modality(VectorModality.of("m2", 3))
        .model(Fixtures.model(1, p -> new double[] {p[0][0] * p[1][1] + p[0][2]}))
        .referencePool(POOL)
        .estimator(Estimators.sampled(3))
        .samples(16)
        .noFaithfulness()
        .seed(5)
        .build();
  }

  private static long modelThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("dime-model") && t.isAlive())
        .count();
  }

  /** Explains one point on a Dime of its own, which is then dropped without close(). */
  private static void explainAndDrop(Datapoint dp) {
    dime().explain(dp, Targets.predicted());
  }

  @Test
  void anEngineDroppedWithoutCloseEndsItsModelThreadOnceCollected() {
    long before = modelThreads();
    Datapoint dp = Fixtures.gaussianPoints("x", 1, 2, 3, 9).get(0);
    for (int i = 0; i < 20; i++) {
      explainAndDrop(dp);
    }
    // one explaining thread hands its batches to the model thread unless the processors are busy
    org.junit.jupiter.api.Assumptions.assumeTrue(
        modelThreads() > before, "no model thread was started (a single processor)");
    // before, each dropped engine kept its idle model thread for the life of the JVM (500
    // engines built per request and never closed: 500 threads)
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          while (modelThreads() > before) {
            System.gc();
            Thread.sleep(20);
          }
        });
  }

  @Test
  void buildExplainCloseCyclesLeaveNoThreadBehind() {
    long before = modelThreads();
    Datapoint dp = Fixtures.gaussianPoints("x", 1, 2, 3, 9).get(0);
    String first = null;
    for (int i = 0; i < 100; i++) {
      try (Dime d = dime()) {
        String e = io.dime.core.io.Json.line(d.explain(dp, Targets.predicted()).classes());
        if (first == null) {
          first = e;
        }
        assertEquals(first, e, "cycle " + i + ": the same seed, the same explanation");
      }
    }
    // shutdownNow lets an idle thread go at once; it may take a moment to end
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          while (modelThreads() > before) {
            Thread.sleep(10);
          }
        });
    assertTrue(modelThreads() <= before);
  }
}
