package io.dime.spi;

/**
 * Creates configured surrogates of one kind.
 *
 * @since 0.1
 */
public interface SurrogateFactory {
  /** Stable lower_snake name: "lime", "kernel_shap". Never null. */
  String name();

  /**
   * Creates a surrogate.
   *
   * @param config its settings, not null
   * @return the surrogate, never null
   * @throws IllegalArgumentException for an unknown or bad setting, naming it
   */
  Surrogate create(PluginConfig config);
}
