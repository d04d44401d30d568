package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.SurrogateFit;
import io.dime.core.estimate.Estimators;
import io.dime.core.modality.VectorModality;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicatesTest {
  private static Dime dime(int replicates) {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 40, 2, 4, 61);
    return Dime.builder()
        .modality(VectorModality.of("m1", 4))
        .modality(VectorModality.of("m2", 4))
        .model(
            Fixtures.model(1, p -> new double[] {p[0][0] * p[1][0] + Math.sin(p[0][1]) + p[1][3]}))
        .referencePool(pool)
        .estimator(Estimators.sampled(5))
        .samples(100)
        .seed(9)
        .replicates(replicates)
        .build();
  }

  @Test
  void replicatesAverageIndependentRunsAndReportTheirSpread() {
    Datapoint x = Fixtures.gaussianPoints("x", 1, 2, 4, 62).get(0);
    Dime one = dime(1);
    Dime four = dime(4);
    Explanation combined = four.explain(x, Targets.classes("0"));
    // Replicate r is the single run with seed replicateSeed(r); rebuild them by hand.
    double[] sum = new double[4];
    double[] sumSq = new double[4];
    double heldOutR2 = 0;
    double deletionArea = 0;
    double[] deletion = new double[5]; // T = min(d, 10) = 4 steps
    for (int r = 0; r < 4; r++) {
      long s = four.replicateSeed(r);
      Dime single =
          Dime.builder()
              .modality(VectorModality.of("m1", 4))
              .modality(VectorModality.of("m2", 4))
              .model(
                  Fixtures.model(
                      1, p -> new double[] {p[0][0] * p[1][0] + Math.sin(p[0][1]) + p[1][3]}))
              .referencePool(Fixtures.gaussianPoints("p", 40, 2, 4, 61))
              .estimator(Estimators.sampled(5))
              .samples(100)
              .seed(s)
              .build();
      SurrogateFit fit =
          single
              .explain(x, Targets.classes("0"))
              .forClass(0)
              .modality("m1")
              .fit("MI")
              .orElseThrow();
      double[] w = fit.weights();
      io.dime.api.Faithfulness f = fit.faithfulness().orElseThrow();
      heldOutR2 += f.heldOutR2() / 4;
      deletionArea += f.deletionArea() / 4;
      for (int t = 0; t < deletion.length; t++) {
        deletion[t] += f.deletion()[t] / 4;
      }
      for (int j = 0; j < 4; j++) {
        sum[j] += w[j];
        sumSq[j] += w[j] * w[j];
      }
    }
    SurrogateFit mi = combined.forClass(0).modality("m1").fit("MI").orElseThrow();
    for (int j = 0; j < 4; j++) {
      double mean = sum[j] / 4;
      double sd = Math.sqrt((sumSq[j] - 4 * mean * mean) / 3);
      assertEquals(mean, mi.weights()[j], 1e-12);
      assertEquals(sd / 2, mi.replicateErrors()[j], 1e-9);
    }
    assertTrue(mi.replicateErrors()[0] > 0);
    // faithfulness: the mean of each replicate's own measures
    io.dime.api.Faithfulness f = mi.faithfulness().orElseThrow();
    assertEquals(heldOutR2, f.heldOutR2(), 1e-12);
    assertEquals(deletionArea, f.deletionArea(), 1e-12);
    org.junit.jupiter.api.Assertions.assertArrayEquals(deletion, f.deletion(), 1e-12);
    assertEquals(
        4 * one.explain(x, Targets.classes("0")).passes().formula(), combined.passes().formula());
    assertEquals(
        0,
        one.explain(x, Targets.classes("0"))
            .forClass(0)
            .modality("m1")
            .fit("MI")
            .orElseThrow()
            .replicateErrors()
            .length);
    assertTrue(Double.isFinite(combined.forClass(0).decomposition().get(3).replicateError()));
  }

  private static Dime exactDime(long seed, int replicates) {
    return Dime.builder()
        .modality(VectorModality.of("m1", 4))
        .modality(VectorModality.of("m2", 4))
        .model(Fixtures.model(1, p -> new double[] {p[0][0] * p[1][0] + 2 * p[0][2] * p[1][1]}))
        .referencePool(Fixtures.gaussianPoints("p", 40, 2, 4, 61))
        .estimator(Estimators.exact(5))
        .samples(60)
        .seed(seed)
        .replicates(replicates)
        .build();
  }

  /**
   * exact(N)'s error is its reference set, so each replicate chooses its own set from its own seed:
   * replicate r is exactly the single run with seed replicateSeed(r), and the replicates spread. A
   * bilinear model is fitted without residual, so with one shared set they could not differ.
   */
  @Test
  void exactReplicatesEachChooseTheirOwnReferenceSet() {
    Datapoint x = Fixtures.gaussianPoints("x", 1, 2, 4, 62).get(0);
    Dime three = exactDime(9, 3);
    SurrogateFit combined =
        three.explain(x, Targets.classes("0")).forClass(0).modality("m1").fit("UC").orElseThrow();
    double[] mean = new double[4];
    for (int r = 0; r < 3; r++) {
      double[] w =
          exactDime(three.replicateSeed(r), 1)
              .explain(x, Targets.classes("0"))
              .forClass(0)
              .modality("m1")
              .fit("UC")
              .orElseThrow()
              .weights();
      for (int j = 0; j < 4; j++) {
        mean[j] += w[j] / 3;
      }
    }
    double spread = 0;
    for (int j = 0; j < 4; j++) {
      assertEquals(mean[j], combined.weights()[j], 1e-12);
      spread = Math.max(spread, combined.replicateErrors()[j]);
    }
    assertTrue(spread > 1e-3, "replicates spread by their reference sets: " + spread);
  }
}
