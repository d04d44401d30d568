package io.dime.core.infer;

import io.dime.api.Tensor;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An encoded batch. With {@code recycle} its arrays go back to {@link EncodedModel}'s recycler once
 * the adapter has run it (an adapter that does not keep its inputs), so it runs only once.
 */
final class EncodedBatch {
  private final int rows;
  private final Map<String, Tensor> inputs;
  private final boolean recycle;
  private final AtomicBoolean ran = new AtomicBoolean();

  EncodedBatch(int rows, Map<String, Tensor> inputs, boolean recycle) {
    this.rows = rows;
    this.inputs = inputs;
    this.recycle = recycle;
  }

  boolean recycle() {
    return recycle;
  }

  int rows() {
    return rows;
  }

  Map<String, Tensor> inputs() {
    return inputs;
  }

  /** Claims the batch for its one run; refuses a second run of a recycled batch. */
  void claim() {
    if (ran.getAndSet(true) && recycle) {
      throw new IllegalStateException("an encoded batch runs once (its arrays are reused)");
    }
  }
}
