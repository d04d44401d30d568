package io.dime.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.spi.View;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One datapoint of the report: its line of {@code explanations.jsonl} and the views the modality
 * plugins drew for it. The report renders one card per datapoint, in the order given.
 *
 * <p>The line is either a serialised {@link io.dime.api.Explanation} (fields {@code id, modalities,
 * outputs, predicted, label, classes, passes, warnings, provenance, timings}) or an error line
 * {@code {"id": ..., "line": ..., "error": {"stage": ..., "message": ...}}} (the id may be null
 * when the record could not be read). Missing fields are shown as missing, never guessed.
 *
 * <p>Views are optional: a modality without an input view shows a note instead, and a fit without a
 * view is drawn from its JSON weights as a plain bar list. Views and figures for fits the line does
 * not have are not shown.
 *
 * @param line the explanation or error line, a JSON object, not null
 * @param inputs per modality name, the view of the raw input (drawn with all weights 0), in
 *     pipeline order; not null, may be empty
 * @param views per fit, the modality's view of the fit's weights; not null, may be empty
 * @param figures per fit, extra figures shown in a small table under the fit (faithfulness:
 *     deletion and insertion scores, ...): name to value, a {@link Number}, {@link String}, {@link
 *     Boolean} or null, in the order given; not null, may be empty
 * @since 0.1
 */
public record DatapointReport(
    JsonNode line,
    Map<String, View> inputs,
    Map<FitRef, View> views,
    Map<FitRef, Map<String, Object>> figures) {
  public DatapointReport {
    requireNonNull(line, "line is null");
    if (!line.isObject()) {
      throw new IllegalArgumentException(
          "an explanation line must be a JSON object, found " + line.getNodeType());
    }
    inputs = copy(inputs, "inputs");
    views = copy(views, "views");
    Map<FitRef, Map<String, Object>> f = new LinkedHashMap<>();
    requireNonNull(figures, "figures is null")
        .forEach(
            (k, v) ->
                f.put(
                    requireNonNull(k, "figures has a null key"),
                    Collections.unmodifiableMap(
                        new LinkedHashMap<>(requireNonNull(v, "figures of " + k + " are null")))));
    figures = Collections.unmodifiableMap(f);
  }

  private static <K, V> Map<K, V> copy(Map<K, V> m, String what) {
    requireNonNull(m, what + " is null");
    Map<K, V> c = new LinkedHashMap<>();
    m.forEach(
        (k, v) ->
            c.put(
                requireNonNull(k, what + " has a null key"),
                requireNonNull(v, what + " of " + k + " is null")));
    return Collections.unmodifiableMap(c);
  }

  /** A datapoint without views: inputs are noted as missing and fits drawn from their weights. */
  public static DatapointReport of(JsonNode line) {
    return new DatapointReport(line, Map.of(), Map.of(), Map.of());
  }

  /** Starts a datapoint from its explanation or error line. */
  public static Builder builder(JsonNode line) {
    return new Builder(line);
  }

  /** True for an error line (a record that could not be explained). */
  public boolean failed() {
    return line.has("error");
  }

  /** The datapoint's id, empty when the line has none (a record whose id could not be read). */
  public Optional<String> id() {
    JsonNode id = line.get("id");
    return id == null || id.isNull() ? Optional.empty() : Optional.of(id.asText());
  }

  /** Collects the views and figures of one datapoint. Not thread-safe. */
  public static final class Builder {
    private final JsonNode line;
    private final Map<String, View> inputs = new LinkedHashMap<>();
    private final Map<FitRef, View> views = new LinkedHashMap<>();
    private final Map<FitRef, Map<String, Object>> figures = new LinkedHashMap<>();

    private Builder(JsonNode line) {
      this.line = requireNonNull(line, "line is null");
    }

    /** The view of one modality's raw input. */
    public Builder input(String modality, View view) {
      inputs.put(
          requireNonNull(modality, "modality is null"), requireNonNull(view, "view is null"));
      return this;
    }

    /** The view of one fit's weights. */
    public Builder view(int classIndex, String modality, String fitKey, View view) {
      views.put(new FitRef(classIndex, modality, fitKey), requireNonNull(view, "view is null"));
      return this;
    }

    /** One extra figure of one fit (shown in the order added). */
    public Builder figure(
        int classIndex, String modality, String fitKey, String name, Object value) {
      requireNonNull(name, "name is null");
      figures
          .computeIfAbsent(new FitRef(classIndex, modality, fitKey), k -> new LinkedHashMap<>())
          .put(name, value);
      return this;
    }

    public DatapointReport build() {
      return new DatapointReport(line, inputs, views, figures);
    }
  }
}
