package io.dime.api;

/**
 * What a surrogate fit explains.
 *
 * @since 0.1
 */
public enum TargetKind {
  /** One functional-ANOVA term g_S with S containing the explained modality. */
  TERM,
  /** UC_m: the explained modality's unimodal contribution (its order-1 term g_m). */
  UC,
  /** MI_m: the sum of every interaction term containing the explained modality. */
  MI,
  /** The terms above the interaction cap that contain the explained modality, lumped together. */
  RESIDUAL,
  /** Plain LIME on the model output itself, for comparison. */
  MODEL
}
