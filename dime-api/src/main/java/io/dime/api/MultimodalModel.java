package io.dime.api;

import java.util.List;
import java.util.Map;

/**
 * The black box being explained: a batch of k-tuples of modality values in, a batch of output
 * vectors out. DIME only calls it.
 *
 * <p>Implementations must be safe to call from several threads at once, or say otherwise in {@link
 * #threadSafe()}. They must not keep references to the rows after returning.
 *
 * @since 0.1
 */
public interface MultimodalModel extends AutoCloseable {
  /**
   * Runs the model.
   *
   * @param rows the batch; each row holds one value per modality in pipeline order (never null)
   * @return one output vector per row, each of length {@link #outputCount()}
   * @throws ModelException if the model fails; the rows of that batch are reported as failed
   */
  double[][] predict(List<Object[]> rows);

  /** Number of outputs per row (classes, or 1 for regression). */
  int outputCount();

  /** Names of the outputs (class names), of length {@link #outputCount()}. */
  default List<String> outputNames() {
    List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < outputCount(); i++) {
      names.add(Integer.toString(i));
    }
    return names;
  }

  /** What the outputs are; {@link OutputKind#LOGITS} unless the model says otherwise. */
  default OutputKind outputKind() {
    return OutputKind.LOGITS;
  }

  /** Whether {@link #predict} may be called concurrently. */
  default boolean threadSafe() {
    return true;
  }

  /** Description for provenance: adapter, file, SHA-256, runtime versions. */
  default Map<String, Object> provenance() {
    return Map.of("model", getClass().getName());
  }

  @Override
  default void close() {}
}
