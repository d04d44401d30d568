package io.dime.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.api.ModelException;
import org.junit.jupiter.api.Test;

/** The conversions every adapter makes for UINT8, INT32 and BOOL inputs, at their edges. */
class NarrowingTest {
  @Test
  void uint8RoundsToTheNearestAndRefusesWhatRoundsOutside() {
    assertEquals(0, Narrowing.uint8(-0.5f, "", "px", 0));
    assertEquals(0, Narrowing.uint8(0.49f, "", "px", 0));
    assertEquals(128, Narrowing.uint8(127.5f, "", "px", 0));
    assertEquals(255, Narrowing.uint8(255.49f, "", "px", 0));
    for (float bad : new float[] {-0.51f, 255.5f, Float.NaN, Float.POSITIVE_INFINITY}) {
      ModelException e =
          assertThrows(ModelException.class, () -> Narrowing.uint8(bad, "model 'm': ", "px", 3));
      assertEquals(
          "model 'm': input 'px' is UINT8, but row 3 holds " + bad + ", outside 0 to 255",
          e.getMessage());
    }
  }

  @Test
  void int32AndBoolKeepExactlyWhatTheyCanHold() {
    assertEquals(Integer.MAX_VALUE, Narrowing.int32(Integer.MAX_VALUE, "", "ids", 0));
    assertEquals(Integer.MIN_VALUE, Narrowing.int32(Integer.MIN_VALUE, "", "ids", 0));
    assertEquals(
        "input 'ids' is INT32, but row 1 holds 2147483648, outside its range",
        assertThrows(ModelException.class, () -> Narrowing.int32(1L << 31, "", "ids", 1))
            .getMessage());
    assertEquals(0, Narrowing.bool(0, "", "mask", 0));
    assertEquals(1, Narrowing.bool(1, "", "mask", 0));
    assertEquals(
        "input 'mask' is BOOL, but row 2 holds -1, outside 0 or 1",
        assertThrows(ModelException.class, () -> Narrowing.bool(-1, "", "mask", 2)).getMessage());
  }
}
