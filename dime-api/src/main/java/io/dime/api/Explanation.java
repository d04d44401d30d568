package io.dime.api;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The explanation of one datapoint: the model's outputs, one {@link ClassExplanation} per explained
 * class, forward-pass counts, provenance (every parameter, the seed, plugin and library versions)
 * timings and, once per datapoint, where each modality's features lie in the input.
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
 * @param featureMaps per modality name, where its features lie in the input (since 0.2); a modality
 *     whose plugin gives no {@link io.dime.spi.FeatureSet#featureMap() map} is absent; null reads
 *     as empty (records written before 0.2)
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
    Timings timings,
    Map<String, FeatureMap> featureMaps)
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
    Map<String, FeatureMap> maps = new LinkedHashMap<>();
    if (featureMaps != null) {
      for (Map.Entry<String, FeatureMap> e : featureMaps.entrySet()) {
        if (!modalities.contains(e.getKey())) {
          throw new IllegalArgumentException(
              "record '"
                  + id
                  + "': a feature map for '"
                  + e.getKey()
                  + "', which is not one of the modalities "
                  + modalities);
        }
        maps.put(e.getKey(), requireNonNull(e.getValue(), "feature map is null"));
      }
    }
    featureMaps = Collections.unmodifiableMap(maps);
  }

  /** An explanation without feature maps (the 0.1 form). */
  public Explanation(
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
      Timings timings) {
    this(
        schemaVersion,
        id,
        modalities,
        outputs,
        predicted,
        label,
        classes,
        passes,
        warnings,
        provenance,
        timings,
        Map.of());
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
        timings,
        featureMaps);
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
