package io.dime.cli;

import io.dime.core.Dime;
import io.dime.core.estimate.Estimators;
import java.util.Map;

/**
 * The bound on what {@code dime explain --dry-run} spends measuring: about the job's own
 * explanations at most, so that a dry run of a small job on a slow model does not cost more than
 * the job. A reviewer's dry run of three records on the demo's model explained 24 datapoints (eight
 * a round, eight of them at the run's S = 1000) in about 2 minutes to estimate a 48-second job.
 *
 * <p>The rule: a round explains at most the manifest's readable datapoints ({@link #roundPoints}),
 * and it starts only while the seconds the rounds have taken so far plus the round's expected
 * seconds stay within {@link #bound}: the running estimate of the job's explanations (its
 * datapoints x replicates at the run's S, each at the latest measured time per datapoint scaled by
 * the formula's passes, faithfulness measures included), at least {@link #FLOOR_SECONDS}. The first
 * warm-up round always runs, and the first measured round unless it does not fit (then the warm-up
 * is the measurement). A round's expected time is its datapoints at that same rate, so the round at
 * the run's S is measured only when it and what was spent before fit within the job's estimate;
 * else the largest sample count whose round fits, if its datapoints need at least twice the first's
 * passes, else none (the estimate is then the first count's time per pass, which leans high: it
 * charges a datapoint's fixed part per pass). A dry run so costs at most about the job's
 * explanations, or 10 s, beyond its first round or two (a warm-up round of at most the manifest's
 * datapoints at the small sample count).
 */
final class DryRunBudget {
  /**
   * Measuring may always take this long, whatever the job: the 3-second warm-up and 4 measured
   * seconds the estimate was tuned on (issue 19), with their last rounds' overrun, as on a model
   * whose rounds take a fraction of a second.
   */
  static final double FLOOR_SECONDS = 10;

  private final long jobPoints;
  private final int runSamples;
  private final long fixedRows;
  private final long rowsPerSample;
  private double spent;

  /**
   * A budget for a job of {@code jobPoints} explanations (readable datapoints x replicates) at
   * {@code runSamples} samples, whose measured estimator needs {@code fixedRows + S x
   * rowsPerSample} passes per datapoint at S samples.
   */
  DryRunBudget(long jobPoints, int runSamples, long fixedRows, long rowsPerSample) {
    this.jobPoints = jobPoints;
    this.runSamples = runSamples;
    this.fixedRows = fixedRows;
    this.rowsPerSample = rowsPerSample;
  }

  /**
   * The budget of the dry run {@code s}, measured with {@code name}({@code n}): its formula's
   * passes per datapoint, faithfulness measures included, for {@code classes} explained classes,
   * from an engine on a model that only counts (the formula is linear in S).
   */
  static DryRunBudget of(DryRun.Setup s, String name, int n, int classes) {
    long[] f = new long[2];
    for (int i = 0; i < 2; i++) {
      try (Dime d =
          s.base()
              .get()
              .model(new CountingModel(s.model()))
              .estimator(Estimators.byName(name, n, null, s.engine().limits().maxPassesPerPoint()))
              .samples(2 + i)
              .replicates(1)
              .build()) {
        d.preparationRows();
        f[i] = d.passFormula(classes);
      }
    }
    int runSamples = s.engine().samples(s.modalities().size());
    long jobPoints = (long) s.readable().size() * s.engine().replicates;
    return new DryRunBudget(jobPoints, runSamples, 3 * f[0] - 2 * f[1], f[1] - f[0]);
  }

  /** Adds a round's seconds to what measuring has spent. */
  void spend(double seconds) {
    spent += seconds;
  }

  /** The seconds the rounds have taken so far. */
  double spent() {
    return spent;
  }

  /** The formula's passes per datapoint at {@code samples} (at least 1). */
  long rows(int samples) {
    return Math.max(1, fixedRows + samples * rowsPerSample);
  }

  /**
   * Wall seconds per datapoint at {@code samples}: the rounds' (measured at {@code measured}) time
   * per datapoint scaled by the formula's passes.
   */
  double perPoint(DryRunRound latest, int measured, int samples) {
    return latest.seconds / Math.max(1, latest.explained) * rows(samples) / rows(measured);
  }

  /** The running estimate of the job's explanations, from rounds measured at {@code measured}. */
  double job(DryRunRound latest, int measured) {
    return jobPoints * perPoint(latest, measured, runSamples);
  }

  /** What measuring may spend: the job's running estimate, at least {@link #FLOOR_SECONDS}. */
  double bound(DryRunRound latest, int measured) {
    return Math.max(FLOOR_SECONDS, job(latest, measured));
  }

  /**
   * Whether a round of {@code points} datapoints at {@code samples} fits within the bound, given
   * rounds measured at {@code measured}.
   */
  boolean allows(DryRunRound latest, int measured, int samples, int points) {
    return spent + points * perPoint(latest, measured, samples) <= bound(latest, measured);
  }

  /**
   * The second sample count to measure after the first's rounds {@code one} at {@code first}:
   * {@code planned} (the run's S, or twice the first) when a round of {@code points} there fits in
   * the bound, else the largest count whose round fits, when its datapoints need at least twice the
   * first's passes (a shorter reach fits the noise more than the time per pass: the faithfulness
   * curves' passes, the same at every S, are most of a datapoint's at a small S), else {@code
   * first} (none).
   */
  int secondCount(DryRunRound one, int first, int planned, int points) {
    if (planned <= first || allows(one, first, planned, points)) {
      return planned;
    }
    // the round's time is linear in S: the largest S whose rows per datapoint fit in what is left
    double perRow = perPoint(one, first, first) / rows(first);
    double rowsMax = (bound(one, first) - spent) / (points * perRow);
    long most = rowsPerSample <= 0 ? first : (long) ((rowsMax - fixedRows) / rowsPerSample);
    int s2 = (int) Math.max(first, Math.min(planned - 1, most));
    while (s2 > first && !allows(one, first, s2, points)) {
      s2--; // rounding
    }
    return rows(s2) >= 2 * rows(first) ? s2 : first;
  }

  /**
   * Puts the bound's findings in the measurement {@code m}: the bound and what measuring took,
   * whether the warm-up {@code warm} was the measurement ({@code one}), the second count the bound
   * left out ({@code planned}, when {@code s2} is less), and the job's measured time when the
   * rounds {@code two} at the run's S explained as many datapoints as the job.
   */
  void report(
      Map<String, Object> m,
      DryRunRound warm,
      DryRunRound one,
      DryRunRound two,
      int s1,
      int s2,
      int planned) {
    m.put("boundSeconds", bound(one, s1));
    m.put("measuringSeconds", spent);
    if (one == warm) {
      m.put("warmupIsMeasurement", true);
    }
    if (s2 < planned) {
      m.put("samples2Left", planned);
    }
    measuredJob(m, two, s2 == runSamples ? two.explained : 0, jobPoints);
  }

  /**
   * Datapoints a round explains: {@link DryRun#ROUND_POINTS} per thread, but never more than the
   * manifest holds (a job of fewer datapoints than that is itself one such round, idle threads
   * included).
   */
  static int roundPoints(int threads, int readable) {
    return Math.max(1, Math.min(DryRun.ROUND_POINTS * threads, readable));
  }

  /**
   * When the rounds at the run's own S explained at least the job's explanations ({@code atRunS} of
   * {@code job}), the job's explanations were in effect measured: their time, steady (without the
   * cold start), is put as {@code measuredJobSeconds}.
   */
  static void measuredJob(Map<String, Object> m, DryRunRound atS, int atRunS, long job) {
    if (atRunS > 0 && atRunS >= job) {
      m.put("measuredJobDatapoints", atRunS);
      m.put("measuredJobSeconds", atS.seconds / atS.explained * job);
    }
  }
}
