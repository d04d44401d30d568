package io.dime.report;

import static io.dime.report.Html.escape;
import static io.dime.report.Html.escapeName;

import io.dime.api.run.GlobalShares;
import io.dime.api.run.HiddenFeatureCheck;
import io.dime.api.run.HiddenModality;
import io.dime.api.run.RunSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The run-wide analyses of the summary, side by side: the global variance shares, the
 * hidden-feature check and the dominance table. Open maps (shares, dominance) are shown in key
 * order, so that a summary read back from JSON shows as the one it was written from; the shares'
 * classes in the model's output order where it is known, else numbers by value ({@link
 * Fmt#natural}).
 */
final class RunAnalysis {
  private static final List<String> MAIN_FITS = List.of("UC", "MI", "LIME");

  private final RunSummary summary;
  private final List<String> modalities;
  private final Map<String, Integer> classIndex = new java.util.HashMap<>();

  /**
   * @param classNames the model's output names by index, when the report was given them; else those
   *     the hidden-feature check names, which survive JSON
   */
  RunAnalysis(RunSummary summary, List<String> modalities, List<String> classNames) {
    this.summary = summary;
    this.modalities = modalities;
    List<String> names =
        !classNames.isEmpty() || summary.hiddenBaseline().modalities().isEmpty()
            ? classNames
            : summary.hiddenBaseline().modalities().get(0).classNames();
    // read once: the rows' sort looks a name up at every comparison (20,000 classes and more)
    int i = 0;
    for (String name : names) {
      classIndex.putIfAbsent(name, i++);
    }
  }

  /** Classes by output index where known, those the model's list lacks after, naturally. */
  private int compareClasses(String a, String b) {
    int ia = classIndex.getOrDefault(a, Integer.MAX_VALUE);
    int ib = classIndex.getOrDefault(b, Integer.MAX_VALUE);
    return ia != ib ? Integer.compare(ia, ib) : Fmt.natural(a, b);
  }

  void render(StringBuilder sb) {
    globalShares(sb, summary.globalAnalysis());
    hiddenBaseline(sb, summary.hiddenBaseline());
    dominance(sb, summary.dominance());
  }

  private void globalShares(StringBuilder sb, GlobalShares g) {
    // a column per term: with three modalities or more the table wants the whole row
    sb.append(
            modalities.size() > 2
                ? "<div class=\"box global wide\">"
                : "<div class=\"box global\">")
        .append("<h3>Global variance shares</h3>");
    g.error()
        .ifPresent(
            e ->
                sb.append("<p class=\"bad\">The global analysis failed: ")
                    .append(escape(e))
                    .append("</p>"));
    if (!g.shares().isEmpty()) {
      sharesTable(sb, g.shares());
    }
    boolean ran = g.error().isEmpty();
    sb.append("<table class=\"kv\"><tbody>");
    KvTable.row(sb, "additive share (terms of order \u2264 1)", Fmt.pct(g.additiveShare()), ran);
    KvTable.row(sb, "additive projection accuracy", Fmt.num(g.additiveAccuracy()), ran);
    KvTable.row(sb, "model accuracy", Fmt.num(g.modelAccuracy()), ran);
    KvTable.row(sb, "references", Integer.toString(g.references()), true);
    KvTable.row(sb, "model rows", Long.toString(g.rows()), ran);
    sb.append("</tbody></table>");
    sb.append(
            "<p class=\"muted small\">Share of each term in the variance of the output over a grid")
        .append(" of reference points; the accuracies compare the argmax of the additive")
        .append(" projection (bias plus unimodal terms) and of the model with the labels.</p>");
    sb.append("</div>");
  }

  private void sharesTable(StringBuilder sb, Map<String, Map<String, Double>> shares) {
    Set<String> keys = new LinkedHashSet<>();
    shares.values().forEach(perClass -> keys.addAll(perClass.keySet()));
    List<String> cols = new ArrayList<>(keys);
    cols.sort(Comparator.comparingInt(RunAnalysis::order).thenComparing(k -> k));
    sb.append("<table class=\"grid-table shares\"><thead><tr><th>class</th>");
    for (String k : cols) {
      sb.append("<th title=\"")
          .append(escapeName(k))
          .append("\">")
          .append(escapeName(Fmt.termLabel(k, modalities)))
          .append("</th>");
    }
    sb.append("</tr></thead><tbody>");
    List<Map.Entry<String, Map<String, Double>>> rows = new ArrayList<>(shares.entrySet());
    rows.sort((x, y) -> compareClasses(x.getKey(), y.getKey()));
    for (Map.Entry<String, Map<String, Double>> e : rows) {
      sb.append("<tr><th>").append(escapeName(e.getKey())).append("</th>");
      for (String k : cols) {
        Double v = e.getValue().get(k);
        sb.append("<td class=\"num\">")
            .append(escape(e.getValue().containsKey(k) ? Fmt.pct(real(v)) : ""))
            .append("</td>");
      }
      sb.append("</tr>");
    }
    sb.append("</tbody></table>");
  }

  private static int order(String key) {
    int o = Fmt.termOrder(key);
    return o < 0 ? Integer.MAX_VALUE : o;
  }

  private static double real(Double v) {
    return v == null ? Double.NaN : v;
  }

  /** The hidden-feature check, when it failed or ran on at least one modality. */
  private static void hiddenBaseline(StringBuilder sb, HiddenFeatureCheck hb) {
    if (hb.error().isEmpty() && hb.modalities().isEmpty()) {
      return;
    }
    sb.append("<div class=\"box hidden-baseline wide\"><h3>With every feature hidden</h3>");
    if (hb.error().isPresent()) {
      sb.append("<p class=\"bad\">The check failed: ")
          .append(escape(hb.error().get()))
          .append("</p></div>");
      return;
    }
    sb.append("<table class=\"grid-table\"><thead><tr><th>modality hidden</th><th>records</th>")
        .append("<th>most frequent answer</th><th>share hidden</th><th>share unhidden</th>")
        .append("<th>largest mean rise</th><th>rise</th><th>unchanged</th></tr></thead><tbody>");
    for (HiddenModality m : hb.modalities()) {
      hiddenRow(sb, m);
    }
    sb.append("</tbody></table>")
        .append("<p class=\"muted small\">Pool records with one modality's features all hidden, as")
        .append(" the explanations hide them, against the records themselves. Every weight")
        .append(" measures the move from the hidden state to the datapoint, so a hidden state the")
        .append(" model reads as one particular answer is not neutral: weights toward that answer,")
        .append(" and MI weights on features the explained output ignores, partly describe it.")
        .append(" Rows in red: one answer for at least half of the records and at least twice as")
        .append(" often as unhidden; or no score changed for at least ")
        .append(escape(Fmt.pct(HiddenModality.INERT_SHARE)))
        .append(" of the records (column unchanged): the hiding hides nothing this model reads,")
        .append(" and that modality's weights are noise.</p></div>");
  }

  /**
   * One modality of the check. Ties between classes go to the first class name in key order, as the
   * classes' order does not survive JSON (they are keyed by name there).
   */
  private static void hiddenRow(StringBuilder sb, HiddenModality m) {
    List<String> names = m.classNames();
    int top = argmax(m.shareHidden(), names);
    int rise = argmax(m.meanShift(), names);
    boolean dominant =
        top >= 0
            && m.shareHidden()[top] >= 0.5
            && m.shareHidden()[top] >= 2 * m.shareOriginal()[top];
    sb.append("<tr").append(dominant || m.inert() ? " class=\"bad\"" : "").append("><th>");
    sb.append(escapeName(m.modality()));
    sb.append("</th><td class=\"num\">").append(m.records());
    sb.append("</td><td>").append(top < 0 ? "" : escapeName(names.get(top)));
    sb.append("</td><td class=\"num\">");
    if (top >= 0) {
      sb.append(escape(Fmt.pct(m.shareHidden()[top])));
    }
    sb.append("</td><td class=\"num\">");
    if (top >= 0) {
      sb.append(escape(Fmt.pct(m.shareOriginal()[top])));
    }
    sb.append("</td><td>").append(rise < 0 ? "" : escapeName(names.get(rise)));
    sb.append("</td><td class=\"num\">")
        .append(escape(Fmt.num(rise < 0 ? Double.NaN : m.meanShift()[rise])))
        .append("</td><td class=\"num\">")
        .append(Double.isNaN(m.shareUnchanged()) ? "" : escape(Fmt.pct(m.shareUnchanged())))
        .append("</td></tr>");
  }

  /** The index of the largest value, ties to the smallest name; -1 when there is none. */
  private static int argmax(double[] v, List<String> names) {
    int best = -1;
    for (int i = 0; i < v.length; i++) {
      if (best < 0
          || v[i] > v[best]
          || (v[i] == v[best] && names.get(i).compareTo(names.get(best)) < 0)) {
        best = i;
      }
    }
    return best;
  }

  private void dominance(StringBuilder sb, Map<String, Map<String, Double>> dom) {
    if (dom.isEmpty()) {
      return;
    }
    Set<String> cols = new LinkedHashSet<>(modalities);
    for (Map.Entry<String, Map<String, Double>> row : Fmt.sorted(dom)) {
      Fmt.sorted(row.getValue()).forEach(e -> cols.add(e.getKey()));
    }
    List<String> rows = new ArrayList<>();
    for (String r : MAIN_FITS) {
      if (dom.containsKey(r)) {
        rows.add(r);
      }
    }
    for (Map.Entry<String, Map<String, Double>> row : Fmt.sorted(dom)) {
      if (!rows.contains(row.getKey())) {
        rows.add(row.getKey());
      }
    }
    sb.append(
        "<div class=\"box dominance\"><h3>Dominance</h3><table class=\"grid-table\"><thead><tr><th></th>");
    for (String c : cols) {
      sb.append("<th>").append(escapeName(c)).append("</th>");
    }
    sb.append("</tr></thead><tbody>");
    for (String r : rows) {
      sb.append("<tr data-row=\"")
          .append(escapeName(r))
          .append("\"><th>")
          .append(escapeName(r))
          .append("</th>");
      for (String c : cols) {
        Double v = dom.get(r).get(c);
        sb.append("<td class=\"num\">").append(v == null ? "" : escape(Fmt.num(v))).append("</td>");
      }
      sb.append("</tr>");
    }
    sb.append("</tbody></table><p class=\"muted small\">Mean absolute weight of the top-5 features")
        .append(
            " per explanation type and modality, averaged over the explained (datapoint, class)")
        .append(" pairs (the DIME paper's Table 4).</p></div>");
  }
}
