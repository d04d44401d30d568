package io.dime.spi;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Access to one modality's values in the reference pool, for perturbers whose hidden value depends
 * on the data (the pool mean of a vector entry, say). Plugins compute what they need and may cache
 * it.
 *
 * @param values the modality's values in the reference pool, in pool order (may be empty); copied,
 *     not null
 * @since 0.1
 */
public record PoolStatistics(List<Object> values) {
  /**
   * Copies the values.
   *
   * @throws NullPointerException when the list or a value is null
   */
  public PoolStatistics {
    values = List.copyOf(values);
  }

  /** An empty pool. */
  public static PoolStatistics empty() {
    return new PoolStatistics(List.of());
  }

  /**
   * One pool value for a perturber that hides features with real data: an index drawn uniformly
   * with {@code rng} (one draw), moved on cyclically past values equal to {@code self} (the
   * explained value), so that a value is never hidden by itself.
   *
   * @param rng the random source, not null
   * @param self the explained value, compared with {@link Object#equals}
   * @return the index, or -1 when the pool is empty or holds only values equal to {@code self}
   */
  public int drawOther(SplittableRandom rng, Object self) {
    int n = values.size();
    if (n == 0) {
      return -1;
    }
    int start = rng.nextInt(n);
    for (int k = 0; k < n; k++) {
      int i = (start + k) % n;
      if (!values.get(i).equals(self)) {
        return i;
      }
    }
    return -1;
  }
}
