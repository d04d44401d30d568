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
   * Asks the adapter to end, as soon as it can, the {@link #run} it is running on {@code thread},
   * which then throws a {@link io.dime.api.ModelException}: the engine calls it when a record's
   * time limit passes during a call on that thread, right after interrupting the thread. The
   * default does nothing, which is right for an adapter that answers an interrupt (a blocking read,
   * a sleep); one whose calls run in native code that ignores interrupts should end them here (the
   * ONNX Runtime adapter sets the run's terminate flag). Safe to call from any thread at any time,
   * also when no call is running on {@code thread}; it must not end calls on other threads.
   *
   * @param thread the thread whose call should end, not null
   * @since 0.3
   */
  default void interruptCalls(Thread thread) {}

  /**
   * The element types the model itself declares for the inputs and outputs that {@link
   * #signature()} reports as another type because the adapter converts them (a UINT8 image input
   * reported as FLOAT32 and rounded when fed), by tensor name, spelled as the model's format spells
   * them ({@code UINT8}, {@code INT32}, {@code DOUBLE} for ONNX; {@code UINT8}, {@code FP64} for
   * the Open Inference Protocol). Tensors passed as they are do not appear. {@code dime
   * inspect-model} shows these, and guesses settings from them (a UINT8 image takes pixels 0 to
   * 255). The default: none.
   *
   * @since 0.3
   */
  default Map<String, String> modelTypes() {
    return Map.of();
  }

  /**
   * The class labels the model itself declares for an output, in the order of the output's values,
   * by output name (the labels of a scikit-learn classifier's ZipMap, whose maps an adapter returns
   * as one score per class). {@code dime inspect-model} writes them as the pipeline's {@code
   * classNames}. The default: none.
   *
   * @since 0.3
   */
  default Map<String, List<String>> outputLabels() {
    return Map.of();
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
