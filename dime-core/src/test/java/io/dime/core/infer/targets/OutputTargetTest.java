package io.dime.core.infer.targets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.ModelSignature;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each kind of target computes its score exactly as its definition says. */
class OutputTargetTest {
  /** A [2, 3, 4] tensor whose element (i, a, b) is 100 i + 10 a + b. */
  private static Tensor cube() {
    float[] v = new float[24];
    for (int i = 0; i < 2; i++) {
      for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 4; b++) {
          v[i * 12 + a * 4 + b] = 100 * i + 10 * a + b;
        }
      }
    }
    return Tensor.ofFloats("y", new long[] {2, 3, 4}, v);
  }

  private static ModelSignature sig(long... shape) {
    return new ModelSignature(
        List.of(new TensorSpec("x", ElementType.FLOAT32, new long[] {-1, 1})),
        List.of(new TensorSpec("y", ElementType.FLOAT32, shape)));
  }

  private static double[] score(OutputTarget t, Map<String, Tensor> y, int n, Object binding) {
    double[] out = new double[n];
    t.score(y, n, binding, out, 0, 1);
    return out;
  }

  @Test
  void aReductionSumsMeansAndTakesExtremesOfTheSelectedBlock() {
    Map<String, Tensor> y = Map.of("y", cube());
    // rows 1..2 of axis 1, columns 1..2 of axis 2: 11 12 21 22 (+100 for the second row)
    assertArrayEquals(
        new double[] {66, 466},
        score(new Reduction("s", "y", List.of("1:3", "1:3"), "sum"), y, 2, null));
    assertArrayEquals(
        new double[] {16.5, 116.5},
        score(new Reduction("m", "y", List.of("1:", "1:-1"), "mean"), y, 2, null));
    assertArrayEquals(
        new double[] {23, 123}, score(new Reduction("x", "y", null, "max"), y, 2, null));
    assertArrayEquals(
        new double[] {0, 100}, score(new Reduction("n", "y", List.of(":"), "min"), y, 2, null));
    assertArrayEquals(
        new double[] {23, 123},
        score(new Reduction("e", "y", List.of("-1", "3"), null), y, 2, null));
  }

  @Test
  void aReductionIsCheckedAgainstTheSignatureBeforeAnyRun() {
    ModelSignature s = sig(-1, 3, 4);
    new Reduction("ok", "y", List.of("2", "0"), null).check(s);
    IllegalArgumentException many =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Reduction("t", "y", List.of("0:2"), null).check(s));
    assertEquals(
        "target 't' selects 8 elements of output y [?, 3, 4]; give reduce: sum, mean, max or min",
        many.getMessage());
    IllegalArgumentException far =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Reduction("t", "y", List.of("3"), "sum").check(s));
    assertEquals(
        "target 't': selector '3' on axis 1 of y [?, 3, 4] selects nothing (that axis has size 3)",
        far.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new Reduction("t", "y", List.of(":", ":", ":"), "sum").check(s));
    IllegalArgumentException none =
        assertThrows(
            IllegalArgumentException.class, () -> new Reduction("t", "z", null, "sum").check(s));
    assertTrue(none.getMessage().contains("no model output 'z'; outputs: [y [?, 3, 4]]"));
    assertThrows(
        IllegalArgumentException.class, () -> new Reduction("t", "y", List.of("1:2:3"), "sum"));
    assertThrows(IllegalArgumentException.class, () -> new Reduction("t", "y", null, "median"));
  }

  @Test
  void openDimensionsAreCheckedOnTheFirstBatch() {
    Reduction r = new Reduction("t", "y", List.of("0", "5"), null);
    r.check(sig(-1, -1, -1)); // nothing known yet
    ModelException e =
        assertThrows(ModelException.class, () -> score(r, Map.of("y", cube()), 2, null));
    assertTrue(e.getMessage().contains("selector '5' on axis 2"), e.getMessage());
  }

  /** Step probabilities [rows, 5 steps, 3 classes], class 0 the blank. */
  private static Tensor steps(double[][][] p) {
    int n = p.length;
    float[] v = new float[n * 15];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < 5; t++) {
        for (int c = 0; c < 3; c++) {
          v[i * 15 + t * 3 + c] = (float) p[i][t][c];
        }
      }
    }
    return Tensor.ofFloats("y", new long[] {n, 5, 3}, v);
  }

  private static final double[][] POINT = {
    {.8, .1, .1}, {.2, .7, .1}, {.3, .6, .1}, {.9, .05, .05}, {.1, .2, .7}
  };
  private static final double[][] OTHER = {
    {.1, .1, .8}, {.5, .4, .1}, {.3, .3, .4}, {.2, .2, .6}, {.6, .3, .1}
  };

  private static double log(double v) {
    return Math.log((float) v);
  }

  @Test
  void aCtcScoreHoldsThePointsDecodingFixedAndScoresItOnEveryRow() {
    SequenceScore s = new SequenceScore("read", "y", "ctc", null, 0);
    s.check(sig(-1, 5, 3));
    Object bound = s.bind(Map.of("y", steps(new double[][][] {POINT})));
    // greedy path 0 1 1 0 2: emits class 1 at step 1 (step 2 repeats it) and class 2 at step 4
    assertArrayEquals(new int[] {1, 2}, SequenceScore.decoded(bound));
    double[] y = score(s, Map.of("y", steps(new double[][][] {POINT, OTHER})), 2, bound);
    assertEquals(log(.7) + log(.7), y[0], 1e-12);
    assertEquals(log(.4) + log(.1), y[1], 1e-12);
    // without a point, each row is scored on its own decoding: OTHER decodes 2 0 2 2 0 -> steps 0,
    // 2
    double[] own = score(s, Map.of("y", steps(new double[][][] {POINT, OTHER})), 2, null);
    assertEquals(y[0], own[0], 1e-12);
    assertEquals(log(.8) + log(.4), own[1], 1e-12);
  }

  @Test
  void aGreedyScoreCountsEveryStepAndLogitsGoThroughLogSoftmax() {
    SequenceScore g = new SequenceScore("g", "y", "greedy", null, null);
    Object bound = g.bind(Map.of("y", steps(new double[][][] {POINT})));
    double[] y = score(g, Map.of("y", steps(new double[][][] {OTHER})), 1, bound);
    assertEquals(log(.1) + log(.4) + log(.3) + log(.2) + log(.1), y[0], 1e-12);

    SequenceScore l = new SequenceScore("l", "y", "greedy", "logits", null);
    Object lb = l.bind(Map.of("y", steps(new double[][][] {POINT})));
    double[] z = score(l, Map.of("y", steps(new double[][][] {OTHER})), 1, lb);
    double expected = 0;
    int[] path = {0, 1, 1, 0, 2};
    for (int t = 0; t < 5; t++) {
      double sum = 0;
      for (int c = 0; c < 3; c++) {
        sum += Math.exp((float) OTHER[t][c]);
      }
      expected += (float) OTHER[t][path[t]] - Math.log(sum);
    }
    assertEquals(expected, z[0], 1e-9);
  }

  @Test
  void aSequenceScoreNeedsStepsAndClassesAndTheSameLengthAsThePoint() {
    SequenceScore s = new SequenceScore("read", "y", null, null, 7);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> s.check(sig(-1, 5, 3)));
    assertEquals("target 'read': blank 7 is not a class of y [?, 5, 3]", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new SequenceScore("r", "y", null, null, null).check(sig(-1, 5)));
    SequenceScore ok = new SequenceScore("r", "y", null, null, null);
    Object bound = ok.bind(Map.of("y", steps(new double[][][] {POINT})));
    Tensor shorter = Tensor.ofFloats("y", new long[] {1, 4, 3}, new float[12]);
    assertThrows(ModelException.class, () -> score(ok, Map.of("y", shorter), 1, bound));
  }

  @Test
  void aSimilarityIsTheCosineOrDotOfTheTwoOutputsRows() {
    Tensor a = Tensor.ofFloats("a", new long[] {2, 2}, new float[] {3, 4, 1, 0});
    Tensor b = Tensor.ofFloats("b", new long[] {2, 2}, new float[] {4, 3, 0, 0});
    Map<String, Tensor> y = Map.of("a", a, "b", b);
    assertArrayEquals(
        new double[] {24 / 25.0, 0},
        score(new Similarity("c", List.of("a", "b"), null), y, 2, null),
        1e-12);
    assertArrayEquals(
        new double[] {24, 0}, score(new Similarity("d", List.of("a", "b"), "dot"), y, 2, null));
    ModelSignature s =
        new ModelSignature(
            List.of(new TensorSpec("x", ElementType.FLOAT32, new long[] {-1, 1})),
            List.of(
                new TensorSpec("a", ElementType.FLOAT32, new long[] {-1, 2}),
                new TensorSpec("b", ElementType.FLOAT32, new long[] {-1, 3})));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Similarity("c", List.of("a", "b"), null).check(s));
    assertThrows(IllegalArgumentException.class, () -> new Similarity("c", List.of("a"), null));
  }

  @Test
  void targetsNeedDistinctNames() {
    OutputTarget a = new Reduction("t", "y", null, "sum");
    OutputTarget b = new Reduction("t", "y", null, "mean");
    assertThrows(IllegalArgumentException.class, () -> new OutputTargets(List.of(a, b)));
  }
}
