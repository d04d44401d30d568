package io.dime.core.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ElementType;
import io.dime.api.TensorSpec;
import org.junit.jupiter.api.Test;

/**
 * Which output shapes are explained as they are: [batch], [batch, classes], and either with further
 * dimensions of size 1 (a Keras model's [batch, 1, classes]), whose values lie row by row in the
 * same order; anything else needs pipeline targets.
 */
class OutputSpecsTest {
  private static int count(long... shape) {
    return OutputSpecs.outputCount(new TensorSpec("out", ElementType.FLOAT32, shape));
  }

  @Test
  void classesAreTheOneDimensionAboveOne() {
    assertEquals(1, count(-1));
    assertEquals(1, count(-1, 1));
    assertEquals(3, count(-1, 3));
    assertEquals(3, count(-1, 1, 3));
    assertEquals(3, count(-1, 3, 1));
    assertEquals(1, count(-1, 1, 1));
    assertEquals(5, count(-1, 1, 5, 1, 1));
    assertEquals(4, count(8, 4), "a fixed batch is still the batch");
  }

  @Test
  void otherShapesNeedTargets() {
    for (long[] shape :
        new long[][] {{-1, 2, 3}, {-1, -1}, {-1, 1, -1}, {-1, 4, 1, 2}, {-1, 3, 48, 48}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> count(shape));
      assertTrue(
          e.getMessage().contains("found " + TensorSpec.shapeText(shape) + " (select and reduce"),
          e.getMessage());
      assertTrue(e.getMessage().contains("other dimensions of size 1 aside"), e.getMessage());
    }
  }
}
