package io.dime.core.infer;

import io.dime.api.MultimodalModel;
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
   * Encodes a batch queued by {@link BatchRunner}; must equal {@link #encode(List)} of the same
   * rows. The default builds the rows. The batch is the caller's again once this returns.
   */
  default Object encode(RowBatch batch) {
    return encode(batch.rows(this));
  }

  /**
   * The position of {@code value} among this model's pinned values of modality {@code modality} (by
   * identity), or -1. Positions stay valid for the model's life.
   */
  default int pinnedPosition(int modality, Object value) {
    return -1;
  }

  /** The pinned value of modality {@code modality} at {@code position}, or null if none. */
  default Object pinnedValue(int modality, int position) {
    return null;
  }

  /**
   * The bytes a row like {@code row} takes once encoded (every input tensor's share), or 0 when not
   * known; {@link BatchRunner} caps a batch's rows by it ({@link BatchRunner#BATCH_BYTES}).
   */
  default long rowBytes(Object[] row) {
    return 0;
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
