package io.dime.core.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.api.ModelException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batch pass of {@link OutputTransform} against its row-by-row form. */
class OutputTransformTest {
  @Test
  void aBatchPassEqualsTransformingEachRow() {
    for (boolean log : new boolean[] {false, true}) {
      OutputTransform t = new OutputTransform(log, 3);
      double[] flat = {0.2, 0.3, 0.5, 1e-320, 0.9, 0.1, 0.7, 0.2, 0.1};
      double[] expected = new double[flat.length];
      for (int r = 0; r < 3; r++) {
        double[] row = java.util.Arrays.copyOfRange(flat, 3 * r, 3 * r + 3);
        System.arraycopy(t.apply(row), 0, expected, 3 * r, 3);
      }
      t.applyAll(flat, 3);
      assertArrayEquals(expected, flat, 0.0, "log " + log);
    }
  }

  @Test
  void probabilitiesBelowFloat32sSmallestAreFlooredAndCounted() {
    OutputTransform t = new OutputTransform(true, 3);
    double tiny = Float.MIN_VALUE; // 1.401e-45, the smallest value logged as it is
    double[] flat = {0.0, 0.25, 0.75, 1e-50, tiny, 1 - tiny, 0.5, 0.5, 0.0};
    assertEquals(3, t.flooredIn(new double[] {0.0, 1e-46, 0.0}));
    assertEquals(0, t.flooredIn(new double[] {0.5, 0.5, 1e-44}));
    assertEquals(3, t.applyAll(flat, 3)); // 0, 1e-50 and the last 0
    double floor = Math.log(Float.MIN_VALUE); // -103.28
    assertEquals(-103.2789, floor, 1e-4);
    assertArrayEquals(
        new double[] {
          floor,
          Math.log(0.25),
          Math.log(0.75),
          floor,
          Math.log(tiny),
          Math.log(1 - tiny),
          Math.log(0.5),
          Math.log(0.5),
          floor
        },
        flat,
        0.0);
    assertEquals(0, new OutputTransform(false, 3).applyAll(new double[] {0, 0, 1}, 3));
  }

  @Test
  void aNegativeProbabilityIsRefusedNotFloored() {
    OutputTransform t = new OutputTransform(true, 2);
    ModelException e =
        assertThrows(ModelException.class, () -> t.applyAll(new double[] {0.5, 0.5, -0.1, 1.1}, 2));
    assertEquals(true, e.getMessage().startsWith("model returned -0.1 for output 0, which is"));
    assertThrows(ModelException.class, () -> t.apply(new double[] {1.2, -0.2}));
  }

  @Test
  void aBadValueIsNamedByItsOutputAsRowByRow() {
    OutputTransform t = new OutputTransform(false, 2);
    assertRejects(t, new double[] {1, 2, 3, Double.NaN}, "model returned NaN for output 1");
    assertRejects(
        t,
        new double[] {Double.NEGATIVE_INFINITY, 2, 3, 4},
        "model returned -Infinity for output 0");
    ModelException width =
        assertThrows(ModelException.class, () -> t.applyAll(new double[] {1, 2, 3}, 3));
    assertEquals("model returned 3 outputs for a row; expected 2", width.getMessage());
  }

  /**
   * A transform given the class labels names a bad value's output by its index and its label, in
   * every pass (rows, batches, centred pairs); labels that are the indices themselves (a model
   * without class names) are not repeated.
   */
  @Test
  void aBadValueIsNamedByItsClassLabelToo() {
    for (boolean center : new boolean[] {false, true}) {
      OutputTransform t = new OutputTransform(false, center, List.of("dog", "cat"));
      assertRejects(
          t, new double[] {1, 2, 3, Double.NaN}, "model returned NaN for output 1 ('cat')");
      assertRejects(
          t,
          new double[] {Double.NEGATIVE_INFINITY, 2, 3, 4},
          "model returned -Infinity for output 0 ('dog')");
      ModelException row =
          assertThrows(ModelException.class, () -> t.apply(new double[] {1, Double.NaN}));
      assertEquals("model returned NaN for output 1 ('cat')", row.getMessage());
      OutputTransform indices = new OutputTransform(false, center, List.of("0", "1"));
      assertRejects(indices, new double[] {1, 2, 3, Double.NaN}, "model returned NaN for output 1");
    }
    OutputTransform probabilities = new OutputTransform(true, false, List.of("dog", "cat"));
    ModelException e =
        assertThrows(
            ModelException.class, () -> probabilities.applyAll(new double[] {1.1, -0.1}, 2));
    assertEquals(
        true, e.getMessage().startsWith("model returned -0.1 for output 1 ('cat'), which is"));
  }

  @Test
  void centredPairsGiveTheGeneralPassBitForBit() {
    OutputTransform t = new OutputTransform(false, true, 2);
    double[] special = {-0.0, 0.0, 1e-320, -1e308, 1e308, 3.0000000000000004, -7.5, 0.1};
    java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
    double[] flat = new double[2 * 200];
    for (int p = 0; p < 200; p++) { // every ordered pair of the special values, then random ones
      flat[2 * p] = p < 64 ? special[p / 8] : rng.nextGaussian() * 10;
      flat[2 * p + 1] = p < 64 ? special[p % 8] : rng.nextGaussian() * 10;
    }
    double[] expected = new double[flat.length];
    for (int r = 0; r < flat.length / 2; r++) {
      double[] row = {flat[2 * r], flat[2 * r + 1]};
      System.arraycopy(t.apply(row), 0, expected, 2 * r, 2);
    }
    t.applyAll(flat, 2);
    for (int i = 0; i < flat.length; i++) {
      assertEquals(
          Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(flat[i]), "at " + i);
    }
    assertRejects(t, new double[] {1, 2, 3, Double.NaN}, "model returned NaN for output 1");
    assertRejects(
        t,
        new double[] {1, 2, Double.POSITIVE_INFINITY, Double.NaN},
        "model returned Infinity for output 0");
  }

  /**
   * Two-output rows {@code flat} fail with {@code message} (the first bad value, by its output).
   */
  private static void assertRejects(OutputTransform t, double[] flat, String message) {
    ModelException e = assertThrows(ModelException.class, () -> t.applyAll(flat, 2));
    assertEquals(message, e.getMessage());
  }
}
