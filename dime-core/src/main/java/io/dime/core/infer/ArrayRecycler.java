package io.dime.core.infer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A few batch arrays kept for reuse, so that encoding a batch of small rows does not allocate (and
 * the collector does not clear) a fresh array per input tensor. Takes exact lengths only; keeps at
 * most {@value #SLOTS} arrays of at most {@value #MAX_ELEMENTS} elements each (large inputs such as
 * images are left to the collector, so the memory held stays small); when full, a new array
 * replaces the one kept longest. Arrays that calls keep taking and giving back (full batches) are
 * the recent ones, so the odd lengths (a datapoint's first and last batches) are the ones that go.
 * Thread-safe.
 */
final class ArrayRecycler {
  static final int SLOTS = 16;
  static final int MAX_ELEMENTS = 1 << 18;

  // lock-free: the explaining threads take and the model threads give back, several per batch
  private final AtomicReferenceArray<Object> kept = new AtomicReferenceArray<>(SLOTS);
  // when each slot was filled; racing calls may misjudge the oldest, which only costs an array
  private final AtomicLongArray given = new AtomicLongArray(SLOTS);
  private final AtomicLong clock = new AtomicLong();

  /** A kept array of that kind and exact length, or null. */
  Object take(boolean floats, int length) {
    for (int i = 0; i < SLOTS; i++) {
      Object a = kept.get(i);
      if (a != null
          && (floats
              ? a instanceof float[] f && f.length == length
              : a instanceof long[] l && l.length == length)
          && kept.compareAndSet(i, a, null)) {
        return a;
      }
    }
    return null;
  }

  /** Keeps an array no one uses any more, if there is room and it is small enough. */
  void give(Object array) {
    int length = array instanceof float[] f ? f.length : ((long[]) array).length;
    if (length > MAX_ELEMENTS) {
      return;
    }
    long now = clock.incrementAndGet();
    int oldest = 0;
    for (int i = 0; i < SLOTS; i++) {
      if (kept.get(i) == null && kept.compareAndSet(i, null, array)) {
        given.set(i, now);
        return;
      }
      if (given.get(i) < given.get(oldest)) {
        oldest = i;
      }
    }
    // full: the array kept longest goes, so odd lengths do not stay for good
    kept.set(oldest, array);
    given.set(oldest, now);
  }
}
