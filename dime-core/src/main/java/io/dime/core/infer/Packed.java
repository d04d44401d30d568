package io.dime.core.infer;

import io.dime.api.ElementType;
import io.dime.api.Tensor;
import java.util.List;

/**
 * The pinned encodings of one modality, packed: entry p of tensor t is at {@code data[t][p * len[t]
 * ..]}, so copying a pinned row touches the index and one contiguous array.
 */
record Packed(IdentityIntTable index, Object[] keys, Object[] data, int[] len, long[][] shape) {
  static final Packed EMPTY =
      new Packed(IdentityIntTable.EMPTY, new Object[0], new Object[0], new int[0], null);

  static Packed of(List<Object> keys, List<List<Tensor>> encodings) {
    if (keys.isEmpty()) {
      return EMPTY;
    }
    int tensors = encodings.get(0).size();
    Object[] data = new Object[tensors];
    int[] len = new int[tensors];
    long[][] shape = new long[tensors][];
    for (int t = 0; t < tensors; t++) {
      Tensor first = encodings.get(0).get(t);
      len[t] = first.size();
      shape[t] = first.shape();
      boolean f = first.type() == ElementType.FLOAT32;
      data[t] = f ? new float[keys.size() * len[t]] : new long[keys.size() * len[t]];
      for (int p = 0; p < keys.size(); p++) {
        Tensor x = encodings.get(p).get(t);
        if (x.size() != len[t] || x.type() != first.type()) {
          return null; // values of different sizes: no packing, the slow path handles them
        }
        System.arraycopy(f ? x.floats() : x.longs(), 0, data[t], p * len[t], len[t]);
      }
    }
    Object[] ks = keys.toArray();
    return new Packed(new IdentityIntTable(ks), ks, data, len, shape);
  }

  /** The bytes of one row of every modality's tensors; 0 while a modality has none pinned. */
  static long rowBytes(Packed[] pins) {
    long bytes = 0;
    for (Packed p : pins) {
      if (p.shape() == null) {
        return 0;
      }
      for (int t = 0; t < p.len().length; t++) {
        bytes += (long) p.len()[t] * (p.data()[t] instanceof float[] ? Float.BYTES : Long.BYTES);
      }
    }
    return bytes;
  }
}
