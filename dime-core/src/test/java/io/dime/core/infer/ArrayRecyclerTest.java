package io.dime.core.infer;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The batch-array recycler: exact kind and length, a size cap, and replacement when full. */
class ArrayRecyclerTest {
  @Test
  void givesBackOnlyTheExactKindAndLengthOnce() {
    ArrayRecycler r = new ArrayRecycler();
    float[] f = new float[10];
    long[] l = new long[10];
    r.give(f);
    r.give(l);
    assertNull(r.take(true, 11), "another length");
    assertSame(f, r.take(true, 10));
    assertNull(r.take(true, 10), "taken already");
    assertSame(l, r.take(false, 10));
    assertNull(r.take(false, 10));
  }

  @Test
  void keepsNoLargeArrays() {
    ArrayRecycler r = new ArrayRecycler();
    r.give(new float[ArrayRecycler.MAX_ELEMENTS + 1]);
    assertNull(r.take(true, ArrayRecycler.MAX_ELEMENTS + 1));
    r.give(new float[ArrayRecycler.MAX_ELEMENTS]);
    assertNotNull(r.take(true, ArrayRecycler.MAX_ELEMENTS));
  }

  @Test
  void whenFullANewArrayReplacesTheOneKeptLongest() {
    ArrayRecycler r = new ArrayRecycler();
    for (int i = 0; i < ArrayRecycler.SLOTS; i++) {
      r.give(new float[100 + i]); // odd lengths that are never asked for again
    }
    float[] wanted = new float[7];
    r.give(wanted);
    assertSame(wanted, r.take(true, 7), "a full recycler still takes a new array");
    assertNull(r.take(true, 100), "it replaced the first kept one");
    assertNotNull(r.take(true, 101));
  }

  @Test
  void anArrayInUseOutlastsOddLengthsGivenOnce() {
    // a full batch's array is taken and given back for every batch, while each datapoint adds an
    // odd length that no call asks for again: the odd ones must go, not the array in use
    ArrayRecycler r = new ArrayRecycler();
    float[] full = new float[1024];
    r.give(full);
    for (int i = 0; i < 5 * ArrayRecycler.SLOTS; i++) {
      assertSame(full, r.take(true, 1024), "after " + i + " odd arrays");
      r.give(full);
      r.give(new float[1 + i]);
    }
  }
}
