package io.dime.api;

import java.util.List;
import java.util.Map;

/**
 * The black box being explained: a batch of k-tuples of modality values in, a batch of output
 * vectors out. DIME only calls it.
 *
 * <p>Implementations must be safe to call from several threads at once, or say otherwise in {@link
 * #threadSafe()}, in which case the engine calls them from one thread at a time. They must not keep
 * references to the rows after returning. The engine copies the arrays {@link #predict} returns as
 * it returns, so a model may fill the same arrays again on its next call; it must return a distinct
 * array for each row of a batch (the engine refuses one array for two rows in a row).
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

  /**
   * Asks the model to end, as soon as it can, the call it is running on {@code thread}. The engine
   * calls it when a record's time limit passes during a model call on that thread, right after
   * interrupting the thread; the call so ended throws (its record fails at its limit, the other
   * records go on). The default does nothing, which is right for a model that answers an interrupt
   * (a sleep, a blocking read); a model whose calls run in native code that ignores interrupts
   * should end them here. It must be safe to call from any thread at any time, also when no call is
   * running on {@code thread}, and must not end calls on other threads.
   *
   * @param thread the thread whose call should end, not null
   * @since 0.3
   */
  default void interruptCalls(Thread thread) {}

  /** Description for provenance: adapter, file, SHA-256, runtime versions. */
  default Map<String, Object> provenance() {
    return Map.of("model", getClass().getName());
  }

  @Override
  default void close() {}
}
