package io.dime.spi;

import java.util.List;

/**
 * Access to one modality's values in the reference pool, for perturbers whose hidden value depends
 * on the data (the pool mean of a vector entry, say). Plugins compute what they need and may cache
 * it.
 *
 * @param values the modality's values in the reference pool, in pool order (may be empty)
 */
public record PoolStatistics(List<Object> values) {
  public PoolStatistics {
    values = List.copyOf(values);
  }

  public static PoolStatistics empty() {
    return new PoolStatistics(List.of());
  }
}
