package io.dime.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.spi.Palette;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything one report shows.
 *
 * @param title the page's title and heading, not null
 * @param summary the content of {@code summary.json} ({@code counts, passes, globalAnalysis,
 *     dominance, notes, provenance, timings}); empty to show only what the datapoints tell
 * @param classNames the model's output names by index (the pipeline's {@code classNames}); may be
 *     empty, then outputs are named by the explained classes' names, or "#index"
 * @param palette colours of the value-decomposition bars (views bring their own colours)
 * @param datapoints one card each, in this order; explained and failed records alike
 * @since 0.1
 */
public record ReportInput(
    String title,
    Optional<JsonNode> summary,
    List<String> classNames,
    Palette palette,
    List<DatapointReport> datapoints) {
  /** The title used by {@link #of}. */
  public static final String DEFAULT_TITLE = "DIME report";

  public ReportInput {
    requireNonNull(title, "title is null");
    requireNonNull(summary, "summary is null");
    summary = summary.filter(JsonNode::isObject);
    classNames = List.copyOf(classNames);
    requireNonNull(palette, "palette is null");
    datapoints = List.copyOf(datapoints);
  }

  /**
   * A report with the default title and palette and no class names.
   *
   * @param summary the summary object, or null for none
   * @param datapoints the datapoints, not null
   */
  public static ReportInput of(JsonNode summary, List<DatapointReport> datapoints) {
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

  /**
   * Reads a finished run's {@code explanations.jsonl} and, when given, {@code summary.json}: a
   * report without plugin views (inputs noted as missing, fits drawn from their weights). A line
   * that is not a JSON object becomes an error card naming the file and line.
   *
   * @param explanations the explanations file, not null
   * @param summaryFile the summary file, or null for none
   */
  public static ReportInput fromFiles(Path explanations, Path summaryFile) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<DatapointReport> points = new ArrayList<>();
    List<String> lines = Files.readAllLines(explanations, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      JsonNode n;
      try {
        n = json.readTree(line);
      } catch (IOException e) {
        n = null;
      }
      if (n == null || !n.isObject()) {
        ObjectNode err = json.createObjectNode();
        err.putNull("id");
        err.put("line", i + 1);
        err.putObject("error")
            .put("stage", "report")
            .put("message", explanations + " line " + (i + 1) + " is not a JSON object");
        n = err;
      }
      points.add(DatapointReport.of(n));
    }
    JsonNode summary = summaryFile == null ? null : json.readTree(summaryFile.toFile());
    return of(summary, points);
  }
}
