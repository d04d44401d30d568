package io.dime.core.infer;

import io.dime.api.ElementType;
import io.dime.api.Tensor;
import io.dime.spi.Modality;
import java.util.List;
import java.util.function.Function;

/**
 * The pinned encodings of one modality, packed: entry p of tensor t is at {@code data[t][p * len[t]
 * ..]}, so copying a pinned row touches the index and one contiguous array.
 */
record Packed(
    IdentityIntTable index, Object[] keys, Object[] data, int[] len, long[][] shape, long decoded) {
  static final Packed EMPTY =
      new Packed(IdentityIntTable.EMPTY, new Object[0], new Object[0], new int[0], null, 0);

  /** The most elements a Java array holds (a few under 2^31 - 1 on common JVMs). */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  /**
   * This packing with values appended: each value is encoded and copied into the packed arrays at
   * once, so no value's own encodings outlive its copy (they were all kept beside the packed
   * arrays, twice the pinned memory). Refused before anything is encoded past the first value when
   * the packed arrays and the values themselves, which stay too, would need more than {@code
   * budget} bytes, or the arrays more elements than an array holds.
   *
   * @param encoded the first value's encodings, made before ({@link PoolBudget#check}), or null to
   *     encode it here: no value is encoded twice
   * @param m the values' modality: its encoder, {@code Modality#valueBytes} and name
   * @return null when the encodings have different sizes or element types
   * @throws IllegalArgumentException naming the bytes needed, the budget and how many values fit
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Packed append(Packed old, List<?> values, List<Tensor> encoded, Modality m, long budget) {
    int had = old.keys().length;
    if (values.isEmpty()) {
      return old;
    }
    String modality = m.name();
    Function<Object, List<Tensor>> encode = m.encoder()::encode;
    long decoded = 0;
    for (Object v : values) {
      decoded = PoolBudget.plus(decoded, Math.max(0, m.valueBytes(v)));
    }
    long valueRow = PoolBudget.perItem(decoded, values.size());
    List<Tensor> first = encoded != null ? encoded : had == 0 ? encode.apply(values.get(0)) : null;
    int tensors = had == 0 ? first.size() : old.len().length;
    long n = (long) had + values.size();
    int[] len = new int[tensors];
    long[][] shape = new long[tensors][];
    boolean[] floats = new boolean[tensors];
    long rowBytes = 0;
    long fit = Long.MAX_VALUE;
    for (int t = 0; t < tensors; t++) {
      len[t] = had == 0 ? first.get(t).size() : old.len()[t];
      shape[t] = had == 0 ? first.get(t).shape() : old.shape()[t];
      floats[t] =
          had == 0 ? first.get(t).type() == ElementType.FLOAT32 : old.data()[t] instanceof float[];
      rowBytes += (long) len[t] * (floats[t] ? Float.BYTES : Long.BYTES);
      fit = Math.min(fit, len[t] == 0 ? Long.MAX_VALUE : MAX_ARRAY / len[t]);
    }
    long row = PoolBudget.plus(rowBytes, valueRow);
    long heapFit = row == 0 ? Long.MAX_VALUE : Math.max(0, budget) / row;
    // the bytes themselves, not n times the values' mean rounded up (a false refusal of values of
    // different sizes); heapFit, under n past the budget, is only the count the message names
    if (n > fit || PoolBudget.plus(PoolBudget.times(n, rowBytes), decoded) > budget) {
      throw new IllegalArgumentException(
          tooMany(modality, n, rowBytes, valueRow, budget, Math.min(fit, heapFit), fit < heapFit));
    }
    Object[] data = new Object[tensors];
    for (int t = 0; t < tensors; t++) {
      int size = (int) (n * len[t]);
      data[t] = floats[t] ? new float[size] : new long[size];
      if (had > 0) {
        System.arraycopy(old.data()[t], 0, data[t], 0, had * len[t]);
      }
    }
    for (int p = 0; p < values.size(); p++) {
      List<Tensor> e = p == 0 && first != null ? first : encode.apply(values.get(p));
      if (e.size() != tensors) {
        return null;
      }
      for (int t = 0; t < tensors; t++) {
        Tensor x = e.get(t);
        if (x.size() != len[t] || (x.type() == ElementType.FLOAT32) != floats[t]) {
          return null; // values of different sizes: no packing, the slow path handles them
        }
        Object from = floats[t] ? x.floats() : x.longs();
        System.arraycopy(from, 0, data[t], (had + p) * len[t], len[t]);
      }
    }
    Object[] ks = new Object[(int) n];
    System.arraycopy(old.keys(), 0, ks, 0, had);
    for (int p = 0; p < values.size(); p++) {
      ks[had + p] = values.get(p);
    }
    return new Packed(new IdentityIntTable(ks), ks, data, len, shape, old.decoded() + decoded);
  }

  private static String tooMany(
      String modality,
      long n,
      long rowBytes,
      long valueRow,
      long budget,
      long fit,
      boolean arrays) {
    long mb = 1 << 20;
    return "the reference pool's "
        + (valueRow > 0 ? "values and encodings" : "encodings")
        + " of modality '"
        + modality
        + "' would need "
        + PoolBudget.number(
            Math.max(1, PoolBudget.times(n, PoolBudget.plus(rowBytes, valueRow)) / mb))
        + " MB ("
        + PoolBudget.number(n)
        + " datapoints of "
        + PoolBudget.number(Math.max(1, rowBytes / 1024))
        + " KB encoded"
        + (valueRow > 0
            ? " and " + PoolBudget.number(Math.max(1, valueRow / 1024)) + " KB as read"
            : "")
        + "), and they stay in memory for the whole run: at most "
        + PoolBudget.number(fit)
        + (arrays
            ? " fit in one Java array (2^31 values)"
            : " fit in the "
                + PoolBudget.number(Math.max(0, budget) / mb)
                + " MB the pool may take (half of the JVM's heap, less what other modalities"
                + " pinned)")
        + "; "
        + (fit > 0 ? "take a smaller pool (dime explain --pool-size " + fit + ") or " : "")
        + HeapAdvice.MORE_HEAP;
  }

  /** The bytes of every modality's pinned values as read. */
  static long decoded(Packed[] pins) {
    long bytes = 0;
    for (Packed p : pins) {
      bytes += p.decoded();
    }
    return bytes;
  }

  /** The bytes of every modality's packed arrays but one's. */
  static long bytes(Packed[] pins, int except) {
    long bytes = 0;
    for (int j = 0; j < pins.length; j++) {
      for (int t = 0; j != except && t < pins[j].data().length; t++) {
        Object d = pins[j].data()[t];
        bytes += (long) java.lang.reflect.Array.getLength(d) * elementBytes(d);
      }
    }
    return bytes;
  }

  /** The bytes of one row of every modality's tensors; 0 while a modality has none pinned. */
  static long rowBytes(Packed[] pins) {
    long bytes = 0;
    for (Packed p : pins) {
      if (p.shape() == null) {
        return 0;
      }
      for (int t = 0; t < p.len().length; t++) {
        bytes += (long) p.len()[t] * elementBytes(p.data()[t]);
      }
    }
    return bytes;
  }

  /** The bytes of one element of a packed array (float[] or long[]). */
  private static int elementBytes(Object data) {
    return data instanceof float[] ? Float.BYTES : Long.BYTES;
  }
}
