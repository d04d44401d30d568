package io.dime.spi;

import io.dime.api.TensorSpec;
import java.util.List;
import java.util.Optional;

/**
 * A model's inputs and outputs. Shapes include the batch dimension; -1 marks a dynamic dimension.
 */
public record ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
  public ModelSignature {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  public Optional<TensorSpec> input(String name) {
    return inputs.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  public Optional<TensorSpec> output(String name) {
    return outputs.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
