package io.dime.testkit;

import static java.util.Objects.requireNonNull;

import io.dime.api.Tensor;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelSignature;
import java.util.Map;
import java.util.function.Function;

/**
 * A model adapter for tests made of a signature and a function from the input tensors to the output
 * tensors: the engine's real encoding, batching and output checks run around a model written in a
 * few lines. It copies nothing, keeps no state and closes to nothing.
 */
public final class FunctionAdapter implements ModelAdapter {
  private final ModelSignature signature;
  private final Map<String, Object> provenance;
  private final Function<Map<String, Tensor>, Map<String, Tensor>> run;

  private FunctionAdapter(
      ModelSignature signature,
      Map<String, Object> provenance,
      Function<Map<String, Tensor>, Map<String, Tensor>> run) {
    this.signature = requireNonNull(signature, "signature is null");
    this.provenance = Map.copyOf(provenance);
    this.run = requireNonNull(run, "run is null");
  }

  /**
   * @param signature the model's inputs and outputs
   * @param provenance what {@link #provenance()} answers
   * @param run the outputs of one batch of inputs (every output, whichever are asked for)
   */
  public static FunctionAdapter of(
      ModelSignature signature,
      Map<String, Object> provenance,
      Function<Map<String, Tensor>, Map<String, Tensor>> run) {
    return new FunctionAdapter(signature, provenance, run);
  }

  @Override
  public ModelSignature signature() {
    return signature;
  }

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> inputs, java.util.List<String> outputNames) {
    return run.apply(inputs);
  }

  @Override
  public Map<String, Object> provenance() {
    return provenance;
  }

  @Override
  public void close() {}
}
