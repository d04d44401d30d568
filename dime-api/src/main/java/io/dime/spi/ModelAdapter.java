package io.dime.spi;

import io.dime.api.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Feeds named tensors to a model (in process or on a server) and returns its outputs.
 *
 * <p>Implementations are thread-safe, check names, element types and shapes against {@link
 * #signature()} before running (with messages naming expected and found), split or pad batches when
 * the model has a fixed batch dimension, and release native resources in {@link #close()}.
 *
 * @since 0.1
 */
public interface ModelAdapter extends AutoCloseable {
  /** The model's inputs and outputs. Never null. */
  ModelSignature signature();

  /**
   * Runs one batch.
   *
   * @param inputs one tensor per model input, each with the batch dimension first and the same
   *     batch size n
   * @param outputNames which outputs to return, not null
   * @return the requested outputs, batch dimension first, n rows
   * @throws io.dime.api.ModelException on a mismatch or a runtime failure
   */
  Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> outputNames);

  /**
   * Whether the adapter may still use the input tensors' arrays after {@link #run} returns (keeps
   * them, or hands them on without copying). When false, the engine reuses those arrays for later
   * batches. The default, true, is always safe.
   *
   * @since 0.2
   */
  default boolean keepsInputs() {
    return true;
  }

  /**
   * Adapter name ({@code adapter}), model location ({@code location}), SHA-256 of the model file
   * ({@code sha256}, 64 lower-case hex digits), runtime versions and every setting, as plain data.
   * Never null.
   */
  Map<String, Object> provenance();

  /** Releases the model's resources; later calls do nothing, later {@link #run}s fail. */
  @Override
  void close();
}
