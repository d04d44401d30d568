package io.dime.core.infer;

/**
 * An immutable open-addressing map keyed by object identity: lookups allocate nothing. Built by
 * copying; used for the encodings of pinned values, read by many threads.
 */
final class IdentityTable<V> {
  private final Object[] keys;
  private final Object[] values;
  private final int mask;
  private final int size;

  @SuppressWarnings("rawtypes")
  static final IdentityTable EMPTY = new IdentityTable<>(new Object[0], new Object[0]);

  private IdentityTable(Object[] ks, Object[] vs) {
    int cap = Integer.highestOneBit(Math.max(4, ks.length * 2) - 1) << 1;
    keys = new Object[cap];
    values = new Object[cap];
    mask = cap - 1;
    int n = 0;
    for (int i = 0; i < ks.length; i++) {
      int h = slot(ks[i]);
      while (keys[h] != null && keys[h] != ks[i]) {
        h = (h + 1) & mask;
      }
      if (keys[h] == null) {
        n++;
      }
      keys[h] = ks[i];
      values[h] = vs[i];
    }
    size = n;
  }

  private int slot(Object k) {
    return (System.identityHashCode(k) * 0x9E3779B9) >>> 7 & mask;
  }

  @SuppressWarnings("unchecked")
  V get(Object k) {
    if (size == 0) {
      return null;
    }
    int h = slot(k);
    Object cur;
    while ((cur = keys[h]) != null) {
      if (cur == k) {
        return (V) values[h];
      }
      h = (h + 1) & mask;
    }
    return null;
  }

  int size() {
    return size;
  }

  /** A copy with more entries (existing keys keep their value). */
  IdentityTable<V> with(Object[] ks, Object[] vs) {
    Object[] allK = new Object[size + ks.length];
    Object[] allV = new Object[size + ks.length];
    int n = 0;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null) {
        allK[n] = keys[i];
        allV[n++] = values[i];
      }
    }
    for (int i = 0; i < ks.length; i++) {
      if (get(ks[i]) == null) {
        allK[n] = ks[i];
        allV[n++] = vs[i];
      }
    }
    return new IdentityTable<>(java.util.Arrays.copyOf(allK, n), java.util.Arrays.copyOf(allV, n));
  }
}
