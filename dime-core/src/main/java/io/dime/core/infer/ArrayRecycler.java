package io.dime.core.infer;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A few batch arrays kept for reuse, so that encoding a batch of small rows does not allocate (and
 * the collector does not clear) a fresh array per input tensor. Takes exact lengths only; keeps at
 * most {@value #SLOTS} arrays of at most {@value #MAX_ELEMENTS} elements each (large inputs such as
 * images are left to the collector, so the memory held stays small); when full, a new array
 * replaces the kept ones in turn. Thread-safe.
 */
final class ArrayRecycler {
  static final int SLOTS = 16;
  static final int MAX_ELEMENTS = 1 << 18;

  // lock-free: the explaining threads take and the model threads give back, several per batch
  private final AtomicReferenceArray<Object> kept = new AtomicReferenceArray<>(SLOTS);
  private final AtomicInteger next = new AtomicInteger();

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
    for (int i = 0; i < SLOTS; i++) {
      if (kept.get(i) == null && kept.compareAndSet(i, null, array)) {
        return;
      }
    }
    // full: replace the slots in turn, so odd lengths do not stay for good
    kept.set(Math.floorMod(next.getAndIncrement(), SLOTS), array);
  }
}
