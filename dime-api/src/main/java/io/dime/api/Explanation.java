package io.dime.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The explanation of one datapoint: the model's outputs, one {@link ClassExplanation} per explained
 * class, forward-pass counts, provenance (every parameter, the seed, plugin and library versions)
 * and timings.
 *
 * @param schemaVersion version of this record's JSON form
 * @param id the datapoint id
 * @param modalities modality names in pipeline order (term keys index into this list, 1-based)
 * @param outputs the model's (transformed) outputs at the point
 * @param predicted index of the largest output
 * @param label the datapoint's label, if any
 * @param classes the explained classes
 * @param passes model passes used
 * @param warnings things the user must know (probabilities explained as log-probabilities, ...)
 * @param provenance parameters, seed, versions, reference draws
 * @param timings wall-clock timings (not deterministic)
 * @since 0.1
 */
public record Explanation(
    int schemaVersion,
    String id,
    List<String> modalities,
    double[] outputs,
    int predicted,
    Optional<String> label,
    List<ClassExplanation> classes,
    PassCount passes,
    List<String> warnings,
    Provenance provenance,
    Timings timings)
    implements ExplainResult {
  /** The current JSON schema version. */
  public static final int SCHEMA_VERSION = 1;

  public Explanation {
    requireNonNull(id, "id is null");
    modalities = List.copyOf(modalities);
    requireNonNull(outputs, "outputs is null");
    requireNonNull(label, "label is null");
    classes = List.copyOf(classes);
    requireNonNull(passes, "passes is null");
    warnings = List.copyOf(warnings);
    requireNonNull(provenance, "provenance is null");
    requireNonNull(timings, "timings is null");
  }

  /** This explanation with another provenance (e.g. with the digest of the record's inputs). */
  public Explanation withProvenance(Provenance newProvenance) {
    return new Explanation(
        schemaVersion,
        id,
        modalities,
        outputs,
        predicted,
        label,
        classes,
        passes,
        warnings,
        newProvenance,
        timings);
  }

  @Override
  public Optional<String> recordId() {
    return Optional.of(id);
  }

  /** The explanation of one class by output index. */
  public ClassExplanation forClass(int classIndex) {
    return classes.stream()
        .filter(c -> c.classIndex() == classIndex)
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("class " + classIndex + " was not explained"));
  }
}
