package io.dime.core.infer;

import io.dime.api.MultimodalModel;
import java.util.ArrayList;
import java.util.List;

/**
 * A model whose work splits into encoding (Java, on the caller's thread) and running (the runtime,
 * on a model thread), so that the two overlap: while the runtime runs one batch, the next one is
 * built and encoded. {@link #predict} must equal {@code run(encode(rows))}.
 */
public interface StagedModel extends MultimodalModel {
  /** Encodes a batch into the runtime's inputs (thread-safe; no model call). */
  Object encode(List<Object[]> rows);

  /**
   * Encodes the first {@code n} rows of a batch held as columns: {@code cols[j][i]} is modality j
   * of row i. {@code pinned[j][i]}, when {@code pinned} is not null, may name the position of that
   * value among the model's pinned values (-1: unknown), so that it is found without a lookup. Must
   * equal {@link #encode(List)} of the same rows; the default builds the rows and ignores the
   * positions. The arrays are the caller's again once this returns.
   */
  default Object encode(Object[][] cols, int[][] pinned, int n) {
    return encode(rows(cols, n));
  }

  /** The first n rows of a batch held as columns ({@code cols[j][i]}: modality j of row i). */
  static List<Object[]> rows(Object[][] cols, int n) {
    List<Object[]> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Object[] row = new Object[cols.length];
      for (int j = 0; j < cols.length; j++) {
        row[j] = cols[j][i];
      }
      rows.add(row);
    }
    return rows;
  }

  /** Runs an encoded batch. */
  double[][] run(Object encoded);

  /**
   * Runs an encoded batch and returns its outputs row-major in one array ({@code n * C} values);
   * the default flattens {@link #run}.
   */
  default double[] runFlat(Object encoded) {
    double[][] out = run(encoded);
    int c = out.length == 0 ? 0 : out[0].length;
    double[] flat = new double[out.length * c];
    for (int i = 0; i < out.length; i++) {
      if (out[i].length != c) {
        throw new io.dime.api.ModelException(
            "model returned rows of " + c + " and " + out[i].length + " outputs");
      }
      System.arraycopy(out[i], 0, flat, i * c, c);
    }
    return flat;
  }

  /**
   * Whether the explained scores depend on the explained point (a sequence decoded there): rows of
   * one point's explanation must then be run with the point's {@link #bind binding}.
   */
  default boolean pointBound() {
    return false;
  }

  /**
   * The state the explained scores keep for one point (one more model call on the point), for
   * {@link #runFlat(Object, Object)}; null when {@link #pointBound()} is false.
   */
  default Object bind(Object[] point) {
    return null;
  }

  /**
   * Runs an encoded batch of one point's explanation with the point's {@link #bind binding} (null:
   * no point; rows are scored on their own); the default ignores the binding.
   */
  default double[] runFlat(Object encoded, Object binding) {
    return runFlat(encoded);
  }

  @Override
  default double[][] predict(List<Object[]> rows) {
    return run(encode(rows));
  }
}
