package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.core.decompose.HiddenBaseline;
import io.dime.core.estimate.Estimators;
import io.dime.core.modality.VectorModality;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hidden-feature check: exact shifts and answer shares for a model with a known baseline. */
class HiddenBaselineTest {
  @Test
  void shiftsAndSharesAreTheClosedFormOnesForAZeroBaseline() {
    // f = (s1 + s2, 4 - s1): hiding m1 (zeros) moves class 0 by -s1 and class 1 by +s1; hiding
    // m2 moves class 0 by -s2 and leaves class 1 alone.
    List<io.dime.api.Datapoint> pool = new ArrayList<>();
    double[][] m1 = {{1, 2, 3}, {0.5, 0.5, 0}, {2, 2, 2}, {-1, 0, 0}};
    double[][] m2 = {{1, 1}, {3, 0}, {0, -1}, {2, 1}};
    for (int i = 0; i < m1.length; i++) {
      pool.add(Fixtures.point("p" + i, m1[i], m2[i]));
    }
    try (Dime dime =
        Dime.builder()
            .modality(VectorModality.of("m1", 3))
            .modality(VectorModality.of("m2", 2))
            .model(
                Fixtures.model(
                    2,
                    p -> {
                      double s1 = p[0][0] + p[0][1] + p[0][2];
                      double s2 = p[1][0] + p[1][1];
                      return new double[] {s1 + s2, 4 - s1};
                    }))
            .referencePool(pool)
            .estimator(Estimators.sampled(2))
            .samples(8)
            .batchSize(3) // several batches
            .centeredScores(false) // the closed forms below are for the raw outputs
            .build()) {
      List<io.dime.api.run.HiddenModality> hb = dime.hiddenBaseline(100); // the whole pool of 4
      assertEquals(2, hb.size());
      // s1 = 6, 1, 6, -1 (mean 3); s2 = 2, 3, -1, 3 (mean 1.75)
      io.dime.api.run.HiddenModality a = hb.get(0);
      assertEquals("m1", a.modality());
      assertEquals(4, a.records());
      assertArrayEquals(new double[] {-3, 3}, a.meanShift(), 1e-12);
      // unhidden answers: (8,-2)->0, (4,3)->0, (5,-2)->0, (2,5)->1; hidden (s2, 4): 1, 1, 1, 1
      assertArrayEquals(new double[] {0.75, 0.25}, a.shareOriginal(), 1e-12);
      assertArrayEquals(new double[] {0, 1}, a.shareHidden(), 1e-12);
      assertEquals(1, a.topHidden());
      assertEquals(1, a.largestRise());
      assertTrue(a.dominant()); // 100% against 25%
      io.dime.api.run.HiddenModality b = hb.get(1);
      assertArrayEquals(new double[] {-1.75, 0}, b.meanShift(), 1e-12);
      // hidden (s1, 4 - s1): (6,-2)->0, (1,3)->1, (6,-2)->0, (-1,5)->1
      assertArrayEquals(new double[] {0.5, 0.5}, b.shareHidden(), 1e-12);
      assertEquals(0, b.topHidden()); // the first of equals
      assertFalse(b.dominant()); // 50% is not twice 75%
      Map<String, Object> m = io.dime.core.io.SummaryJson.hidden(a);
      assertEquals("1", m.get("topAnswerHidden")); // classes by the model's output names
      assertEquals(true, m.get("dominant"));
      assertEquals(3.0, (double) m.get("largestRiseMeanShift"), 1e-12);
    }
  }

  /**
   * Regression outputs (or a pipeline's own targets) are no competing classes: their largest entry
   * is no answer, so the check gives shifts but no shares and flags nothing as dominant.
   */
  @Test
  void outputsThatAreNotClassesHaveShiftsButNoShares() {
    List<io.dime.api.Datapoint> pool = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      pool.add(Fixtures.point("p" + i, new double[] {i + 1, 1}, new double[] {1}));
    }
    try (Dime dime =
        Dime.builder()
            .modality(VectorModality.of("m1", 2))
            .modality(VectorModality.of("m2", 1))
            .model(Fixtures.model(2, p -> new double[] {p[0][0], p[0][0] + p[0][1] + p[1][0]}))
            .outputKind(io.dime.api.OutputKind.REGRESSION)
            .referencePool(pool)
            .estimator(Estimators.sampled(2))
            .samples(8)
            .build()) {
      io.dime.api.run.HiddenModality a = dime.hiddenBaseline(100).get(0);
      // hiding m1 (zeros): output 0 drops by i + 1 (mean 2.5), output 1 by i + 2 (mean 3.5)
      assertArrayEquals(new double[] {-2.5, -3.5}, a.meanShift(), 1e-12);
      assertEquals(0, a.shareHidden().length);
      assertFalse(a.dominant());
    }
  }

  @Test
  void aSingleOutputHasShiftsButNoShares() {
    io.dime.api.run.HiddenModality r =
        HiddenBaseline.summarise(
            "x",
            List.of("y"),
            List.of(new double[] {1}, new double[] {3}),
            List.of(new double[] {0}, new double[] {0}));
    assertArrayEquals(new double[] {-2}, r.meanShift(), 1e-12);
    assertEquals(0, r.shareHidden().length);
    assertEquals(-1, r.topHidden());
    assertFalse(r.dominant());
    assertFalse(io.dime.core.io.SummaryJson.hidden(r).containsKey("topAnswerHidden"));
  }

  @Test
  void hidingThatChangesNoScoreIsFlaggedAsInert() {
    // f reads only m1: hidden by zeros, its sum i + 1 becomes 0 for every record; m2 is never
    // read, so hiding it changes no score.
    List<io.dime.api.Datapoint> pool = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      pool.add(Fixtures.point("p" + i, new double[] {i, 1}, new double[] {i * 0.5, -i}));
    }
    try (Dime dime =
        Dime.builder()
            .modality(VectorModality.of("m1", 2))
            .modality(VectorModality.of("m2", 2))
            .model(Fixtures.model(1, p -> new double[] {p[0][0] + p[0][1]}))
            .referencePool(pool)
            .estimator(Estimators.sampled(2))
            .samples(8)
            .build()) {
      List<io.dime.api.run.HiddenModality> hb = dime.hiddenBaseline(100);
      assertEquals(0.0, hb.get(0).shareUnchanged(), 1e-12);
      assertFalse(hb.get(0).inert());
      assertEquals(1.0, hb.get(1).shareUnchanged(), 1e-12);
      assertTrue(hb.get(1).inert());
      Map<String, Object> m = io.dime.core.io.SummaryJson.hidden(hb.get(1));
      assertEquals(true, m.get("inert"));
    }
    // 9 of 10 unchanged is inert, 8 of 10 is not
    List<double[]> y = new ArrayList<>();
    List<double[]> h = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      y.add(new double[] {i});
      h.add(new double[] {i < 9 ? i : i + 1});
    }
    assertTrue(HiddenBaseline.summarise("x", List.of("y"), y, h).inert());
    h.set(8, new double[] {0.5});
    assertFalse(HiddenBaseline.summarise("x", List.of("y"), y, h).inert());
  }

  /**
   * A hidden state whose scores are all equal (a bias-free model given zeros) answers no class:
   * each record's answer is shared among the tied classes, and nothing is flagged dominant. Before:
   * argmax took the first class, so the check reported that hiding made the model answer class 'a'
   * for every record and warned that weights toward 'a' measured the hidden state.
   */
  @Test
  void tiedHiddenScoresAnswerNoClass() {
    List<double[]> y = new ArrayList<>();
    List<double[]> h = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      double[] scores = new double[4];
      scores[i % 4] = 2;
      y.add(scores);
      h.add(new double[4]);
    }
    io.dime.api.run.HiddenModality r =
        HiddenBaseline.summarise("x", List.of("a", "b", "c", "d"), y, h);
    assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, r.shareHidden(), 1e-12);
    assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, r.shareOriginal(), 1e-12);
    assertFalse(r.dominant());
    // two of four tied at the top: half each
    h.set(0, new double[] {1, 3, 3, 0});
    r = HiddenBaseline.summarise("x", List.of("a", "b", "c", "d"), y, h);
    assertEquals((11 * 0.25 + 0.5) / 12, r.shareHidden()[1], 1e-12);
    assertEquals(11 * 0.25 / 12, r.shareHidden()[0], 1e-12);
  }

  /**
   * Whether hiding changes a score is judged in the output's own units: outputs of order 1e-30 that
   * hiding halves are changed (before: a change below 1e-9 in absolute terms counted as none, so
   * every modality of such a model was flagged inert and its weights called noise), and outputs of
   * order 1e6 that move by 1e-4 (rounding of a float32 model) are unchanged.
   */
  @Test
  void whetherHidingChangesAScoreDoesNotDependOnTheUnit() {
    List<double[]> y = new ArrayList<>();
    List<double[]> halved = new ArrayList<>();
    List<double[]> rounded = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      y.add(new double[] {(i + 1) * 1e-30, (i + 1) * 1e6});
      halved.add(new double[] {(i + 1) * 0.5e-30, (i + 1) * 1e6 + 1e-4});
      rounded.add(new double[] {(i + 1) * 1e-30, (i + 1) * 1e6 + 1e-4});
    }
    io.dime.api.run.HiddenModality changed =
        HiddenBaseline.summarise("x", List.of("tiny", "large"), y, halved, false);
    assertEquals(0.0, changed.shareUnchanged(), 1e-12);
    assertFalse(changed.inert());
    io.dime.api.run.HiddenModality same =
        HiddenBaseline.summarise("x", List.of("tiny", "large"), y, rounded, false);
    assertEquals(1.0, same.shareUnchanged(), 1e-12);
    assertTrue(same.inert());
  }
}
