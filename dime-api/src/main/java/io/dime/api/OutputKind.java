package io.dime.api;

/**
 * What a model's outputs are. The decomposition is meant for pre-softmax scores: probabilities are
 * explained as log-probabilities (with a warning in the explanation's provenance).
 *
 * @since 0.1
 */
public enum OutputKind {
  /** Pre-softmax scores, one per class (the default). */
  LOGITS,
  /** Class probabilities (rows sum to 1); explained as log-probabilities. */
  PROBABILITIES,
  /** A single regression output. */
  REGRESSION,
  /** Decide from the outputs: rows of non-negative values summing to 1 are probabilities. */
  AUTO
}
