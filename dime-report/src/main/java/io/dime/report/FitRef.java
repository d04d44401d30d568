package io.dime.report;

import static java.util.Objects.requireNonNull;

/**
 * Names one surrogate fit of an explanation: the class, the modality and the fit's key ({@link
 * io.dime.api.ClassExplanation#classIndex()}, {@link io.dime.api.ModalityExplanation#modality()},
 * {@link io.dime.api.SurrogateFit#key()}).
 *
 * @param classIndex the explained class's index into the model's outputs, at least 0
 * @param modality the modality's name in the pipeline, not null
 * @param fitKey the fit's key: "UC", "MI", "LIME", "residual" or a term key such as "g12"; not null
 * @since 0.1
 */
public record FitRef(int classIndex, String modality, String fitKey) {
  public FitRef {
    if (classIndex < 0) {
      throw new IllegalArgumentException("classIndex must be at least 0, found " + classIndex);
    }
    requireNonNull(modality, "modality is null");
    requireNonNull(fitKey, "fitKey is null");
  }
}
