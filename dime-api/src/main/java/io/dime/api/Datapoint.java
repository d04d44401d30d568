package io.dime.api;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One example to explain or to draw references from: an id, one value per modality (keyed by the
 * modality's name in the pipeline, in pipeline order) and an optional label.
 *
 * <p>Values are whatever the modality plugin reads ({@code double[]} for vectors, an image object
 * for images, a {@code String} for text). They are treated as immutable: nothing in DIME changes a
 * value in place.
 *
 * @param id stable identifier; seeds are derived from it, so it must not change between runs
 * @param values modality name to value, never null, no null values
 * @param label the ground-truth class name, if known
 * @since 0.1
 */
public record Datapoint(String id, Map<String, Object> values, Optional<String> label) {
  public Datapoint {
    requireNonNull(id, "id is null");
    requireNonNull(values, "values is null");
    requireNonNull(label, "label is null");
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          requireNonNull(k, "modality name is null");
          requireNonNull(v, () -> "value of modality '" + k + "' is null in datapoint " + id);
          copy.put(k, v);
        });
    values = Collections.unmodifiableMap(copy);
  }

  /** A datapoint without a label. */
  public static Datapoint of(String id, Map<String, Object> values) {
    return new Datapoint(id, values, Optional.empty());
  }

  /** The value of a modality, or an {@link InputException} naming the datapoint and modality. */
  public Object value(String modality) {
    Object v = values.get(modality);
    if (v == null) {
      throw new InputException(
          id, "missing modality '" + modality + "'; present: " + values.keySet());
    }
    return v;
  }
}
