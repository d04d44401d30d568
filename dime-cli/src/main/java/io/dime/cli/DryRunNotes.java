package io.dime.cli;

import java.util.List;
import java.util.Map;

/** The notes of {@code dime explain --dry-run}'s report: what its counts and times mean. */
final class DryRunNotes {
  private DryRunNotes() {}

  /** What the times mean for a job that would run on Spark. */
  static String spark(String master) {
    return "With --spark "
        + master
        + ": the times above were measured on this machine, with its threads; on Spark the"
        + " datapoints are shared among the executors' task slots (a time here x the threads"
        + " measured here / the slots, when an executor's core is as fast as one here), plus"
        + " Spark's start-up and the Parquet staging (tens of seconds). The pass counts are the"
        + " same.";
  }

  static List<String> of(Map<String, Object> m) {
    List<String> notes = new java.util.ArrayList<>(base(m));
    if (m.containsKey("boundSeconds")) {
      notes.add(
          "Measuring is bounded (DryRunBudget): a round explains roundPoints datapoints (4 per"
              + " thread, at most the readable ones), and a round starts only while"
              + " measuringSeconds plus its expected time stays within boundSeconds, the running"
              + " estimate of the job's explanations (readable x replicates datapoints at the run's"
              + " S, each at the latest measured time per datapoint scaled by the formula's"
              + " passes), at least "
              + (int) DryRunBudget.FLOOR_SECONDS
              + " s. samples2Left: the second sample count the bound left out (then the largest"
              + " count whose round fits, if a datapoint needs twice the passes there, is"
              + " measured, or none: the first count's time per pass alone, which leans high)."
              + " measuredJobSeconds: the job's explanations' time, when the rounds at the run's S"
              + " explained as many datapoints as the job (measuredJobDatapoints).");
    }
    if (m.get("globalReferences") instanceof Integer n) {
      String how =
          m.containsKey("globalSecondsSmall")
              ? " (globalSeconds) and on one of about a quarter of its cells"
                  + " (globalSecondsSmall), and fitted as a fixed part plus a time per cell"
              : n.equals(m.get("globalRunReferences"))
                  ? " (globalSeconds), the run's own grid"
                  : " (globalSeconds), and scaled by the ratio of the run's cells to its";
      notes.add(
          "The global analysis's time is its own, timed on a grid of "
              + n
              + " references per modality"
              + how
              + ": each cell is a model pass no cache saves, and each of the 2^k terms is summed"
              + " over every cell.");
    }
    return notes;
  }

  private static List<String> base(Map<String, Object> m) {
    return List.of(
        "Pass counts are the estimators' formulas (DESIGN.md section 4) as the engine computes"
            + " them (Dime.passFormula(classes)): formulaPerPoint for the most classes a"
            + " datapoint may explain (classesPerPoint.max), formulaPerPointOneClass for one;"
            + " passesPerPoint = formulaPerPoint x replicates; totalRows = the sum over the"
            + " readable datapoints of the formula for the classes each may explain (predicted,"
            + " its label if it has one, named classes) x replicates, plus preparationRows."
            + " Upper bounds: a label equal to the prediction, fewer features than the"
            + " faithfulness curve steps and the duplicate-row cache all lower them.",
        "Times are readable datapoints x replicates x secondsPerPoint + totalRows x"
            + " secondsPerRow (per row of the formula: what the duplicate-row cache saves at the"
            + " measured sample count is in it), plus the cold start the warm-up showed"
            + " (warmupExcessSeconds, at most the rest), both fitted on two measured runs at two"
            + " sample counts (real"
            + " datapoints, the real model, "
            + m.getOrDefault("threads", 1)
            + " datapoints at once; wall time, all threads together); they leave out reading"
            + " the data, the global analysis and the hidden-feature check (given apart).");
  }
}
