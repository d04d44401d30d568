package io.dime.api;

/**
 * What a surrogate fit explains.
 *
 * @since 0.1
 */
public enum TargetKind {
  /** One functional-ANOVA term g_S with S containing the explained modality. */
  TERM,
  /**
   * UC_m: the unimodal contributions (the paper's UC, g_E plus every order-1 term) over the
   * explained modality's features. Only g_m varies with them, so the weights explain g_m; the
   * intercept and the local prediction also hold the constant g_E and the other modalities' order-1
   * terms at the point (for k = 2 the local prediction is the point's UC = g_E + g_1 + g_2).
   */
  UC,
  /**
   * MI_m: the multimodal interactions (every term of order 2 or more) over the explained modality's
   * features. The weights explain the interaction terms that contain modality m; the intercept and
   * the local prediction also hold the interaction terms without it at the point (constant over m's
   * samples), so the local prediction is the point's whole MI.
   */
  MI,
  /** The terms above the interaction cap that contain the explained modality, lumped together. */
  RESIDUAL,
  /** Plain LIME on the model output itself, for comparison. */
  MODEL
}
