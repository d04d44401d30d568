package io.dime.core.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.api.ModelException;
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
  void aBadValueIsNamedByItsOutputAsRowByRow() {
    OutputTransform t = new OutputTransform(false, 2);
    ModelException nan =
        assertThrows(ModelException.class, () -> t.applyAll(new double[] {1, 2, 3, Double.NaN}, 2));
    assertEquals("model returned NaN for output 1", nan.getMessage());
    ModelException inf =
        assertThrows(
            ModelException.class,
            () -> t.applyAll(new double[] {Double.NEGATIVE_INFINITY, 2, 3, 4}, 2));
    assertEquals("model returned -Infinity for output 0", inf.getMessage());
    ModelException width =
        assertThrows(ModelException.class, () -> t.applyAll(new double[] {1, 2, 3}, 3));
    assertEquals("model returned 3 outputs for a row; expected 2", width.getMessage());
  }
}
