package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dry run's measurement line names each sample count it measured once: when the second count is
 * the first (the run's own S is the one measured), it printed the same round twice ("S = 30, 24
 * datapoint(s) ...; S = 30, 24 datapoint(s) ...").
 */
class DryRunMeasurementTextTest {
  private static Map<String, Object> round(int points, long rows, long cached, double seconds) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("datapoints", points);
    r.put("rows", rows);
    r.put("cachedRows", cached);
    r.put("seconds", seconds);
    return r;
  }

  private static String text(int s1, int s2) {
    return lines(s1, s2, Map.of())
        .lines()
        .filter(l -> l.startsWith("measured"))
        .findFirst()
        .orElseThrow();
  }

  private static String lines(int s1, int s2, Map<String, Object> more) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("estimator", "sampled");
    m.put("draws", 50);
    m.put("threads", 2);
    m.put("samples", s1);
    m.put("samples2", s2);
    Map<String, Object> one = round(24, 1000L, 200L, 1.5);
    m.put("first", one);
    m.put("second", s1 == s2 ? one : round(12, 2000L, 300L, 2.25));
    m.put("warmup", round(4, 100L, 0L, 0.5));
    m.put("secondsPerPoint", 0.01);
    m.put("secondsPerRow", 2e-6);
    m.put("rowsPerSecond", 5e5);
    m.putAll(more);
    StringBuilder sb = new StringBuilder();
    DryRunText.measurement(sb, m);
    return sb.toString();
  }

  @Test
  void oneSampleCountIsSaidOnce() {
    assertEquals(
        "measured with sampled(R=50), the run's faithfulness measures, on 2 thread(s): S = 30,"
            + " 24 datapoint(s), 1200 passes (200 from the cache) in 1.500 s",
        text(30, 30));
  }

  @Test
  void twoSampleCountsAreBothSaid() {
    assertEquals(
        "measured with sampled(R=50), the run's faithfulness measures, on 2 thread(s): S = 30,"
            + " 24 datapoint(s), 1200 passes (200 from the cache) in 1.500 s; S = 60, 12"
            + " datapoint(s), 2300 passes (300 from the cache) in 2.250 s",
        text(30, 60));
  }

  /**
   * When the global analysis could not be timed, the table's "?" has its reason below it: before,
   * the dry run kept the error (globalError) and said nothing of it.
   */
  @Test
  void aGlobalAnalysisThatCouldNotBeTimedSaysWhy() {
    String text =
        lines(30, 30, Map.of("globalError", "the reference pool has 1 datapoint, 2 are needed"));
    assertEquals(
        "  global analysis: could not be timed (the reference pool has 1 datapoint, 2 are needed)",
        text.lines().filter(l -> l.contains("global analysis")).findFirst().orElse("none"));
  }

  /**
   * The global-analysis line says which grid was timed: it said "the run's grid is fitted through
   * them" also when the grid timed was the run's own, whose time is the estimate as it is.
   */
  @Test
  void theGlobalLineSaysWhichGridWasTimed() {
    Map<String, Object> own =
        Map.of("globalReferences", 5, "globalSeconds", 0.25, "globalRunReferences", 5);
    Map<String, Object> two = new LinkedHashMap<>();
    two.put("globalReferences", 5);
    two.put("globalSeconds", 0.3);
    two.put("globalRunReferences", 10);
    two.put("globalReferencesSmall", 3);
    two.put("globalSecondsSmall", 0.03);
    Map<String, Object> scaled =
        Map.of("globalReferences", 2, "globalSeconds", 0.01, "globalRunReferences", 10);
    assertEquals(
        "  global analysis: a grid of 5 reference(s) per modality took 0.250 s; that is the"
            + " run's own grid",
        globalLine(own));
    assertEquals(
        "  global analysis: a grid of 5 reference(s) per modality took 0.300 s, one of 3 0.030 s;"
            + " the run's grid of 10 is fitted through them (a fixed part plus a time per cell)",
        globalLine(two));
    assertEquals(
        "  global analysis: a grid of 2 reference(s) per modality took 0.010 s; the run's grid of"
            + " 10 takes that times the ratio of the cells",
        globalLine(scaled));
  }

  private static String globalLine(Map<String, Object> more) {
    return lines(30, 30, more)
        .lines()
        .filter(l -> l.contains("global analysis"))
        .findFirst()
        .orElse("none");
  }
}
