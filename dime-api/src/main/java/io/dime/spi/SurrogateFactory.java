package io.dime.spi;

/**
 * Creates configured surrogates of one kind.
 *
 * @since 0.1
 */
public interface SurrogateFactory {
  /** Stable lower_snake name: "lime", "kernel_shap". */
  String name();

  /** Creates a surrogate; unknown settings are rejected naming the setting. */
  Surrogate create(PluginConfig config);
}
