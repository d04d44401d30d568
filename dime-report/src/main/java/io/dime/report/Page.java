package io.dime.report;

import static io.dime.report.Html.escape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.dime.spi.View;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One rendering of a report: the page frame, the summary section and the cards. */
final class Page {
  /** Outputs listed per datapoint (the largest). */
  static final int TOP_OUTPUTS = 5;

  /** Features listed under a panel that has a view (the largest |weight|). */
  static final int TOP_FEATURES = 5;

  private static final String CSS = css();

  private final ReportInput input;
  private final JsonNode summary;
  private final List<String> modalities;

  Page(ReportInput input) {
    this.input = input;
    this.summary = input.summary().orElse(MissingNode.getInstance());
    this.modalities = modalityNames();
  }

  private static String css() {
    try (InputStream in = Page.class.getResourceAsStream("report.css")) {
      if (in == null) {
        throw new IllegalStateException("report.css is missing from the dime-report jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Modality names: from the first explanation, else from the summary's provenance. */
  private List<String> modalityNames() {
    for (DatapointReport d : input.datapoints()) {
      if (!d.failed() && d.line().path("modalities").isArray()) {
        List<String> out = new ArrayList<>();
        d.line().path("modalities").forEach(m -> out.add(m.asText()));
        return out;
      }
    }
    List<String> out = new ArrayList<>();
    summary.path("provenance").path("modalities").fieldNames().forEachRemaining(out::add);
    return out;
  }

  void write(Writer out) throws IOException {
    StringBuilder sb = new StringBuilder(16_384);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .append(escape(HtmlReport.CONTENT_SECURITY_POLICY))
        .append("\">\n")
        .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(escape(input.title()))
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n<header class=\"page-head\"><h1>")
        .append(escape(input.title()))
        .append("</h1>");
    long failed = input.datapoints().stream().filter(DatapointReport::failed).count();
    sb.append("<p class=\"muted\">")
        .append(input.datapoints().size() - failed)
        .append(" explained, ")
        .append(failed)
        .append(" failed")
        .append(
            modalities.isEmpty() ? "" : "; modalities: " + escape(String.join(", ", modalities)))
        .append(". Colours: <span class=\"swatch\" style=\"background:")
        .append(input.palette().positive())
        .append("\"></span> raises the class's score, ")
        .append("<span class=\"swatch\" style=\"background:")
        .append(input.palette().negative())
        .append("\"></span> lowers it.</p></header>\n<main>\n");
    summary(sb);
    out.write(sb.toString());
    List<DatapointReport> points = input.datapoints();
    for (int i = 0; i < points.size(); i++) {
      sb.setLength(0);
      DatapointReport d = points.get(i);
      if (d.failed()) {
        errorCard(sb, d, i);
      } else {
        card(sb, d, i);
      }
      out.write(sb.toString());
    }
    out.write("</main>\n</body>\n</html>\n");
  }

  // ---------------------------------------------------------------- summary

  private void summary(StringBuilder sb) {
    sb.append(
        "<section class=\"summary\" id=\"summary\">\n<h2>Summary</h2>\n<div class=\"grid3\">");
    sb.append("<div class=\"box\"><h3>Records</h3>");
    JsonNode counts = summary.path("counts");
    if (counts.isObject()) {
      jsonTable(sb, counts, 0);
    } else {
      long failed = input.datapoints().stream().filter(DatapointReport::failed).count();
      sb.append("<table class=\"kv\"><tbody><tr><th>explained</th><td class=\"num\">")
          .append(input.datapoints().size() - failed)
          .append("</td></tr><tr><th>failed</th><td class=\"num\">")
          .append(failed)
          .append("</td></tr></tbody></table>");
    }
    sb.append("</div>");
    box(sb, "Model passes", summary.path("passes"));
    box(sb, "Timings (seconds)", summary.path("timings"));
    sb.append("</div>\n");

    sb.append("<div class=\"grid2\">");
    globalShares(sb);
    hiddenBaseline(sb);
    dominance(sb);
    sb.append("</div>\n");

    JsonNode notes = summary.path("notes");
    if (notes.isArray() && !notes.isEmpty()) {
      sb.append("<div class=\"box notes\"><h3>Notes</h3><ul>");
      notes.forEach(n -> sb.append("<li>").append(escape(Fmt.text(n))).append("</li>"));
      sb.append("</ul></div>\n");
    }
    provenance(sb);
    failures(sb);
    sb.append("</section>\n");
  }

  private void box(StringBuilder sb, String title, JsonNode n) {
    if (!n.isObject()) {
      return;
    }
    sb.append("<div class=\"box\"><h3>").append(escape(title)).append("</h3>");
    jsonTable(sb, n, 0);
    sb.append("</div>");
  }

  private void globalShares(StringBuilder sb) {
    JsonNode g = summary.path("globalAnalysis");
    if (!g.isObject()) {
      return;
    }
    sb.append("<div class=\"box global\"><h3>Global variance shares</h3>");
    if (g.hasNonNull("error")) {
      sb.append("<p class=\"bad\">The global analysis failed: ")
          .append(escape(Fmt.text(g.get("error"))))
          .append("</p>");
    }
    JsonNode shares = g.path("shares");
    if (shares.isObject() && !shares.isEmpty()) {
      Set<String> keys = new LinkedHashSet<>();
      shares.forEach(perClass -> perClass.fieldNames().forEachRemaining(keys::add));
      List<String> cols = new ArrayList<>(keys);
      cols.sort(Comparator.comparingInt((String k) -> order(k)).thenComparing(k -> k));
      sb.append("<table class=\"grid-table shares\"><thead><tr><th>class</th>");
      for (String k : cols) {
        sb.append("<th title=\"")
            .append(escape(k))
            .append("\">")
            .append(escape(Fmt.termLabel(k, modalities)))
            .append("</th>");
      }
      sb.append("</tr></thead><tbody>");
      shares
          .fields()
          .forEachRemaining(
              e -> {
                sb.append("<tr><th>").append(escape(e.getKey())).append("</th>");
                for (String k : cols) {
                  sb.append("<td class=\"num\">")
                      .append(
                          escape(e.getValue().has(k) ? Fmt.pct(Fmt.num(e.getValue().get(k))) : ""))
                      .append("</td>");
                }
                sb.append("</tr>");
              });
      sb.append("</tbody></table>");
    }
    sb.append("<table class=\"kv\"><tbody>");
    kv(
        sb,
        "additive share (terms of order \u2264 1)",
        Fmt.pct(Fmt.num(g.get("additiveShare"))),
        g.has("additiveShare"));
    kv(
        sb,
        "additive projection accuracy",
        Fmt.num(Fmt.num(g.get("additiveAccuracy"))),
        g.has("additiveAccuracy"));
    kv(sb, "model accuracy", Fmt.num(Fmt.num(g.get("modelAccuracy"))), g.has("modelAccuracy"));
    kv(sb, "references", Fmt.text(g.get("references")), g.has("references"));
    kv(sb, "model rows", Fmt.text(g.get("rows")), g.has("rows"));
    sb.append("</tbody></table>");
    sb.append(
            "<p class=\"muted small\">Share of each term in the variance of the output over a grid")
        .append(" of reference points; the accuracies compare the argmax of the additive")
        .append(" projection (bias plus unimodal terms) and of the model with the labels.</p>");
    sb.append("</div>");
  }

  /** The hidden-feature check ({@code summary.json}'s {@code hiddenBaseline}), when present. */
  private void hiddenBaseline(StringBuilder sb) {
    JsonNode hb = summary.path("hiddenBaseline");
    if (!hb.isArray() && !hb.isObject()) {
      return;
    }
    sb.append("<div class=\"box hidden-baseline\"><h3>With every feature hidden</h3>");
    if (hb.hasNonNull("error")) {
      sb.append("<p class=\"bad\">The check failed: ")
          .append(escape(Fmt.text(hb.get("error"))))
          .append("</p></div>");
      return;
    }
    sb.append("<table class=\"grid-table\"><thead><tr><th>modality hidden</th><th>records</th>")
        .append("<th>most frequent answer</th><th>share hidden</th><th>share unhidden</th>")
        .append("<th>largest mean rise</th><th>rise</th></tr></thead><tbody>");
    for (JsonNode m : hb) {
      boolean dominant = m.path("dominant").asBoolean(false);
      sb.append("<tr").append(dominant ? " class=\"bad\"" : "").append("><th>");
      sb.append(escape(Fmt.text(m.get("modality"))));
      sb.append("</th><td class=\"num\">").append(escape(Fmt.text(m.get("records"))));
      sb.append("</td><td>").append(escape(Fmt.text(m.get("topAnswerHidden"))));
      sb.append("</td><td class=\"num\">");
      if (m.has("topAnswerShareHidden")) {
        sb.append(escape(Fmt.pct(Fmt.num(m.get("topAnswerShareHidden")))));
      }
      sb.append("</td><td class=\"num\">");
      if (m.has("topAnswerShareOriginal")) {
        sb.append(escape(Fmt.pct(Fmt.num(m.get("topAnswerShareOriginal")))));
      }
      sb.append("</td><td>").append(escape(Fmt.text(m.get("largestRise"))));
      sb.append("</td><td class=\"num\">")
          .append(escape(Fmt.num(Fmt.num(m.get("largestRiseMeanShift")))))
          .append("</td></tr>");
    }
    sb.append("</tbody></table>")
        .append("<p class=\"muted small\">Pool records with one modality's features all hidden, as")
        .append(" the explanations hide them, against the records themselves. Every weight")
        .append(" measures the move from the hidden state to the datapoint, so a hidden state the")
        .append(" model reads as one particular answer is not neutral: weights toward that answer,")
        .append(" and MI weights on features the explained output ignores, partly describe it.")
        .append(" Rows in red: one answer for at least half of the records and at least twice as")
        .append(" often as unhidden.</p></div>");
  }

  private static int order(String key) {
    int o = Fmt.termOrder(key);
    return o < 0 ? Integer.MAX_VALUE : o;
  }

  private static void kv(StringBuilder sb, String key, String value, boolean present) {
    if (present) {
      sb.append("<tr><th>")
          .append(escape(key))
          .append("</th><td class=\"num\">")
          .append(escape(value))
          .append("</td></tr>");
    }
  }

  private void dominance(StringBuilder sb) {
    JsonNode dom = summary.path("dominance");
    if (!dom.isObject() || dom.isEmpty()) {
      return;
    }
    Set<String> cols = new LinkedHashSet<>(modalities);
    dom.forEach(row -> row.fieldNames().forEachRemaining(cols::add));
    List<String> rows = new ArrayList<>();
    for (String r : List.of("UC", "MI", "LIME")) {
      if (dom.has(r)) {
        rows.add(r);
      }
    }
    dom.fieldNames()
        .forEachRemaining(
            r -> {
              if (!rows.contains(r)) {
                rows.add(r);
              }
            });
    sb.append(
        "<div class=\"box dominance\"><h3>Dominance</h3><table class=\"grid-table\"><thead><tr><th></th>");
    for (String c : cols) {
      sb.append("<th>").append(escape(c)).append("</th>");
    }
    sb.append("</tr></thead><tbody>");
    for (String r : rows) {
      sb.append("<tr data-row=\"")
          .append(escape(r))
          .append("\"><th>")
          .append(escape(r))
          .append("</th>");
      for (String c : cols) {
        JsonNode v = dom.path(r).get(c);
        sb.append("<td class=\"num\">")
            .append(v == null ? "" : escape(Fmt.num(Fmt.num(v))))
            .append("</td>");
      }
      sb.append("</tr>");
    }
    sb.append("</tbody></table><p class=\"muted small\">Mean absolute weight of the top-5 features")
        .append(
            " per explanation type and modality, averaged over the explained (datapoint, class)")
        .append(" pairs (the DIME paper's Table 4).</p></div>");
  }

  /** Provenance entries shown first, by JSON pointer. */
  private static final Map<String, String> KEY_PROVENANCE = keyProvenance();

  private static Map<String, String> keyProvenance() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("model SHA-256", "/model/sha256");
    m.put("model", "/model/location");
    m.put("adapter", "/model/adapter");
    m.put("manifest SHA-256", "/manifestSha256");
    m.put("pipeline SHA-256", "/pipelineSha256");
    m.put("outputs", "/outputs");
    m.put("explained scores", "/scores");
    m.put("targets", "/targets");
    m.put("estimator", "/estimator");
    m.put("samples", "/samples");
    m.put("seed", "/seed");
    m.put("replicates", "/replicates");
    m.put("max interaction order", "/maxInteractionOrder");
    m.put("surrogate", "/surrogate/surrogate");
    m.put("reference pool", "/pool");
    m.put("pool selection", "/poolSelection");
    m.put("DIME version", "/dimeVersion");
    return m;
  }

  private void provenance(StringBuilder sb) {
    JsonNode p = summary.path("provenance");
    if (!p.isObject() || p.isEmpty()) {
      return;
    }
    sb.append("<div class=\"box provenance\"><h3>Provenance</h3><table class=\"kv\"><tbody>");
    KEY_PROVENANCE.forEach(
        (label, pointer) -> {
          JsonNode v = p.at(pointer);
          if (!v.isMissingNode() && !v.isNull()) {
            sb.append("<tr><th>")
                .append(escape(label))
                .append("</th><td class=\"mono\">")
                .append(escape(Fmt.text(v)))
                .append("</td></tr>");
          }
        });
    sb.append("</tbody></table><details><summary>All provenance</summary>");
    jsonTable(sb, p, 0);
    sb.append("</details></div>\n");
  }

  private void failures(StringBuilder sb) {
    List<DatapointReport> points = input.datapoints();
    List<Integer> failed = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      if (points.get(i).failed()) {
        failed.add(i);
      }
    }
    if (failed.isEmpty()) {
      return;
    }
    sb.append("<div class=\"box failures\"><h3>Failed records (")
        .append(failed.size())
        .append(")</h3><ul>");
    for (int i : failed) {
      JsonNode line = points.get(i).line();
      JsonNode err = line.path("error");
      sb.append("<li><a href=\"#card-")
          .append(i)
          .append("\">")
          .append(escape(recordName(points.get(i))))
          .append("</a> <span class=\"stage\">")
          .append(escape(Fmt.text(err.get("stage"))))
          .append("</span> ")
          .append(escape(errorMessage(err)))
          .append("</li>");
    }
    sb.append("</ul></div>\n");
  }

  private static String recordName(DatapointReport d) {
    JsonNode line = d.line().get("line");
    return d.id()
        .map(id -> "'" + id + "'")
        .orElse(
            line != null && line.canConvertToInt()
                ? "record at line " + line.asInt()
                : "record without id");
  }

  private static String errorMessage(JsonNode err) {
    return err.isTextual() ? err.asText() : Fmt.text(err.get("message"));
  }

  /** A JSON object as a two-column table; nested objects nest, up to a few levels. */
  private static void jsonTable(StringBuilder sb, JsonNode n, int depth) {
    sb.append("<table class=\"kv\"><tbody>");
    n.fields()
        .forEachRemaining(
            e -> {
              sb.append("<tr><th>").append(escape(e.getKey())).append("</th><td");
              JsonNode v = e.getValue();
              if (v.isObject() && !v.isEmpty() && depth < 4) {
                sb.append('>');
                jsonTable(sb, v, depth + 1);
              } else {
                sb.append(v.isNumber() ? " class=\"num\">" : ">").append(escape(Fmt.text(v)));
              }
              sb.append("</td></tr>");
            });
    sb.append("</tbody></table>");
  }

  // ---------------------------------------------------------------- cards

  private void errorCard(StringBuilder sb, DatapointReport d, int index) {
    JsonNode err = d.line().path("error");
    sb.append("<section class=\"card card-error\" id=\"card-")
        .append(index)
        .append("\" data-id=\"")
        .append(escape(d.id().orElse("")))
        .append("\">\n<header class=\"card-head\"><h2>")
        .append(escape(recordName(d)))
        .append("</h2><span class=\"badge bad\">failed</span></header>");
    sb.append("<table class=\"kv\"><tbody>");
    kv(sb, "stage", Fmt.text(err.get("stage")), err.has("stage"));
    kv(sb, "manifest line", Fmt.text(d.line().get("line")), d.line().hasNonNull("line"));
    sb.append("</tbody></table><pre class=\"error-message\">")
        .append(escape(errorMessage(err)))
        .append("</pre>\n</section>\n");
  }

  private void card(StringBuilder sb, DatapointReport d, int index) {
    JsonNode e = d.line();
    List<String> mods = new ArrayList<>();
    e.path("modalities").forEach(m -> mods.add(m.asText()));
    for (String m : d.inputs().keySet()) {
      if (!mods.contains(m)) {
        mods.add(m);
      }
    }
    String id = d.id().orElse("");
    int predicted = e.path("predicted").asInt(-1);
    String predictedName = className(e, predicted);
    JsonNode label = e.get("label");
    boolean hasLabel = label != null && !label.isNull() && !label.isMissingNode();

    sb.append("<section class=\"card\" id=\"card-")
        .append(index)
        .append("\" data-id=\"")
        .append(escape(id))
        .append("\">\n<header class=\"card-head\"><h2>")
        .append(escape(id))
        .append("</h2><div class=\"verdict\">predicted <b>")
        .append(escape(predictedName))
        .append("</b>");
    if (hasLabel) {
      boolean correct = Fmt.text(label).equals(predictedName);
      sb.append(" \u00b7 label <b>")
          .append(escape(Fmt.text(label)))
          .append("</b> <span class=\"badge ")
          .append(correct ? "ok\">correct" : "bad\">wrong")
          .append("</span>");
    }
    sb.append("</div></header>\n<div class=\"card-top\"><div class=\"inputs\"><h3>Inputs</h3>");
    for (String m : mods) {
      sb.append("<div class=\"input\" data-modality=\"")
          .append(escape(m))
          .append("\"><h4>")
          .append(escape(m))
          .append("</h4>");
      View v = d.inputs().get(m);
      if (v == null) {
        sb.append("<p class=\"muted\">No view of this input.</p>");
      } else {
        ViewRenderer.render(sb, v);
      }
      sb.append("</div>");
    }
    sb.append("</div>");
    outputs(sb, e, predicted, hasLabel ? Fmt.text(label) : null);
    sb.append("</div>\n");

    JsonNode warnings = e.path("warnings");
    if (warnings.isArray() && !warnings.isEmpty()) {
      sb.append("<ul class=\"warnings\">");
      warnings.forEach(w -> sb.append("<li>").append(escape(Fmt.text(w))).append("</li>"));
      sb.append("</ul>");
    }
    for (JsonNode cls : e.path("classes")) {
      classSection(sb, d, cls, e.path("modalities").size() > 2);
    }
    JsonNode passes = e.path("passes");
    JsonNode timings = e.path("timings");
    sb.append("<footer class=\"card-foot muted small\">");
    if (passes.isObject()) {
      sb.append("model rows ")
          .append(escape(Fmt.text(passes.get("rows"))))
          .append(", cached ")
          .append(escape(Fmt.text(passes.get("cachedRows"))))
          .append(" (formula ")
          .append(escape(Fmt.text(passes.get("formula"))))
          .append(")");
    }
    if (timings.isObject()) {
      sb.append(" \u00b7 ")
          .append(escape(Fmt.num(Fmt.num(timings.get("totalSeconds")))))
          .append(" s, of which model ")
          .append(escape(Fmt.num(Fmt.num(timings.get("modelSeconds")))))
          .append(" s");
    }
    sb.append("</footer>\n</section>\n");
  }

  /** The name of output {@code index}: the pipeline's class names, else the explained class's. */
  private String className(JsonNode e, int index) {
    if (index >= 0 && index < input.classNames().size()) {
      return input.classNames().get(index);
    }
    for (JsonNode c : e.path("classes")) {
      if (c.path("classIndex").asInt(-1) == index && c.path("className").isTextual()) {
        return c.path("className").asText();
      }
    }
    return "#" + index;
  }

  private void outputs(StringBuilder sb, JsonNode e, int predicted, String label) {
    double[] out = Fmt.nums(e.get("outputs"));
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < out.length; i++) {
      order.add(i);
    }
    order.sort(
        Comparator.comparingDouble(
                (Integer i) -> Double.isNaN(out[i]) ? Double.POSITIVE_INFINITY : -out[i])
            .thenComparingInt(i -> i));
    // Centred scores (the engine's default for classifiers) are what the terms add up to.
    boolean centred = "centered".equals(e.path("provenance").path("scores").asText());
    sb.append("<div class=\"outputs\"><h3>Model outputs")
        .append(centred ? " (centred)" : "")
        .append("</h3><table class=\"grid-table\"><thead><tr>")
        .append("<th>class</th><th>output</th><th></th></tr></thead><tbody>");
    for (int i : order.subList(0, Math.min(TOP_OUTPUTS, order.size()))) {
      String name = className(e, i);
      sb.append("<tr")
          .append(i == predicted ? " class=\"predicted\"" : "")
          .append("><td>")
          .append(escape(name))
          .append("</td><td class=\"num\">")
          .append(escape(Fmt.num(out[i])))
          .append("</td><td>")
          .append(i == predicted ? "<span class=\"badge\">predicted</span>" : "")
          .append(name.equals(label) ? "<span class=\"badge\">label</span>" : "")
          .append("</td></tr>");
    }
    sb.append("</tbody></table>");
    if (out.length > TOP_OUTPUTS) {
      sb.append("<p class=\"muted small\">The ")
          .append(TOP_OUTPUTS)
          .append(" largest of ")
          .append(out.length)
          .append(" outputs.</p>");
    }
    sb.append("</div>");
  }

  private void classSection(StringBuilder sb, DatapointReport d, JsonNode cls, boolean byOrder) {
    int ci = cls.path("classIndex").asInt(-1);
    List<String> reasons = new ArrayList<>();
    cls.path("reasons").forEach(r -> reasons.add(r.asText()));
    sb.append("<section class=\"class-expl\" data-class=\"")
        .append(ci)
        .append("\"><h3>Class <q>")
        .append(escape(Fmt.text(cls.get("className"))))
        .append("</q> <span class=\"muted\">#")
        .append(ci)
        .append(reasons.isEmpty() ? "" : " \u00b7 " + escape(String.join(", ", reasons)))
        .append(" \u00b7 output ")
        .append(escape(Fmt.num(Fmt.num(cls.get("output")))))
        .append("</span></h3>\n<div class=\"decomp\"><h4>Value decomposition</h4>");
    DecompositionChart.render(sb, cls, input.palette());
    sb.append("</div>\n");
    for (JsonNode me : cls.path("modalities")) {
      String m = me.path("modality").asText();
      sb.append("<div class=\"modality\" data-modality=\"")
          .append(escape(m))
          .append("\"><h4>")
          .append(escape(m))
          .append("</h4><div class=\"panels\">");
      List<JsonNode> terms = new ArrayList<>();
      List<JsonNode> others = new ArrayList<>();
      Map<String, JsonNode> main = new LinkedHashMap<>();
      for (JsonNode f : me.path("fits")) {
        String key = f.path("key").asText();
        switch (key) {
          case "UC", "MI", "LIME" -> main.put(key, f);
          default -> {
            if (key.equals("residual") || Fmt.termOrder(key) > 0) {
              terms.add(f);
            } else {
              others.add(f);
            }
          }
        }
      }
      for (String key : List.of("UC", "MI", "LIME")) {
        if (main.containsKey(key)) {
          panel(sb, d, ci, m, me, main.get(key));
        }
      }
      for (JsonNode f : others) {
        panel(sb, d, ci, m, me, f);
      }
      sb.append("</div>");
      if (byOrder && !terms.isEmpty()) {
        sb.append("<h5>By interaction order</h5><div class=\"panels panels-terms\">");
        for (JsonNode f : terms) {
          panel(sb, d, ci, m, me, f);
        }
        sb.append("</div>");
      }
      sb.append("</div>\n");
    }
    sb.append("</section>\n");
  }

  private void panel(
      StringBuilder sb, DatapointReport d, int ci, String modality, JsonNode me, JsonNode fit) {
    String key = fit.path("key").asText();
    String css;
    String heading;
    switch (key) {
      case "UC" -> {
        css = "panel-uc";
        heading = "unimodal contribution: " + modality + " alone";
      }
      case "MI" -> {
        css = "panel-mi";
        heading = "multimodal interaction: " + modality + " with the others";
      }
      case "LIME" -> {
        css = "panel-lime";
        heading = "plain LIME on the model's output, for comparison";
      }
      case "residual" -> {
        css = "panel-term";
        heading = "terms above the order cap";
      }
      default -> {
        css = Fmt.termOrder(key) > 0 ? "panel-term" : "panel-other";
        heading =
            Fmt.termOrder(key) > 0
                ? "term " + Fmt.termLabel(key, modalities)
                : Fmt.text(fit.get("kind"));
      }
    }
    FitRef ref = new FitRef(Math.max(0, ci), modality, key);
    sb.append("<div class=\"panel ")
        .append(css)
        .append("\" data-class=\"")
        .append(ci)
        .append("\" data-modality=\"")
        .append(escape(modality))
        .append("\" data-fit=\"")
        .append(escape(key))
        .append("\"><h5>")
        .append(escape(key))
        .append(" <span class=\"muted\">")
        .append(escape(heading))
        .append("</span></h5>");
    View view = d.views().get(ref);
    if (view != null) {
      ViewRenderer.render(sb, view);
    }
    sb.append("<div class=\"stats\"><span>R\u00b2 <b>")
        .append(escape(Fmt.num(Fmt.num(fit.get("score")))))
        .append("</b></span><span>intercept ")
        .append(escape(Fmt.num(Fmt.num(fit.get("intercept")))))
        .append("</span><span>at the input ")
        .append(escape(Fmt.num(Fmt.num(fit.get("localPrediction")))))
        .append("</span></div>");
    Map<String, Object> figures = new LinkedHashMap<>(d.figures().getOrDefault(ref, Map.of()));
    JsonNode faith = fit.path("faithfulness");
    faith
        .fields()
        .forEachRemaining(
            f -> {
              JsonNode v = f.getValue();
              if (v.isValueNode() && !v.isNull()) {
                figures.putIfAbsent(f.getKey(), Fmt.scalar(v));
              }
            });
    if (!figures.isEmpty()) {
      sb.append("<table class=\"kv figures\"><tbody>");
      figures.forEach(
          (k, v) ->
              sb.append("<tr><th>")
                  .append(escape(k))
                  .append("</th><td class=\"num\">")
                  .append(
                      escape(
                          v instanceof Number n ? Fmt.num(n.doubleValue()) : Fmt.compact(v, 200)))
                  .append("</td></tr>"));
      sb.append("</tbody></table>");
    }
    curves(sb, faith);
    weights(sb, me, fit, view == null ? ViewRenderer.MAX_BARS : TOP_FEATURES);
    sb.append("</div>");
  }

  /**
   * The deletion and insertion curves of a fit's faithfulness data, when it has them: {@code
   * fractions}, {@code deletion} and {@code insertion}, arrays of one length.
   */
  private static void curves(StringBuilder sb, JsonNode faith) {
    double[] x = Fmt.nums(faith.get("fractions"));
    double[] del = Fmt.nums(faith.get("deletion"));
    double[] ins = Fmt.nums(faith.get("insertion"));
    if (x.length < 2 || del.length != x.length || ins.length != x.length) {
      return;
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] ys : new double[][] {del, ins}) {
      for (double y : ys) {
        if (Double.isFinite(y)) {
          lo = Math.min(lo, y);
          hi = Math.max(hi, y);
        }
      }
    }
    if (!(hi > lo)) {
      hi = lo + 1;
    }
    if (!Double.isFinite(lo)) {
      return;
    }
    double w = 200;
    double h = 56;
    sb.append("<svg class=\"curves\" viewBox=\"0 0 ")
        .append(Fmt.xy(w))
        .append(' ')
        .append(Fmt.xy(h + 14))
        .append("\" role=\"img\" aria-label=\"deletion and insertion curves\">");
    String[] cls = {"curve-deletion", "curve-insertion"};
    double[][] ys = {del, ins};
    for (int c = 0; c < 2; c++) {
      StringBuilder pts = new StringBuilder();
      for (int i = 0; i < x.length; i++) {
        if (Double.isFinite(x[i]) && Double.isFinite(ys[c][i])) {
          pts.append(pts.length() == 0 ? "" : " ")
              .append(Fmt.xy(4 + x[i] * (w - 8)))
              .append(',')
              .append(Fmt.xy(4 + (hi - ys[c][i]) / (hi - lo) * (h - 8)));
        }
      }
      sb.append("<polyline class=\"")
          .append(cls[c])
          .append("\" points=\"")
          .append(pts)
          .append("\"/>");
    }
    sb.append("<text x=\"4\" y=\"")
        .append(Fmt.xy(h + 10))
        .append("\">deletion (dashed), insertion")
        .append("</text></svg>");
  }

  /** The features with the largest |weight|, with their standard errors and a bar. */
  private void weights(StringBuilder sb, JsonNode me, JsonNode fit, int top) {
    double[] w = Fmt.nums(fit.get("weights"));
    double[] se = Fmt.nums(fit.get("standardErrors"));
    double[] re = Fmt.nums(fit.get("replicateErrors"));
    List<String> names = new ArrayList<>();
    me.path("featureNames").forEach(n -> names.add(n.asText()));
    List<Integer> order = new ArrayList<>();
    double max = 0;
    for (int i = 0; i < w.length; i++) {
      if (Double.isFinite(w[i]) && w[i] != 0) {
        order.add(i);
        max = Math.max(max, Math.abs(w[i]));
      }
    }
    if (order.isEmpty()) {
      sb.append("<p class=\"muted small\">All weights are 0.</p>");
      return;
    }
    order.sort(Comparator.comparingDouble((Integer i) -> -Math.abs(w[i])).thenComparingInt(i -> i));
    boolean replicates = re.length == w.length;
    sb.append(
            "<table class=\"weights\"><thead><tr><th>feature</th><th>weight</th><th>\u00b1 s.e.</th>")
        .append(replicates ? "<th>\u00b1 rep.</th>" : "")
        .append("<th class=\"barcol\"></th></tr></thead><tbody>");
    for (int i : order.subList(0, Math.min(top, order.size()))) {
      sb.append("<tr><td class=\"name\">")
          .append(escape(i < names.size() ? names.get(i) : "#" + i))
          .append("</td><td class=\"num\">")
          .append(escape(Fmt.num(w[i])))
          .append("</td><td class=\"num\">")
          .append(escape(i < se.length ? Fmt.num(se[i]) : ""))
          .append("</td>");
      if (replicates) {
        sb.append("<td class=\"num\">").append(escape(Fmt.num(re[i]))).append("</td>");
      }
      sb.append("<td class=\"barcol\">");
      ViewRenderer.weightBar(sb, w[i], max, input.palette().positive(), input.palette().negative());
      sb.append("</td></tr>");
    }
    sb.append("</tbody></table>");
    if (order.size() > top) {
      sb.append("<p class=\"muted small\">")
          .append(order.size() - top)
          .append(" more features with non-zero weights.</p>");
    }
  }
}
