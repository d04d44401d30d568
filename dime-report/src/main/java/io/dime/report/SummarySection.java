package io.dime.report;

import static io.dime.report.Html.escape;
import static io.dime.report.Html.escapeName;

import io.dime.api.Provenance;
import io.dime.api.run.PassTotals;
import io.dime.api.run.RecordCounts;
import io.dime.api.run.RunSummary;
import io.dime.api.run.RunTimings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The summary at the top of the page: record counts, passes and timings, the run's analyses (see
 * {@link RunAnalysis}), notes, provenance and the failed records. Boxes show the summary's fields
 * under their JSON names, in key order.
 */
final class SummarySection {
  /** Provenance entries shown first: label to path in the provenance's JSON form. */
  private static final Map<String, List<String>> KEY_PROVENANCE = keyProvenance();

  private final Optional<RunSummary> summary;
  private final long explained;
  private final long failed;
  private final List<String> modalities;
  private final FailureList failures;
  private List<String> notes = List.of();
  private List<String> classNames = List.of();

  /**
   * The summary of a report.
   *
   * @param summary the run's summary, if any
   * @param explained the explained records shown, counted when there is no summary
   * @param failed the failed records shown, counted when there is no summary
   * @param modalities the modalities' names
   * @param failures the failed records to list
   */
  SummarySection(
      Optional<RunSummary> summary,
      long explained,
      long failed,
      List<String> modalities,
      FailureList failures) {
    this.summary = summary;
    this.explained = explained;
    this.failed = failed;
    this.modalities = modalities;
    this.failures = failures;
  }

  /** This section with notes about the whole report (see {@link PagedReport#note}). */
  SummarySection notes(List<String> reportNotes) {
    this.notes = List.copyOf(reportNotes);
    return this;
  }

  /** This section with the model's output names by index, when the report was given them. */
  SummarySection classNames(List<String> names) {
    this.classNames = List.copyOf(names);
    return this;
  }

  private static Map<String, List<String>> keyProvenance() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("model SHA-256", List.of("model", "sha256"));
    m.put("model", List.of("model", "location"));
    m.put("adapter", List.of("model", "adapter"));
    m.put("manifest SHA-256", List.of("manifestSha256"));
    m.put("pipeline SHA-256", List.of("pipelineSha256"));
    m.put("outputs", List.of("outputs"));
    m.put("explained scores", List.of("scores"));
    m.put("targets", List.of("targets"));
    m.put("estimator", List.of("estimator"));
    m.put("samples", List.of("samples"));
    m.put("seed", List.of("seed"));
    m.put("replicates", List.of("replicates"));
    m.put("max interaction order", List.of("maxInteractionOrder"));
    m.put("surrogate", List.of("surrogate", "surrogate"));
    m.put("reference pool", List.of("pool"));
    m.put("pool selection", List.of("poolSelection"));
    m.put("DIME version", List.of("dimeVersion"));
    return m;
  }

  void render(StringBuilder sb) {
    sb.append("<section class=\"summary\" id=\"summary\">\n<h2>Summary</h2>\n");
    if (!notes.isEmpty()) {
      sb.append(
          "<div class=\"box report-notes\"><h3>Checks of this redraw</h3><ul class=\"warnings\">");
      notes.forEach(n -> sb.append("<li>").append(escape(n)).append("</li>"));
      sb.append("</ul></div>\n");
    }
    sb.append("<div class=\"grid3\">");
    sb.append("<div class=\"box\"><h3>Records</h3>");
    if (summary.isPresent()) {
      KvTable.values(sb, counts(summary.get().counts()), 0);
      sb.append("<p class=\"muted small\">explainedThisRun: the records this run gave to the")
          .append(" model, explained or failed while being explained (not the resumed ones, nor")
          .append(" those that could not be read).</p>");
    } else {
      sb.append("<table class=\"kv\"><tbody><tr><th>explained</th><td class=\"num\">")
          .append(explained)
          .append("</td></tr><tr><th>failed</th><td class=\"num\">")
          .append(failed)
          .append("</td></tr></tbody></table>");
    }
    sb.append("</div>");
    summary.ifPresent(
        s -> {
          box(sb, "Model passes", passes(s.passes()));
          box(sb, "Timings (seconds)", timings(s.timings()));
        });
    sb.append("</div>\n");

    sb.append("<div class=\"grid2\">");
    summary.ifPresent(s -> new RunAnalysis(s, modalities, classNames).render(sb));
    sb.append("</div>\n");

    List<String> notes = summary.map(RunSummary::notes).orElse(List.of());
    if (!notes.isEmpty()) {
      sb.append("<div class=\"box notes\"><h3>Notes</h3><ul>");
      notes.forEach(n -> sb.append("<li>").append(escape(n)).append("</li>"));
      sb.append("</ul></div>\n");
    }
    summary.ifPresent(s -> provenance(sb, s.provenance()));
    failures(sb);
    sb.append("</section>\n");
  }

  private static Map<String, Object> counts(RecordCounts c) {
    Map<String, Object> m = new TreeMap<>();
    m.put("records", c.records());
    m.put("explained", c.explained());
    m.put("failed", c.failed());
    m.put("resumed", c.resumed());
    m.put("explainedThisRun", c.explainedThisRun());
    m.put("staleLines", c.staleLines());
    m.put("poolSize", c.poolSize());
    m.put("poolRecordsSkipped", c.poolRecordsSkipped());
    return m;
  }

  private static Map<String, Object> passes(PassTotals p) {
    Map<String, Object> m = new TreeMap<>();
    m.put("totalRows", p.totalRows());
    m.put("cachedRows", p.cachedRows());
    m.put("formulaPerPoint", p.formulaPerPoint());
    m.put("preparationRows", p.preparationRows());
    m.put("formulaTotal", p.formulaTotal());
    return m;
  }

  private static Map<String, Object> timings(RunTimings t) {
    Map<String, Object> m = new TreeMap<>();
    m.put("totalSeconds", t.totalSeconds());
    m.put("explainSeconds", t.explainSeconds());
    m.put(
        "secondsPerPoint",
        t.secondsPerPoint().isPresent() ? t.secondsPerPoint().getAsDouble() : null);
    m.put(
        "latencySecondsPerPoint",
        t.latencySecondsPerPoint().isPresent() ? t.latencySecondsPerPoint().getAsDouble() : null);
    return m;
  }

  private static void box(StringBuilder sb, String title, Map<String, Object> values) {
    sb.append("<div class=\"box\"><h3>").append(escape(title)).append("</h3>");
    KvTable.values(sb, values, 0);
    sb.append("</div>");
  }

  private static void provenance(StringBuilder sb, Provenance provenance) {
    Map<String, Object> p = provenance.toMap();
    sb.append("<div class=\"box provenance\"><h3>Provenance</h3><table class=\"kv\"><tbody>");
    KEY_PROVENANCE.forEach(
        (label, path) -> {
          Object v = at(p, path);
          if (v != null) {
            sb.append("<tr><th>")
                .append(escape(label))
                .append("</th><td class=\"mono\">")
                .append(escapeName(Fmt.text(v)))
                .append("</td></tr>");
          }
        });
    sb.append("</tbody></table><details><summary>All provenance</summary>");
    KvTable.values(sb, p, 0);
    sb.append("</details></div>\n");
  }

  /** The value at a path of keys in nested maps, or null. */
  private static Object at(Map<String, Object> m, List<String> path) {
    Object v = m;
    for (String key : path) {
      if (!(v instanceof Map<?, ?> map)) {
        return null;
      }
      v = map.get(key);
    }
    return v;
  }

  private void failures(StringBuilder sb) {
    if (failures.total() == 0) {
      return;
    }
    sb.append("<div class=\"box failures\"><h3>Failed records (")
        .append(failures.total())
        .append(")</h3><ul>");
    for (FailureList.Entry e : failures.entries()) {
      if (e.href() == null) {
        sb.append("<li><b>").append(escapeName(e.name())).append("</b>");
      } else {
        sb.append("<li><a href=\"")
            .append(escape(e.href()))
            .append("\">")
            .append(escapeName(e.name()))
            .append("</a>");
      }
      sb.append(" <span class=\"stage\">")
          .append(escape(e.stage()))
          .append("</span> ")
          .append(escape(e.message()))
          .append("</li>");
    }
    sb.append("</ul>");
    long more = failures.total() - failures.entries().size();
    if (more > 0) {
      sb.append("<p class=\"muted small\">")
          .append(more)
          .append(more == 1 ? " more failed record is" : " more failed records are")
          .append(" not listed here; explanations.jsonl has every one.</p>");
    }
    sb.append("</div>\n");
  }
}
