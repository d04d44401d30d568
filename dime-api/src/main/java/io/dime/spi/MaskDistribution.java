package io.dime.spi;

/**
 * How LIME draws masks for a modality (the {@code lime} package's conventions).
 *
 * @since 0.1
 */
public enum MaskDistribution {
  /** Each feature kept independently with probability 1/2 (LIME's image explainer). */
  BERNOULLI_HALF,
  /**
   * A number of features to hide drawn uniformly from 1..d, then that many features hidden
   * uniformly at random (LIME's text explainer).
   */
  UNIFORM_COUNT
}
