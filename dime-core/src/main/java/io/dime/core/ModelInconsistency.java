package io.dime.core;

/**
 * A model that answers the same input in two ways ({@link Dime#determinism}).
 *
 * @param batchDependent true when a row's output depends on the other rows of its call (it differs
 *     alone and in a batch, as with batch normalisation left in training mode); false when two
 *     calls of the same rows differ (a random layer, dropout left on)
 * @param detail the first difference: "pool record 'ID' got A and then B for 'OUTPUT' from the same
 *     input", or for a batch "... got A in a call of N rows and B alone ..."
 * @since 0.3
 */
public record ModelInconsistency(boolean batchDependent, String detail) {
  public ModelInconsistency {
    java.util.Objects.requireNonNull(detail, "detail is null");
  }
}
