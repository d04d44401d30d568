package io.dime.core.estimate;

import java.util.List;
import java.util.Objects;

/**
 * The reference pool: datapoints whose modality values define the expectations. {@code
 * values[i][j]} is modality j of pool datapoint i.
 */
public final class Pool {
  private final Object[][] byModality; // [j][i]: one contiguous array per modality
  private final List<String> ids;
  private final int k;

  public Pool(List<String> ids, Object[][] values, int k) {
    this.ids = List.copyOf(ids);
    this.k = k;
    if (this.ids.size() != values.length) {
      throw new IllegalArgumentException("ids and values differ in length");
    }
    if (values.length == 0) {
      throw new IllegalArgumentException("the reference pool is empty");
    }
    for (int i = 0; i < values.length; i++) {
      Objects.requireNonNull(values[i], "pool row is null");
      if (values[i].length != k) {
        throw new IllegalArgumentException(
            "pool datapoint '"
                + ids.get(i)
                + "' has "
                + values[i].length
                + " values; expected "
                + k);
      }
    }
    this.byModality = new Object[k][values.length];
    for (int i = 0; i < values.length; i++) {
      for (int j = 0; j < k; j++) {
        byModality[j][i] = values[i][j];
      }
    }
  }

  public int size() {
    return ids.size();
  }

  public int modalities() {
    return k;
  }

  /** Modality j of pool datapoint i. */
  public Object value(int i, int j) {
    return byModality[j][i];
  }

  public String id(int i) {
    return ids.get(i);
  }

  public List<String> ids() {
    return ids;
  }

  /** n indices chosen reproducibly from the seed (the whole pool in order when it is smaller). */
  public int[] choose(int n, long seed) {
    return FixedReferences.choose(ids.size(), n, seed);
  }
}
