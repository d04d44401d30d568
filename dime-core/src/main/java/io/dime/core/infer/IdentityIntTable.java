package io.dime.core.infer;

/**
 * An immutable open-addressing map from object identity to a non-negative int: lookups allocate
 * nothing and touch two arrays. Read by many threads.
 */
final class IdentityIntTable {
  static final IdentityIntTable EMPTY = new IdentityIntTable(new Object[0]);

  private final Object[] keys;
  private final int[] values;
  private final int mask;
  private final int size;

  /** Maps keys[i] to i (the first occurrence wins). */
  IdentityIntTable(Object[] ks) {
    int cap = Integer.highestOneBit(Math.max(4, ks.length * 2) - 1) << 1;
    keys = new Object[cap];
    values = new int[cap];
    mask = cap - 1;
    int n = 0;
    for (int i = 0; i < ks.length; i++) {
      int h = slot(ks[i]);
      while (keys[h] != null && keys[h] != ks[i]) {
        h = (h + 1) & mask;
      }
      if (keys[h] == null) {
        keys[h] = ks[i];
        values[h] = i;
        n++;
      }
    }
    size = n;
  }

  private int slot(Object k) {
    return (System.identityHashCode(k) * 0x9E3779B9) >>> 7 & mask;
  }

  /** The value of k, or -1. */
  int get(Object k) {
    if (size == 0) {
      return -1;
    }
    int h = slot(k);
    Object cur;
    while ((cur = keys[h]) != null) {
      if (cur == k) {
        return values[h];
      }
      h = (h + 1) & mask;
    }
    return -1;
  }
}
