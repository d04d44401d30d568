package io.dime.spi;

import io.dime.api.TensorSpec;
import java.util.List;
import java.util.Optional;

/**
 * A model's inputs and outputs. Shapes include the batch dimension; -1 marks a dynamic dimension.
 *
 * @param inputs the inputs in the model's order; copied, not null
 * @param outputs the outputs in the model's order; copied, not null
 * @since 0.1
 */
public record ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
  /**
   * Copies the lists.
   *
   * @throws NullPointerException when a list or an element is null
   */
  public ModelSignature {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /**
   * The input of that name.
   *
   * @param name an input name
   * @return the input, or empty when the model has none of that name
   */
  public Optional<TensorSpec> input(String name) {
    return inputs.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /**
   * The output of that name.
   *
   * @param name an output name
   * @return the output, or empty when the model has none of that name
   */
  public Optional<TensorSpec> output(String name) {
    return outputs.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
