package io.dime.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ModelException;
import org.junit.jupiter.api.Test;

/**
 * FLOAT16 and BFLOAT16, checked over every 16-bit value: each finite value goes back to its own
 * bits, a value between two neighbours goes to the nearer, and a value halfway to the one whose
 * last bit is 0 (round to nearest, ties to even, as IEEE 754 and ONNX's own casts do).
 */
class NarrowingHalfTest {
  private static final String P = "model 'm.onnx': ";

  private static short half(float v) {
    return Narrowing.float16(v, P, "h", 0);
  }

  private static short bf(float v) {
    return Narrowing.bfloat16(v, P, "b", 0);
  }

  @Test
  void knownValues() {
    assertEquals(1f, Narrowing.fromFloat16((short) 0x3c00));
    assertEquals(-2f, Narrowing.fromFloat16((short) 0xc000));
    assertEquals(65504f, Narrowing.fromFloat16((short) 0x7bff));
    assertEquals(0x1p-24f, Narrowing.fromFloat16((short) 0x0001));
    assertEquals(0x1p-14f, Narrowing.fromFloat16((short) 0x0400));
    assertEquals(0x1.ff8p-15f, Narrowing.fromFloat16((short) 0x03ff)); // the largest subnormal
    assertEquals(Float.NEGATIVE_INFINITY, Narrowing.fromFloat16((short) 0xfc00));
    assertTrue(Float.isNaN(Narrowing.fromFloat16((short) 0x7e00)));
    assertEquals(1f, Narrowing.fromBfloat16((short) 0x3f80));
    assertEquals(-0.5f, Narrowing.fromBfloat16((short) 0xbf00));
    assertEquals((short) 0x3555, half(1f / 3)); // 0.333251953125
    assertEquals((short) 0x3eab, bf(1f / 3)); // 0.333984375
    assertEquals((short) 0x8000, half(-0f));
    assertEquals((short) 0x7c00, half(Float.POSITIVE_INFINITY));
    assertTrue(Float.isNaN(Narrowing.fromFloat16(half(Float.NaN))));
    assertTrue(Float.isNaN(Narrowing.fromBfloat16(bf(Float.NaN))));
    assertEquals((short) 0xff80, bf(Float.NEGATIVE_INFINITY));
  }

  @Test
  void everyFloat16RoundsToTheNearestTiesToEven() {
    for (int h = 0; h < 0x7c00; h++) { // the positive finite halves; negatives by symmetry
      float v = Narrowing.fromFloat16((short) h);
      assertEquals((short) h, half(v), "0x" + Integer.toHexString(h));
      assertEquals((short) (h | 0x8000), half(-v), "-0x" + Integer.toHexString(h));
      if (h + 1 < 0x7c00) {
        float next = Narrowing.fromFloat16((short) (h + 1));
        float mid = (float) (((double) v + next) / 2); // 12 significant bits: exact in float
        assertEquals((short) ((h & 1) == 0 ? h : h + 1), half(mid), "tie above 0x" + h);
        assertEquals((short) h, half(Math.nextDown(mid)), "below the tie above " + h);
        assertEquals((short) (h + 1), half(Math.nextUp(mid)), "above the tie above " + h);
      }
    }
    assertEquals((short) 0, half(0x1p-25f)); // half the smallest subnormal: a tie, to 0
    assertEquals((short) 1, half(Math.nextUp(0x1p-25f)));
    assertEquals((short) 0, half(Float.MIN_VALUE));
  }

  @Test
  void everyBfloat16RoundsToTheNearestTiesToEven() {
    for (int h = 0; h < 0x7f80; h++) {
      float v = Narrowing.fromBfloat16((short) h);
      assertEquals((short) h, bf(v), "0x" + Integer.toHexString(h));
      assertEquals((short) (h | 0x8000), bf(-v));
      if (h + 1 < 0x7f80) {
        float next = Narrowing.fromBfloat16((short) (h + 1));
        float mid = (float) (((double) v + next) / 2); // 9 significant bits
        assertEquals((short) ((h & 1) == 0 ? h : h + 1), bf(mid), "tie above 0x" + h);
        assertEquals((short) h, bf(Math.nextDown(mid)));
        assertEquals((short) (h + 1), bf(Math.nextUp(mid)));
      }
    }
  }

  @Test
  void aValueBeyondTheRangeFailsNamingInputRowAndValue() {
    assertEquals((short) 0x7bff, half(65504f));
    assertEquals((short) 0x7bff, half(Math.nextDown(65520f))); // rounds down to 65504
    ModelException e =
        assertThrows(ModelException.class, () -> Narrowing.float16(-65520f, P, "pixels", 7));
    assertEquals(
        "model 'm.onnx': input 'pixels' is FLOAT16, but row 7 holds -65520.0, outside its range"
            + " (+-65504)",
        e.getMessage());
    assertThrows(ModelException.class, () -> half(Float.MAX_VALUE));
    assertEquals((short) 0x7f7f, bf(Narrowing.fromBfloat16((short) 0x7f7f)));
    e = assertThrows(ModelException.class, () -> Narrowing.bfloat16(Float.MAX_VALUE, P, "b", 2));
    assertTrue(e.getMessage().contains("input 'b' is BFLOAT16, but row 2"), e.getMessage());
  }
}
