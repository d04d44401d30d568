package io.dime.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Explanations of one class on one modality's features: one surrogate fit per target (every term
 * containing the modality, the aggregates UC and MI, plain LIME), all from the same samples.
 *
 * @param modality the modality's name in the pipeline
 * @param featureNames one name per feature (superpixel "s12", word "man@12", entry "x3")
 * @param fits the fits, in a stable order: terms by order, then UC, MI, residual, LIME
 * @since 0.1
 */
public record ModalityExplanation(
    String modality, List<String> featureNames, List<SurrogateFit> fits) {
  public ModalityExplanation {
    requireNonNull(modality, "modality is null");
    featureNames = List.copyOf(featureNames);
    fits = List.copyOf(fits);
  }

  /** The fit with the given key ("UC", "MI", "LIME", "g12"). */
  public Optional<SurrogateFit> fit(String key) {
    return fits.stream().filter(f -> f.key().equals(key)).findFirst();
  }
}
