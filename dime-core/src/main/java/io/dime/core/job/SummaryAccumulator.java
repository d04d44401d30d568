package io.dime.core.job;

import io.dime.api.ClassExplanation;
import io.dime.api.Explanation;
import io.dime.api.ModalityExplanation;
import io.dime.api.SurrogateFit;
import io.dime.api.run.JobResult;
import io.dime.api.run.PassTotals;
import io.dime.api.run.RecordCounts;
import io.dime.api.run.ResultSink;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of a job's summary that its results give: record counts, pass totals and the dominance
 * table, accumulated as results arrive (stale results are counted as such and otherwise left out).
 */
final class SummaryAccumulator implements ResultSink {
  private static final List<String> DOMINANCE_TYPES = List.of("UC", "MI", "LIME");
  private static final int DOMINANCE_TOP = 5;

  private final List<String> modalities;
  // exact sums (BigDecimal holds every double exactly): the table does not depend on the order
  // the records come in, so a shuffled manifest or another partitioning gives the same bytes
  private final BigDecimal[][] dominanceSum;
  private final int[][] dominanceCount;
  private int records;
  private int explained;
  private int failed;
  private int resumed;
  private int explainedThisRun;
  private int stale;
  private long rows;
  private long cachedRows;
  private long formulaTotal;
  private final java.util.List<Double> latencies = new java.util.ArrayList<>();

  SummaryAccumulator(List<String> modalities) {
    this.modalities = List.copyOf(modalities);
    this.dominanceSum = new BigDecimal[DOMINANCE_TYPES.size()][modalities.size()];
    for (BigDecimal[] row : dominanceSum) {
      Arrays.fill(row, BigDecimal.ZERO);
    }
    this.dominanceCount = new int[DOMINANCE_TYPES.size()][modalities.size()];
  }

  @Override
  public void accept(JobResult r) {
    switch (r.status()) {
      case STALE -> {
        stale++;
        return;
      }
      case RESUMED -> resumed++;
      case EXPLAINED -> {
        explainedThisRun++;
        if (r.result() instanceof Explanation e) {
          latencies.add(e.timings().totalSeconds());
        }
      }
      default -> {}
    }
    records++;
    if (r.result() instanceof Explanation e) {
      explained++;
      rows += e.passes().rows();
      cachedRows += e.passes().cachedRows();
      formulaTotal += e.passes().formula();
      dominance(e);
    } else {
      failed++;
    }
  }

  private void dominance(Explanation e) {
    for (ClassExplanation c : e.classes()) {
      for (ModalityExplanation me : c.modalities()) {
        int m = modalities.indexOf(me.modality());
        if (m < 0) {
          continue;
        }
        for (SurrogateFit f : me.fits()) {
          int t = DOMINANCE_TYPES.indexOf(f.key());
          double top = t >= 0 ? topMeanAbs(f.weights(), DOMINANCE_TOP) : Double.NaN;
          if (Double.isFinite(top)) { // a result read back from a file written elsewhere
            dominanceSum[t][m] = dominanceSum[t][m].add(new BigDecimal(top));
            dominanceCount[t][m]++;
          }
        }
      }
    }
  }

  private static double topMeanAbs(double[] weights, int top) {
    double[] a = new double[weights.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = Math.abs(weights[i]);
    }
    Arrays.sort(a);
    int n = Math.min(top, a.length);
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += a[a.length - 1 - i];
    }
    if (Double.isInfinite(s)) { // weights near Double.MAX_VALUE: each term scaled, no overflow
      s = 0;
      for (int i = 0; i < n; i++) {
        s += a[a.length - 1 - i] / n;
      }
      return s;
    }
    return n == 0 ? 0 : s / n;
  }

  int failed() {
    return failed;
  }

  int explained() {
    return explained;
  }

  RecordCounts counts(int poolSize, int poolSkipped) {
    return new RecordCounts(
        records, explained, failed, resumed, explainedThisRun, stale, poolSize, poolSkipped);
  }

  PassTotals passes(long formulaPerPoint, long preparationRows) {
    return new PassTotals(rows, cachedRows, formulaPerPoint, preparationRows, formulaTotal);
  }

  /** The median wall time of one datapoint explained in this run; empty when none was. */
  java.util.OptionalDouble latency() {
    if (latencies.isEmpty()) {
      return java.util.OptionalDouble.empty();
    }
    double[] a = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = a.length;
    return java.util.OptionalDouble.of(n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2);
  }

  /**
   * The DIME paper's Table 4: per explanation type and modality, the mean over explained
   * (datapoint, class) pairs of the mean absolute weight of the top-5 features.
   */
  Map<String, Map<String, Double>> dominance() {
    Map<String, Map<String, Double>> table = new LinkedHashMap<>();
    for (int t = 0; t < DOMINANCE_TYPES.size(); t++) {
      Map<String, Double> row = new LinkedHashMap<>();
      for (int m = 0; m < modalities.size(); m++) {
        if (dominanceCount[t][m] > 0) {
          row.put(
              modalities.get(m),
              dominanceSum[t][m]
                  .divide(BigDecimal.valueOf(dominanceCount[t][m]), MathContext.DECIMAL128)
                  .doubleValue());
        }
      }
      if (!row.isEmpty()) {
        table.put(DOMINANCE_TYPES.get(t), row);
      }
    }
    return table;
  }
}
