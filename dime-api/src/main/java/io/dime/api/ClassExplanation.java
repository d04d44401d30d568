package io.dime.api;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Everything explained for one output class of one datapoint.
 *
 * @param classIndex index into the model's outputs
 * @param className the output's name
 * @param reasons why this class is explained: "predicted", "label", "requested"
 * @param output the explained score at the point (logit, log-probability or regression value)
 * @param decomposition the value of every term at the point; the values sum to {@code output}
 * @param modalities one entry per modality, in pipeline order
 * @since 0.1
 */
public record ClassExplanation(
    int classIndex,
    String className,
    List<String> reasons,
    double output,
    List<TermValue> decomposition,
    List<ModalityExplanation> modalities) {
  public ClassExplanation {
    requireNonNull(className, "className is null");
    reasons = List.copyOf(reasons);
    decomposition = List.copyOf(decomposition);
    modalities = List.copyOf(modalities);
  }

  /** The explanation for one modality by name. */
  public ModalityExplanation modality(String name) {
    return modalities.stream()
        .filter(m -> m.modality().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no modality '"
                        + name
                        + "'; available: "
                        + modalities.stream().map(ModalityExplanation::modality).toList()));
  }
}
