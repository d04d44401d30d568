package io.dime.spi;

import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import java.util.List;

/**
 * Turns one (possibly perturbed) modality value into the model-input tensors of one row. One
 * modality may fill several tensors ({@code input_ids} and {@code attention_mask}).
 *
 * <p>The engine also reads the float tensors of pool values as numbers that describe them, to
 * choose representative references for the exact estimator (integer tensors such as token ids are
 * not read that way), and every pool value must encode into tensors of the same shapes, since pool
 * values share batches with every explained row.
 *
 * @param <V> the modality's value type
 * @since 0.1
 */
public interface Encoder<V> {
  /**
   * The tensors one row produces: names, element types and per-row shapes (no batch dimension; -1
   * for a dimension known only when encoding). The same list on every call; never null or empty.
   */
  List<TensorSpec> outputs();

  /**
   * Encodes one value.
   *
   * @param value a value read or checked by the modality, or one its feature set made; not null
   * @return one tensor per entry of {@link #outputs()}, same order, per-row shapes
   * @throws io.dime.api.InputException if the value cannot be encoded
   */
  List<Tensor> encode(V value);
}
