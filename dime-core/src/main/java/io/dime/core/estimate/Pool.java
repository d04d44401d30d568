package io.dime.core.estimate;

import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * The reference pool: datapoints whose modality values define the expectations. {@code
 * values[i][j]} is modality j of pool datapoint i.
 */
public final class Pool implements io.dime.core.infer.BatchRunner.PoolValues {
  private final Object[][] byModality; // [j][i]: one contiguous array per modality
  private final List<String> ids;
  private final int k;
  private final IntFunction<double[]> summarizer;

  /** At most this many summary numbers per modality (see {@link #summary}). */
  public static final int SUMMARY_WIDTH = 256;

  /** A pool whose summaries come from the values themselves (see {@link #summary}). */
  public Pool(List<String> ids, Object[][] values, int k) {
    this(ids, values, k, null);
  }

  /**
   * A pool.
   *
   * @param summarizer datapoint index to its numeric summary (used to choose representative
   *     references), or null for the default of {@link #summary}
   */
  public Pool(List<String> ids, Object[][] values, int k, IntFunction<double[]> summarizer) {
    this.summarizer = summarizer;
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
  @Override
  public Object value(int i, int j) {
    return byModality[j][i];
  }

  public String id(int i) {
    return ids.get(i);
  }

  public List<String> ids() {
    return ids;
  }

  /**
   * Numbers that describe pool datapoint i for choosing representative references: by default each
   * modality's value when it is a {@code double[]} or {@code float[]}, block-averaged by {@link
   * #blockMeans} (other values add nothing); the engine supplies the float tensors its modalities
   * encode into instead.
   */
  public double[] summary(int i) {
    if (summarizer != null) {
      return summarizer.apply(i);
    }
    double[] out = new double[0];
    for (int j = 0; j < k; j++) {
      Object v = byModality[j][i];
      double[] x = null;
      if (v instanceof double[] d) {
        x = d;
      } else if (v instanceof float[] f) {
        x = new double[f.length];
        for (int c = 0; c < f.length; c++) {
          x[c] = f[c];
        }
      }
      if (x != null) {
        double[] b = blockMeans(x, x.length);
        double[] joined = java.util.Arrays.copyOf(out, out.length + b.length);
        System.arraycopy(b, 0, joined, out.length, b.length);
        out = joined;
      }
    }
    return out;
  }

  /**
   * The first {@code length} numbers of x, or, when there are more than {@link #SUMMARY_WIDTH}, the
   * means of {@link #SUMMARY_WIDTH} contiguous blocks of them (block b covers [b L / W, (b + 1) L /
   * W)).
   */
  public static double[] blockMeans(double[] x, int length) {
    if (length <= SUMMARY_WIDTH) {
      return java.util.Arrays.copyOf(x, length);
    }
    double[] out = new double[SUMMARY_WIDTH];
    for (int b = 0; b < SUMMARY_WIDTH; b++) {
      int from = (int) ((long) b * length / SUMMARY_WIDTH);
      int to = (int) ((long) (b + 1) * length / SUMMARY_WIDTH);
      double acc = 0;
      for (int c = from; c < to; c++) {
        acc += x[c];
      }
      out[b] = acc / (to - from);
    }
    return out;
  }

  /** n indices chosen reproducibly from the seed (the whole pool in order when it is smaller). */
  public int[] choose(int n, long seed) {
    return FixedReferences.choose(ids.size(), n, seed);
  }
}
