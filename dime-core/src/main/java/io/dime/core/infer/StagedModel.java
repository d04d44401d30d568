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

  /** Runs an encoded batch. */
  double[][] run(Object encoded);

  @Override
  default double[][] predict(List<Object[]> rows) {
    return run(encode(rows));
  }
}
