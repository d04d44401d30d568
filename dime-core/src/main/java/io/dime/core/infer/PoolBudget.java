package io.dime.core.infer;

import io.dime.api.ElementType;
import io.dime.api.Tensor;
import io.dime.spi.Modality;
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
   * @throws IllegalArgumentException naming the bytes needed and how many datapoints fit
   */
  public static void check(List<Modality<?>> modalities, List<? extends Collection<?>> columns) {
    check(modalities, columns, Runtime.getRuntime().maxMemory() / 2);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static void check(
      List<Modality<?>> modalities, List<? extends Collection<?>> columns, long budget) {
    long n = columns.isEmpty() ? 0 : columns.get(0).size();
    if (n == 0) {
      return;
    }
    long encoded = 0;
    long decoded = 0;
    long largest = -1;
    String named = null;
    for (int j = 0; j < modalities.size(); j++) {
      Modality m = modalities.get(j);
      long enc = 0;
      for (Tensor t : (List<Tensor>) m.encoder().encode(columns.get(j).iterator().next())) {
        enc += (long) t.size() * (t.type() == ElementType.FLOAT32 ? Float.BYTES : Long.BYTES);
      }
      long dec = 0;
      for (Object v : columns.get(j)) {
        dec += Math.max(0, m.valueBytes(v));
      }
      encoded += enc * n;
      decoded += dec;
      if (enc * n + dec > largest) {
        largest = enc * n + dec;
        named = m.name();
      }
    }
    if (encoded + decoded <= budget) {
      return;
    }
    long row = (encoded + decoded + n - 1) / n;
    long fit = Math.max(0, budget) / row;
    long mb = 1 << 20;
    throw new IllegalArgumentException(
        "the reference pool's values and encodings would need "
            + number(Math.max(1, (encoded + decoded) / mb))
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

  private static String number(long n) {
    return String.format(java.util.Locale.ROOT, "%,d", n);
  }
}
