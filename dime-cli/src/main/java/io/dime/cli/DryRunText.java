package io.dime.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The human-readable form of {@code dime explain --dry-run}'s findings. */
final class DryRunText {
  private DryRunText() {}

  /** One line of the table for work done once per run: its rows and estimated time. */
  private static void runLevelRow(StringBuilder sb, String label, Map<String, Object> m) {
    sb.append(
        String.format(
            Locale.ROOT,
            "  %-22s %15s %13s %17d %12s%n",
            label,
            "",
            "",
            m.get("rows"),
            clock((Double) m.get("estimatedSeconds"))));
  }

  /** The human-readable report of {@link DryRun#report}'s findings. */
  @SuppressWarnings("unchecked")
  static String text(Map<String, Object> r) {
    StringBuilder sb = new StringBuilder();
    sb.append("Dry run: nothing is explained and nothing is written.\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "records: %d, readable: %d, cannot be read: %d; reference pool: %d datapoints%n",
            r.get("records"),
            r.get("readable"),
            r.get("unreadable"),
            r.get("poolSize")));
    sb.append(
        String.format(
            Locale.ROOT,
            "modalities: %s; samples S = %d; --references %d; replicates %d; threads %d%n%n",
            String.join(", ", (List<String>) r.get("modalities")),
            r.get("samples"),
            r.get("references"),
            r.get("replicates"),
            r.get("threads")));
    sb.append(
        String.format(
            Locale.ROOT,
            "  %-22s %15s %13s %17s %12s%n",
            "estimator",
            "passes/point",
            "preparation",
            "total passes",
            "est. time"));
    List<String> errors = estimatorRows(sb, (List<Map<String, Object>>) r.get("estimators"));
    runLevelRow(sb, "global analysis", (Map<String, Object>) r.get("globalAnalysis"));
    runLevelRow(sb, "hidden-feature check", (Map<String, Object>) r.get("hiddenBaseline"));
    sb.append("  (* the chosen --estimator; passes/point includes the replicates)\n");
    oneClass(sb, r);
    for (String e : errors) {
      sb.append("  ").append(e).append('\n');
    }
    measurement(sb, (Map<String, Object>) r.get("measurement"));
    sb.append(
        "Estimates are datapoints x the fitted time per datapoint + total passes x the fitted"
            + " time per pass (cached repeats included), plus the cold start the warm-up showed"
            + " (at most as much again).\n");
    if (r.get("spark") instanceof String master) {
      sb.append(DryRunNotes.spark(master)).append('\n');
    }
    return sb.toString();
  }

  /** The estimators' rows of the table; returns the errors of those that are not possible. */
  private static List<String> estimatorRows(StringBuilder sb, List<Map<String, Object>> rows) {
    List<String> errors = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      String name = (String) row.get("estimator");
      String label =
          name
              + (DryRun.drawsPerSample(name)
                  ? "(R=" + row.get("draws")
                  : "(N=" + row.get("references"))
              + ")";
      String mark = Boolean.TRUE.equals(row.get("chosen")) ? "*" : " ";
      if (row.containsKey("error")) {
        sb.append(
            String.format(Locale.ROOT, "%s %-22s %15s%n", mark, label, "not possible (below)"));
        errors.add(label + ": " + row.get("error"));
        continue;
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "%s %-22s %15d %13d %17d %12s%n",
              mark,
              label,
              row.get("passesPerPoint"),
              row.get("preparationRows"),
              row.get("totalRows"),
              clock((Double) row.get("estimatedSeconds"))));
    }
    return errors;
  }

  /** With several classes per point, the passes per point for one class. */
  @SuppressWarnings("unchecked")
  private static void oneClass(StringBuilder sb, Map<String, Object> r) {
    Map<String, Object> cls = (Map<String, Object>) r.get("classesPerPoint");
    if (((Integer) cls.get("max")) > 1) {
      List<String> one = new ArrayList<>();
      for (Map<String, Object> row : (List<Map<String, Object>>) r.get("estimators")) {
        if (row.containsKey("formulaPerPointOneClass")) {
          one.add(
              row.get("estimator")
                  + " "
                  + (Long) row.get("formulaPerPointOneClass") * (Integer) r.get("replicates"));
        }
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "  passes/point are for %d explained classes (--classes %s); for 1 class: %s%n",
              cls.get("max"),
              r.get("classes"),
              String.join(", ", one)));
    }
  }

  /** The measured run. */
  @SuppressWarnings("unchecked")
  static void measurement(StringBuilder sb, Map<String, Object> m) {
    sb.append('\n');
    if (m.containsKey("error")) {
      sb.append("measurement failed: ").append(m.get("error")).append('\n');
    } else {
      Map<String, Object> one = (Map<String, Object>) m.get("first");
      Map<String, Object> two = (Map<String, Object>) m.get("second");
      sb.append(
          String.format(
              Locale.ROOT,
              "measured with %s(%s), the run's faithfulness measures, on %d thread(s): %s",
              m.get("estimator"),
              m.containsKey("draws") ? "R=" + m.get("draws") : "N=" + m.get("references"),
              m.get("threads"),
              round(m.get("samples"), one)));
      // one sample count measured (the run's S is the first's): the same round, said once
      if (!m.get("samples2").equals(m.get("samples"))) {
        sb.append("; ").append(round(m.get("samples2"), two));
      }
      sb.append('\n');
      Map<String, Object> w = (Map<String, Object>) m.get("warmup");
      sb.append(
          String.format(
              Locale.ROOT,
              "  fitted: %.3f s per datapoint + %.2f microseconds per pass (%.0f passes/s), after"
                  + " a warm-up of %d datapoint(s) in %.3f s%n",
              m.get("secondsPerPoint"),
              (Double) m.get("secondsPerRow") * 1e6,
              m.get("rowsPerSecond"),
              w.get("datapoints"),
              w.get("seconds")));
      bound(sb, m);
      if (m.get("globalSeconds") instanceof Double g) {
        sb.append(
            String.format(
                Locale.ROOT,
                "  global analysis: a grid of %d reference(s) per modality took %.3f s",
                m.get("globalReferences"),
                g));
        if (m.get("globalSecondsSmall") instanceof Double gs) {
          sb.append(
              String.format(
                  Locale.ROOT,
                  ", one of %d %.3f s; the run's grid of %s is fitted through them (a fixed part"
                      + " plus a time per cell)%n",
                  m.get("globalReferencesSmall"),
                  gs,
                  m.get("globalRunReferences")));
        } else if (m.get("globalReferences").equals(m.get("globalRunReferences"))) {
          sb.append("; that is the run's own grid\n");
        } else {
          sb.append(
              String.format(
                  Locale.ROOT,
                  "; the run's grid of %s takes that times the ratio of the cells%n",
                  m.get("globalRunReferences")));
        }
      } else if (m.get("globalError") != null) {
        sb.append("  global analysis: could not be timed (")
            .append(m.get("globalError"))
            .append(")\n");
      }
    }
  }

  /**
   * What measuring cost against its bound (DryRunBudget), what the bound left out, and the job's
   * own time when the rounds at the run's S explained as many datapoints as the job.
   */
  private static void bound(StringBuilder sb, Map<String, Object> m) {
    if (!(m.get("measuringSeconds") instanceof Double spent)
        || !(m.get("boundSeconds") instanceof Double bound)) {
      return;
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "  measuring took %.1f s; its bound: %.1f s (the running estimate of the job's"
                + " explanations, at least %.0f s)%n",
            spent,
            bound,
            DryRunBudget.FLOOR_SECONDS));
    if (Boolean.TRUE.equals(m.get("warmupIsMeasurement"))) {
      sb.append("  no measured round fitted in the bound: the warm-up is the measurement\n");
    }
    if (m.get("samples2Left") instanceof Integer left) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  a round at S = %d did not fit in the bound: %s%n",
              left,
              m.get("samples2").equals(m.get("samples"))
                  ? "the estimate is the first count's time per pass alone (it leans high: a"
                      + " datapoint's fixed part is charged per pass)"
                  : "S = " + m.get("samples2") + " was measured instead"));
    }
    if (m.get("measuredJobSeconds") instanceof Double job) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  the rounds at the run's own S explained %d datapoint(s), as many as the job: its"
                  + " explanations took %.1f s here (%s)%n",
              m.get("measuredJobDatapoints"),
              job,
              Boolean.TRUE.equals(m.get("warmupIsMeasurement"))
                  ? "the warm-up: the cold start included"
                  : "warm; the estimate adds the cold start"));
    }
  }

  /** One measured sample count: its datapoints, passes and time. */
  private static String round(Object samples, Map<String, Object> r) {
    return String.format(
        Locale.ROOT,
        "S = %d, %d datapoint(s), %d passes (%d from the cache) in %.3f s",
        samples,
        r.get("datapoints"),
        (Long) r.get("rows") + (Long) r.get("cachedRows"),
        r.get("cachedRows"),
        r.get("seconds"));
  }

  /** h:mm:ss, or "?" when unknown. */
  static String clock(Double seconds) {
    if (seconds == null || !Double.isFinite(seconds)) {
      return "?";
    }
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
