package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  /**
   * The bound on measuring (DryRunBudget) is said: what measuring took against it, and what it left
   * out. Before, a dry run of three records on a slow model measured for 2 minutes, saying nothing
   * of it, to estimate a 48-second job.
   */
  @Test
  void theBoundAndWhatItLeftOutAreSaid() {
    Map<String, Object> more = new LinkedHashMap<>();
    more.put("measuringSeconds", 22.71);
    more.put("boundSeconds", 36.34);
    more.put("samples2Left", 1000);
    String text = lines(81, 81, more);
    assertEquals(
        "  measuring took 22.7 s; its bound: 36.3 s (the running estimate of the job's"
            + " explanations, at least 10 s)\n"
            + "  a round at S = 1000 did not fit in the bound: the estimate is the first count's"
            + " time per pass alone (it leans high: a datapoint's fixed part is charged per pass)",
        text.lines()
            .filter(l -> l.startsWith("  measuring") || l.startsWith("  a round"))
            .reduce((x, y) -> x + "\n" + y)
            .orElse("none"));
    assertTrue(
        lines(81, 162, more)
            .contains(
                "  a round at S = 1000 did not fit in the bound: S = 162 was measured instead\n"),
        "the largest count that fitted");
    // the run's S = 162 measured on 6 datapoints, as many as the job's
    more.remove("samples2Left");
    more.put("measuredJobDatapoints", 6);
    more.put("measuredJobSeconds", 2.5);
    assertTrue(
        lines(81, 162, more)
            .contains(
                "  the rounds at the run's own S explained 6 datapoint(s), as many as the job: its"
                    + " explanations took 2.5 s here (warm; the estimate adds the cold start)\n"),
        lines(81, 162, more));
  }

  private static String globalLine(Map<String, Object> more) {
    return lines(30, 30, more)
        .lines()
        .filter(l -> l.contains("global analysis"))
        .findFirst()
        .orElse("none");
  }
}
