package io.dime.spi;

/**
 * Creates configured {@link Modality} instances of one kind (image, text, timeseries, vector).
 *
 * @since 0.1
 */
public interface ModalityFactory {
  /** Stable lower_snake name used in pipeline files, e.g. {@code "image"}. Never null. */
  String name();

  /**
   * Creates a modality.
   *
   * @param name the modality's name in the pipeline (also the manifest field it reads), not null
   * @param config its settings (featurizer, perturber, encoder), not null; unknown keys must be
   *     rejected
   * @return the modality, never null
   * @throws IllegalArgumentException for bad settings, naming the setting
   */
  Modality<?> create(String name, PluginConfig config);
}
