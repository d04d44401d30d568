package io.dime.core.infer;

import io.dime.api.ElementType;
import io.dime.api.Tensor;
import io.dime.spi.Modality;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Whether a reference pool fits its share of the heap, all modalities together, before any of it is
 * encoded: its values as read ({@link Modality#valueBytes}) and their encodings stay in memory for
 * the whole run, and may take at most the budget (half of the heap). A pool that does not fit is
 * refused with the pool size that does, counting every modality's bytes a datapoint (each
 * modality's own check, in {@link Packed#append}, cannot see the modalities pinned after it).
 */
public final class PoolBudget {
  private PoolBudget() {}

  /**
   * Refuses a pool over half of the JVM's heap.
   *
   * @param columns each modality's pool values, in the modalities' order, all of one size
   * @return each modality's encodings of its first pool value, which the bytes a datapoint are
   *     counted from, for {@link EncodedModel#pin(int, Collection, List, long)} to pack as they are
   *     (empty for an empty pool)
   * @throws IllegalArgumentException naming the bytes needed and how many datapoints fit
   */
  public static List<List<Tensor>> check(
      List<Modality<?>> modalities, List<? extends Collection<?>> columns) {
    return check(modalities, columns, Runtime.getRuntime().maxMemory() / 2);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static List<List<Tensor>> check(
      List<Modality<?>> modalities, List<? extends Collection<?>> columns, long budget) {
    long n = columns.isEmpty() ? 0 : columns.get(0).size();
    if (n == 0) {
      return List.of();
    }
    List<List<Tensor>> first = new ArrayList<>();
    long encoded = 0;
    long decoded = 0;
    long largest = -1;
    String named = null;
    for (int j = 0; j < modalities.size(); j++) {
      Modality m = modalities.get(j);
      long enc = 0;
      first.add((List<Tensor>) m.encoder().encode(columns.get(j).iterator().next()));
      for (Tensor t : first.get(j)) {
        enc += (long) t.size() * (t.type() == ElementType.FLOAT32 ? Float.BYTES : Long.BYTES);
      }
      long dec = 0;
      for (Object v : columns.get(j)) {
        dec = plus(dec, Math.max(0, valueBytes(m, v)));
      }
      long all = plus(times(enc, n), dec);
      encoded = plus(encoded, times(enc, n));
      decoded = plus(decoded, dec);
      if (all > largest) {
        largest = all;
        named = m.name();
      }
    }
    long total = plus(encoded, decoded);
    if (total <= budget) {
      return first;
    }
    long row = perItem(total, n);
    long fit = Math.max(0, budget) / row;
    long mb = 1 << 20;
    throw new IllegalArgumentException(
        "the reference pool's values and encodings would need "
            + number(Math.max(1, total / mb))
            + " MB ("
            + number(n)
            + " datapoints of "
            + number(Math.max(1, encoded / n / 1024))
            + " KB encoded and "
            + number(Math.max(1, decoded / n / 1024))
            + " KB as read, most of it modality '"
            + named
            + "'), and they stay in memory for the whole run: at most "
            + number(fit)
            + " fit in the "
            + number(Math.max(0, budget) / mb)
            + " MB the pool may take (half of the JVM's heap); "
            + (fit > 0 ? "take a smaller pool (dime explain --pool-size " + fit + ") or " : "")
            + HeapAdvice.MORE_HEAP);
  }

  /**
   * A plugin's {@link Modality#valueBytes} of a pool value; a failure of its code (a new SPI
   * method, maybe left half done) is named with the modality and plugin, not thrown bare.
   *
   * @throws IllegalStateException naming the modality, its plugin and the exception
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static long valueBytes(Modality m, Object value) {
    try {
      return m.valueBytes(value);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "modality '"
              + m.name()
              + "' (plugin "
              + m.kind()
              + ") failed counting the bytes of a reference pool value (Modality#valueBytes): "
              + PluginErrors.describe(e),
          e);
    }
  }

  /**
   * {@code a + b} for byte counts (not negative), at most {@link Long#MAX_VALUE}: a plugin's {@link
   * Modality#valueBytes} may be as large as a long holds, and a sum that wrapped round to a
   * negative count would let any pool pass.
   */
  static long plus(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  /** {@code a * b} for counts (not negative), at most {@link Long#MAX_VALUE}. */
  static long times(long a, long b) {
    return a == 0 || b <= Long.MAX_VALUE / a ? a * b : Long.MAX_VALUE;
  }

  /** {@code bytes / n} rounded up (n &gt; 0), without overflow. */
  static long perItem(long bytes, long n) {
    return bytes / n + (bytes % n == 0 ? 0 : 1);
  }

  /** A count with thousands separators, as the pool's messages write it. */
  static String number(long n) {
    return String.format(java.util.Locale.ROOT, "%,d", n);
  }
}
