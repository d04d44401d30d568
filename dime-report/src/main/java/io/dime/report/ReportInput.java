package io.dime.report;

import static java.util.Objects.requireNonNull;

import io.dime.api.run.RunSummary;
import io.dime.spi.Palette;
import java.util.List;
import java.util.Optional;

/**
 * Everything one report shows.
 *
 * @param title the page's title and heading, not null
 * @param summary the run's summary (what {@code summary.json} holds: counts, passes, global
 *     analysis, hidden-feature check, dominance, notes, provenance, timings); empty to show only
 *     what the datapoints tell
 * @param classNames the model's output names by index (the pipeline's {@code classNames}); may be
 *     empty, then outputs are named by the explained classes' names, or "#index"
 * @param palette colours of the value-decomposition bars (views bring their own colours)
 * @param datapoints one card each, in this order; explained and failed records alike
 * @since 0.1
 */
public record ReportInput(
    String title,
    Optional<RunSummary> summary,
    List<String> classNames,
    Palette palette,
    List<DatapointReport> datapoints) {
  /** The title used by {@link #of}. */
  public static final String DEFAULT_TITLE = "DIME report";

  public ReportInput {
    requireNonNull(title, "title is null");
    requireNonNull(summary, "summary is null");
    classNames = List.copyOf(classNames);
    requireNonNull(palette, "palette is null");
    datapoints = List.copyOf(datapoints);
  }

  /**
   * A report with the default title and palette and no class names.
   *
   * @param summary the run's summary, or null for none
   * @param datapoints the datapoints, not null
   */
  public static ReportInput of(RunSummary summary, List<DatapointReport> datapoints) {
    return new ReportInput(
        DEFAULT_TITLE, Optional.ofNullable(summary), List.of(), Palette.DIVERGING, datapoints);
  }

  /** This input with another title. */
  public ReportInput withTitle(String newTitle) {
    return new ReportInput(newTitle, summary, classNames, palette, datapoints);
  }

  /** This input with the model's output names. */
  public ReportInput withClassNames(List<String> names) {
    return new ReportInput(title, summary, names, palette, datapoints);
  }

  /** This input with another palette for the decomposition bars. */
  public ReportInput withPalette(Palette newPalette) {
    return new ReportInput(title, summary, classNames, newPalette, datapoints);
  }
}
