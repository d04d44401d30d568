package io.dime.spi;

import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import java.util.List;

/**
 * Turns one (possibly perturbed) modality value into the model-input tensors of one row. One
 * modality may fill several tensors ({@code input_ids} and {@code attention_mask}).
 *
 * @param <V> the modality's value type
 * @since 0.1
 */
public interface Encoder<V> {
  /** The tensors one row produces: names, types and per-row shapes (no batch dimension). */
  List<TensorSpec> outputs();

  /**
   * Encodes one value.
   *
   * @return one tensor per entry of {@link #outputs()}, same order, per-row shapes
   * @throws io.dime.api.InputException if the value cannot be encoded
   */
  List<Tensor> encode(V value);
}
