package io.dime.report;

import static java.util.Objects.requireNonNull;

import io.dime.api.ExplainResult;
import io.dime.api.RecordError;
import io.dime.spi.View;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One datapoint of the report: its outcome (an {@link io.dime.api.Explanation} or a {@link
 * RecordError}, as made in memory or read back from {@code explanations.jsonl}) and the views the
 * modality plugins drew for it. The report renders one card per datapoint, in the order given.
 *
 * <p>Views are optional: a modality without an input view shows a note instead, and a fit without a
 * view is drawn from its weights as a plain bar list. Views and figures for fits the explanation
 * does not have are not shown.
 *
 * @param result the explanation or the error of the datapoint, not null
 * @param inputs per modality name, the view of the raw input (drawn with all weights 0), in
 *     pipeline order; not null, may be empty
 * @param views per fit, the modality's view of the fit's weights; not null, may be empty
 * @param figures per fit, extra figures shown in a small table under the fit (faithfulness:
 *     deletion and insertion scores, ...): name to value, a {@link Number}, {@link String}, {@link
 *     Boolean} or null, in the order given; not null, may be empty
 * @param notes what the report says about the datapoint above its inputs, in red (a redraw's
 *     findings: "its input changed since the run"); not null, may be empty
 * @since 0.1
 */
public record DatapointReport(
    ExplainResult result,
    Map<String, View> inputs,
    Map<FitRef, View> views,
    Map<FitRef, Map<String, Object>> figures,
    List<String> notes) {
  public DatapointReport {
    requireNonNull(result, "result is null");
    notes = List.copyOf(notes);
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

  /** A datapoint without notes. */
  public DatapointReport(
      ExplainResult result,
      Map<String, View> inputs,
      Map<FitRef, View> views,
      Map<FitRef, Map<String, Object>> figures) {
    this(result, inputs, views, figures, List.of());
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
  public static DatapointReport of(ExplainResult result) {
    return new DatapointReport(result, Map.of(), Map.of(), Map.of(), List.of());
  }

  /** This datapoint with more notes (after its own). */
  public DatapointReport withNotes(List<String> more) {
    List<String> all = new ArrayList<>(notes);
    all.addAll(more);
    return new DatapointReport(result, inputs, views, figures, all);
  }

  /** Starts a datapoint from its explanation or error. */
  public static Builder builder(ExplainResult result) {
    return new Builder(result);
  }

  /** True for a {@link RecordError} (a record that could not be explained). */
  public boolean failed() {
    return result instanceof RecordError;
  }

  /** The datapoint's id, empty for an error whose record's id could not be read. */
  public Optional<String> id() {
    return result.recordId();
  }

  /** Collects the views and figures of one datapoint. Not thread-safe. */
  public static final class Builder {
    private final ExplainResult result;
    private final Map<String, View> inputs = new LinkedHashMap<>();
    private final Map<FitRef, View> views = new LinkedHashMap<>();
    private final Map<FitRef, Map<String, Object>> figures = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    private Builder(ExplainResult result) {
      this.result = requireNonNull(result, "result is null");
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

    /** A note shown above the inputs (see {@link DatapointReport#notes}). */
    public Builder note(String note) {
      notes.add(requireNonNull(note, "note is null"));
      return this;
    }

    public DatapointReport build() {
      return new DatapointReport(result, inputs, views, figures, notes);
    }
  }
}
