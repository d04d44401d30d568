package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.PassCount;
import io.dime.core.estimate.Estimators;
import io.dime.core.estimate.ReferenceSelection;
import io.dime.core.modality.VectorModality;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sampled(R)} estimates each distinct mask once (issue 18): with two features per modality
 * there are at most 4 distinct masks, so of S samples per modality at most 4 send rows and the
 * others count as cached; {@code anchored(R)} draws again for a repeat and caches only its full-set
 * row. Rows sent plus cached rows is the formula either way.
 */
class SampledMemoTest {
  private static final int R = 7;
  private static final int S = 200;

  private static final Function<double[][], double[]> MODEL =
      p ->
          new double[] {
            Math.tanh(p[0][0] - 2 * p[0][1]) * (p[1][0] + 0.5 * p[1][1]) + p[1][1] + 0.8 * p[0][0]
          };

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aRepeatedMaskSendsNoRows(boolean anchored) {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 40, 2, 2, 3);
    Datapoint x = Fixtures.gaussianPoints("x", 1, 2, 2, 4).get(0);
    Explanation e = explain(pool, x, anchored ? Estimators.anchored(R) : Estimators.sampled(R));
    PassCount p = e.passes();
    assertEquals(p.formula(), p.rows() + p.cachedRows());
    // per sample of modality m: term {m} (R rows, 2 R anchored) and the full set (1 row)
    long perSample = (anchored ? 2L : 1L) * R + 1;
    // the prediction, and the point's values of {}, {1} and {2} (50 rows each: at least 50 draws)
    long pointRows = 1 + 3L * 50;
    long distinctAtMost = 4;
    // what a repeated mask reuses: all its rows (sampled) or its full-set row (anchored)
    long reused = anchored ? 1 : perSample;
    long repeatsAtLeast = 2 * (S - distinctAtMost);
    assertTrue(
        p.cachedRows() >= repeatsAtLeast * reused,
        "cached " + p.cachedRows() + ": repeated masks were sent again");
    assertTrue(
        p.rows() <= pointRows + 2L * S * perSample - repeatsAtLeast * reused,
        "rows sent " + p.rows());
    if (!anchored) {
      assertTrue(
          p.rows() <= pointRows + 2 * distinctAtMost * perSample,
          "rows sent " + p.rows() + " exceed 4 distinct masks per modality");
    } else {
      assertTrue(
          p.cachedRows() < repeatsAtLeast * perSample,
          "anchored reused a repeat's drawn rows: cached " + p.cachedRows());
    }
    // the decomposition still adds up to the output
    double sum =
        e.forClass(0).decomposition().stream().mapToDouble(io.dime.api.TermValue::value).sum();
    assertEquals(e.forClass(0).output(), sum, 1e-12);
  }

  /**
   * A pool no larger than R is drawn without replacement: with R = n (or 2 n) every sample's UC
   * target of a modality averages the model over the other modality's whole pool, exactly, so the
   * UC weights equal those of the exact estimator over the whole pool (same seed, same masks; the
   * intercepts differ by the point's constant).
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void aSmallPoolIsDrawnWithoutReplacement(int rounds) {
    int n = 20;
    List<Datapoint> pool = Fixtures.gaussianPoints("p", n, 2, 2, 5);
    Datapoint x = Fixtures.gaussianPoints("x", 1, 2, 2, 6).get(0);
    Explanation sampled = explain(pool, x, Estimators.sampled(rounds * n));
    Explanation exact = explain(pool, x, Estimators.exact(n, ReferenceSelection.RANDOM));
    for (String m : List.of("m1", "m2")) {
      double[] uc = sampled.forClass(0).modality(m).fit("UC").orElseThrow().weights();
      double[] want = exact.forClass(0).modality(m).fit("UC").orElseThrow().weights();
      double largest = 0;
      for (int j = 0; j < uc.length; j++) {
        assertEquals(want[j], uc[j], 1e-9, m + " UC weight " + j);
        largest = Math.max(largest, Math.abs(uc[j]));
      }
      assertTrue(largest > 0.05, m + ": the UC weights are not trivially 0");
    }
  }

  private static Explanation explain(
      List<Datapoint> pool, Datapoint x, io.dime.core.estimate.Estimator estimator) {
    return Dime.builder()
        .modality(VectorModality.of("m1", 2))
        .modality(VectorModality.of("m2", 2))
        .model(Fixtures.model(1, MODEL))
        .referencePool(pool)
        .centeredScores(false)
        .noFaithfulness()
        .estimator(estimator)
        .samples(S)
        .build()
        .explain(x, Targets.predicted());
  }
}
