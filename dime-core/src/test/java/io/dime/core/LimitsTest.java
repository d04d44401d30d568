package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.RecordError;
import io.dime.core.estimate.Estimators;
import io.dime.core.modality.VectorModality;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine's limits per record: too many features, too many passes by the formula, too long a
 * wall time each give that record an error with stage "limit" naming the limit, while a record
 * within them is explained; the limits are in the provenance.
 */
class LimitsTest {
  private static Dime dime(EngineLimits limits) {
    return Dime.builder()
        .modality(VectorModality.of("m1", 3))
        .modality(VectorModality.of("m2", 3))
        .model(Fixtures.model(2, p -> new double[] {p[0][0] * p[1][0], p[0][1] + p[1][2]}))
        .referencePool(Fixtures.gaussianPoints("pool", 8, 2, 3, 1))
        .estimator(Estimators.sampled(4))
        .samples(50)
        .limits(limits)
        .build();
  }

  private static RecordError failed(Dime d) {
    Datapoint dp = Fixtures.point("x", new double[] {1, 2, 3}, new double[] {3, 2, 1});
    RecordError e = assertInstanceOf(RecordError.class, d.explainOrError(dp, Targets.predicted()));
    assertEquals("limit", e.stage(), e.message());
    assertEquals(java.util.Optional.of("x"), e.id());
    return e;
  }

  /**
   * A record refused by a limit is told which option raises it: "has 5000 features; the most is
   * 4096 (limit maxFeatures)" named the engine's setting only, and the passes' message said how to
   * need fewer passes but not how to allow more.
   */
  @Test
  void eachLimitSaysWhichOptionRaisesIt() {
    try (Dime d = dime(new EngineLimits(2, 100_000_000L, 0))) {
      assertTrue(failed(d).message().endsWith("(limit maxFeatures): --max-features raises it"));
    }
    try (Dime d = dime(new EngineLimits(4096, 1000, 0))) {
      assertTrue(
          failed(d)
              .message()
              .endsWith(
                  "lower --samples or --references, explain fewer classes, or raise the limit"
                      + " with --max-passes-per-point"));
    }
    try (Dime d = dime(new EngineLimits(4096, 100_000_000L, 1e-9))) {
      assertTrue(
          failed(d)
              .message()
              .endsWith("(limit maxSecondsPerPoint): --max-seconds-per-point raises it (0: none)"),
          failed(d).message());
    }
  }

  @Test
  void eachLimitFailsItsRecordByName() {
    try (Dime d = dime(new EngineLimits(2, 100_000_000L, 0))) {
      assertTrue(
          failed(d)
              .message()
              .contains("modality 'm1' has 3 features; the most is 2 (limit maxFeatures)"));
    }
    try (Dime d = dime(new EngineLimits(4096, 1000, 0))) {
      long need = d.passFormula(1);
      assertTrue(need > 1000);
      assertTrue(
          failed(d)
              .message()
              .contains(
                  "needs "
                      + need
                      + " model passes by the estimator's formula; the most is"
                      + " 1000 (limit maxPassesPerPoint)"));
    }
    try (Dime d = dime(new EngineLimits(4096, 100_000_000L, 1e-9))) {
      assertTrue(failed(d).message().contains("(limit maxSecondsPerPoint)"));
    }
  }

  /**
   * --replicates 100000 failed every record with "lower --samples or --references", naming neither
   * the replicates that multiplied the passes nor --replicates.
   */
  @Test
  void thePassLimitNamesTheReplicatesThatMultiplyThePasses() {
    long once;
    try (Dime d = dime(EngineLimits.DEFAULTS)) {
      once = d.passFormula(1);
    }
    EngineLimits limits = new EngineLimits(4096, 2 * once, 0);
    try (Dime d =
        Dime.builder()
            .modality(VectorModality.of("m1", 3))
            .modality(VectorModality.of("m2", 3))
            .model(Fixtures.model(2, p -> new double[] {p[0][0] * p[1][0], p[0][1] + p[1][2]}))
            .referencePool(Fixtures.gaussianPoints("pool", 8, 2, 3, 1))
            .estimator(Estimators.sampled(4))
            .samples(50)
            .replicates(3)
            .limits(limits)
            .build()) {
      assertEquals(
          "record 'x': explaining 1 class(es) with 3 replicates needs "
              + 3 * once
              + " model passes by the estimator's formula; the most is "
              + 2 * once
              + " (limit maxPassesPerPoint): lower --replicates, --samples or --references,"
              + " explain fewer classes, or raise the limit with --max-passes-per-point",
          failed(d).message());
    }
  }

  private static Dime withSamples(
      int samples, io.dime.core.estimate.Estimator estimator, int reps) {
    return Dime.builder()
        .modality(VectorModality.of("m1", 3))
        .modality(VectorModality.of("m2", 3))
        .model(Fixtures.model(2, p -> new double[] {p[0][0] * p[1][0], p[0][1] + p[1][2]}))
        .referencePool(Fixtures.gaussianPoints("pool", 8, 2, 3, 1))
        .estimator(estimator)
        .samples(samples)
        .replicates(reps)
        .build();
  }

  /**
   * --samples 2147483647 plus the held-out masks wrapped around in int arithmetic to a negative
   * number of passes, which the limit let through: the job ran out of memory (exit 3) drawing the
   * samples instead of failing each record at the limit. The formula is linear in S, so its value
   * at S = 2147483647 is exact from two small S.
   */
  @Test
  void theLargestSampleCountIsCountedNotWrappedAndRefusedAtTheLimit() {
    long at50;
    long perSample;
    try (Dime d50 = withSamples(50, Estimators.sampled(4), 1);
        Dime d51 = withSamples(51, Estimators.sampled(4), 1)) {
      at50 = d50.passFormula(1);
      perSample = d51.passFormula(1) - at50;
    }
    long want = at50 + (Integer.MAX_VALUE - 50L) * perSample;
    try (Dime d = withSamples(Integer.MAX_VALUE, Estimators.sampled(4), 1)) {
      assertEquals(want, d.passFormula(1));
      assertTrue(
          failed(d).message().contains("needs " + want + " model passes"), failed(d).message());
    }
  }

  /** Past a long, the count stops at its largest value and says so; it does not wrap around. */
  @Test
  void passesPastALongAreRefusedNotWrapped() {
    try (Dime d =
        withSamples(Integer.MAX_VALUE, Estimators.anchored(Integer.MAX_VALUE), Integer.MAX_VALUE)) {
      assertEquals(Long.MAX_VALUE, d.passFormula(1));
      assertTrue(
          failed(d).message().contains("needs over " + Long.MAX_VALUE + " model passes"),
          failed(d).message());
    }
  }

  @Test
  void aRecordWithinTheLimitsIsExplainedAndTheLimitsAreInItsProvenance() {
    try (Dime d = dime(EngineLimits.DEFAULTS)) {
      Datapoint dp = Fixtures.point("x", new double[] {1, 2, 3}, new double[] {3, 2, 1});
      Explanation e =
          assertInstanceOf(Explanation.class, d.explainOrError(dp, Targets.predicted()));
      assertEquals(
          Map.of(
              "maxFeatures", 4096, "maxPassesPerPoint", 100_000_000L, "maxSecondsPerPoint", 3600.0),
          e.provenance().limits());
      assertEquals(e.provenance().limits(), e.provenance().toMap().get("limits"));
    }
    assertThrows(IllegalArgumentException.class, () -> new EngineLimits(0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new EngineLimits(1, 1, -1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new EngineLimits(1, 1, Double.POSITIVE_INFINITY),
        "an infinite limit was written to the provenance as the string \"Infinity\"");
  }
}
