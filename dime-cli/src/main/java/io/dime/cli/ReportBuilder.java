package io.dime.cli;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.ExplainResult;
import io.dime.api.Explanation;
import io.dime.api.ModalityExplanation;
import io.dime.api.RecordError;
import io.dime.api.SurrogateFit;
import io.dime.api.run.RunSummary;
import io.dime.core.Dime;
import io.dime.core.io.Json;
import io.dime.core.job.Manifest;
import io.dime.report.DatapointReport;
import io.dime.report.HtmlReport;
import io.dime.report.ReportInput;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds {@code report.html} for a finished {@code dime explain} run: every line of {@code
 * explanations.jsonl} becomes a card; datapoints still in the manifest are featurized again (which
 * gives the same features) so that each modality draws its input and every fit with its own view.
 */
final class ReportBuilder {
  /** Features shown per fit view; the report's tables list the rest. */
  static final int TOP_N = 10;

  private ReportBuilder() {}

  /**
   * Writes the report.
   *
   * @param lines the output lines, aligned with {@code entries} (null where there is none), then
   *     lines of records no longer in the manifest
   * @return the problems met while reading lines and drawing views (the report is written
   *     regardless)
   */
  static List<String> write(
      Path file,
      Dime dime,
      List<Modality<?>> modalities,
      List<Manifest.Entry> entries,
      List<String> lines,
      RunSummary summary,
      List<String> classNames,
      String title)
      throws IOException {
    List<DatapointReport> points = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line == null) {
        continue;
      }
      ExplainResult result;
      try {
        result = Json.readResult(line);
      } catch (IOException ex) {
        // a kept line this version cannot read: an error card instead of no report
        String where = "explanations.jsonl line " + (i + 1);
        problems.add(where + ": " + ex.getMessage());
        result =
            new RecordError(
                Optional.empty(), 0, "report", where + " cannot be read: " + ex.getMessage());
      }
      Manifest.Entry entry = i < entries.size() ? entries.get(i) : null;
      if (!(result instanceof Explanation explanation) || entry == null || !entry.ok()) {
        points.add(DatapointReport.of(result));
        continue;
      }
      DatapointReport.Builder b = DatapointReport.builder(explanation);
      Datapoint dp = entry.datapoint();
      for (Modality<?> m : modalities) {
        try {
          addViews(b, dime, m, dp, explanation);
        } catch (RuntimeException e) {
          problems.add("record '" + dp.id() + "', modality '" + m.name() + "': " + e.getMessage());
        }
      }
      points.add(b.build());
    }
    ReportInput input = ReportInput.of(summary, points).withTitle(title);
    if (classNames != null && !classNames.isEmpty()) {
      input = input.withClassNames(classNames);
    }
    HtmlReport.write(file, input);
    return problems;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void addViews(
      DatapointReport.Builder b, Dime dime, Modality<?> m, Datapoint dp, Explanation e) {
    FeatureSet fs = dime.features(dp, m.name());
    Modality raw = m;
    b.input(m.name(), raw.view(fs, new double[fs.size()], ViewOptions.defaults("input")));
    for (ClassExplanation c : e.classes()) {
      int ci = c.classIndex();
      String cls = c.className();
      for (ModalityExplanation me : c.modalities()) {
        if (!m.name().equals(me.modality())) {
          continue;
        }
        for (SurrogateFit f : me.fits()) {
          String key = f.key();
          double[] weights = f.weights();
          if (weights.length != fs.size()) {
            throw new IllegalStateException(
                "fit "
                    + key
                    + " has "
                    + weights.length
                    + " weights for "
                    + fs.size()
                    + " features");
          }
          View v =
              raw.view(
                  fs, weights, new ViewOptions(null, TOP_N, key + " " + m.name() + ", " + cls));
          b.view(ci, m.name(), key, v);
        }
      }
    }
  }
}
