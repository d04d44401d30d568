package io.dime.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.InputException;
import org.junit.jupiter.api.Test;

/** The conversion of a read double to a FLOAT32 input, at the edge of float's range. */
class NarrowingFloat32Test {
  @Test
  void valuesThatFitAreTheNearestFloat() {
    assertEquals(0.1f, Narrowing.float32(0.1, "a"));
    assertEquals(-3.5f, Narrowing.float32(-3.5, "a"));
    assertEquals(Float.MAX_VALUE, Narrowing.float32(Float.MAX_VALUE, "a"));
    assertEquals(-Float.MAX_VALUE, Narrowing.float32(-(double) Float.MAX_VALUE, "a"));
    // just below half an ulp above the largest float still rounds to it
    double halfUlp = Math.ulp(Float.MAX_VALUE) / 2.0;
    double below = Math.nextDown(Float.MAX_VALUE + halfUlp);
    assertEquals(Float.MAX_VALUE, Narrowing.float32(below, "a"));
    assertEquals(0f, Narrowing.float32(1e-50, "a")); // underflow is a loss of precision, not a fail
  }

  @Test
  void nanAndInfinitiesStayThemselves() {
    assertTrue(Float.isNaN(Narrowing.float32(Double.NaN, "a")));
    assertEquals(Float.POSITIVE_INFINITY, Narrowing.float32(Double.POSITIVE_INFINITY, "a"));
    assertEquals(Float.NEGATIVE_INFINITY, Narrowing.float32(Double.NEGATIVE_INFINITY, "a"));
  }

  @Test
  void aFiniteValueBeyondFloatsRangeFailsAsInputNamingValueAndInput() {
    InputException e = assertThrows(InputException.class, () -> Narrowing.float32(1e39, "d1"));
    assertEquals(
        "value 1.0E39 of input 'd1' does not fit the model's FLOAT32 input (largest"
            + " 3.4028235E38)",
        e.getMessage());
    assertFalse(e.recordId().isPresent()); // the engine names the record
    assertThrows(InputException.class, () -> Narrowing.float32(-1e39, "d1"));
    assertThrows(InputException.class, () -> Narrowing.float32(Double.MAX_VALUE, "d1"));
    // half an ulp above the largest float rounds (ties to even) to infinity
    double halfway = Float.MAX_VALUE + Math.ulp(Float.MAX_VALUE) / 2.0;
    assertThrows(InputException.class, () -> Narrowing.float32(halfway, "d1"));
  }
}
