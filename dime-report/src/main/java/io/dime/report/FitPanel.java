package io.dime.report;

import static io.dime.report.Html.escape;
import static io.dime.report.Html.escapeName;

import io.dime.api.Faithfulness;
import io.dime.api.ModalityExplanation;
import io.dime.api.SurrogateFit;
import io.dime.spi.Palette;
import io.dime.spi.View;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The panel of one surrogate fit: its heading, the modality's view of its weights (when the caller
 * drew one), its fit statistics, extra figures and faithfulness, and its largest weights.
 */
final class FitPanel {
  /** Features listed under a panel that has a view (the largest |weight|). */
  static final int TOP_FEATURES = 5;

  private final Palette palette;
  private final List<String> modalities;

  FitPanel(Palette palette, List<String> modalities) {
    this.palette = palette;
    this.modalities = modalities;
  }

  void render(
      StringBuilder sb, DatapointReport d, int ci, ModalityExplanation me, SurrogateFit fit) {
    String modality = me.modality();
    String key = fit.key();
    String[] head = heading(modality, fit);
    FitRef ref = new FitRef(Math.max(0, ci), modality, key);
    sb.append("<div class=\"panel ")
        .append(head[0])
        .append("\" data-class=\"")
        .append(ci)
        .append("\" data-modality=\"")
        .append(escapeName(modality))
        .append("\" data-fit=\"")
        .append(escapeName(key))
        .append("\"><h5>")
        .append(escapeName(key))
        .append(" <span class=\"muted\">")
        .append(escape(head[1]))
        .append("</span></h5>");
    View view = d.views().get(ref);
    if (view != null) {
      ViewRenderer.render(sb, view);
      colouredNote(sb, view, fit.weights());
    }
    sb.append("<div class=\"stats\"><span>R\u00b2 <b>")
        .append(escape(Fmt.num(fit.score())))
        .append("</b></span><span>intercept ")
        .append(escape(Fmt.num(fit.intercept())))
        .append("</span><span>at the input ")
        .append(escape(Fmt.num(fit.localPrediction())))
        .append("</span></div>");
    figures(sb, d.figures().getOrDefault(ref, Map.of()), fit.faithfulness());
    fit.faithfulness().ifPresent(f -> curves(sb, f));
    weights(sb, me, fit, view == null ? ViewRenderer.MAX_BARS : TOP_FEATURES, truncated(view));
    sb.append("</div>");
  }

  /**
   * Under a heat map that colours only its largest weights (the view's {@code topN}), how many it
   * colours of the non-zero ones: an uncoloured segment is not one without weight, and the table
   * below lists only the first few.
   */
  private static void colouredNote(StringBuilder sb, View view, double[] weights) {
    if (!"heatmap".equals(view.kind())
        || Fmt.integer(view.data().get("topN"), 0) <= 0
        || !view.data().containsKey("coloredSegments")) {
      return;
    }
    int coloured = Fmt.numbers(view.data().get("coloredSegments")).length;
    int nonZero = 0;
    for (double w : weights) {
      if (Double.isFinite(w) && w != 0) {
        nonZero++;
      }
    }
    if (coloured < nonZero) {
      sb.append("<p class=\"muted small coloured-note\">Coloured: the ")
          .append(coloured)
          .append(" features with the largest |weight| of ")
          .append(nonZero)
          .append(" with a non-zero weight; the others are left uncoloured.</p>");
    }
  }

  /** The panel's CSS class and the heading's explanation. */
  private String[] heading(String modality, SurrogateFit fit) {
    String key = fit.key();
    return switch (key) {
      case "UC" -> new String[] {"panel-uc", "unimodal contribution: " + modality + " alone"};
      case "MI" ->
          new String[] {"panel-mi", "multimodal interaction: " + modality + " with the others"};
      case "LIME" ->
          new String[] {"panel-lime", "plain LIME on the model's output, for comparison"};
      case "residual" -> new String[] {"panel-term", "terms above the order cap"};
      default ->
          Fmt.termOrder(key) > 0
              ? new String[] {"panel-term", "term " + Fmt.termLabel(key, modalities)}
              : new String[] {"panel-other", fit.kind().name()};
    };
  }

  /**
   * The caller's figures, then the fit's faithfulness scores under their JSON names (a caller's
   * figure of the same name wins).
   */
  private static void figures(
      StringBuilder sb, Map<String, Object> callers, Optional<Faithfulness> faith) {
    Map<String, Object> figures = new LinkedHashMap<>(callers);
    faith.ifPresent(
        f -> {
          figures.putIfAbsent("steps", f.steps());
          figures.putIfAbsent("deletionArea", f.deletionArea());
          figures.putIfAbsent("insertionArea", f.insertionArea());
          figures.putIfAbsent("normalisedDeletionArea", f.normalisedDeletionArea());
          figures.putIfAbsent("normalisedInsertionArea", f.normalisedInsertionArea());
          figures.putIfAbsent("heldOutSamples", f.heldOutSamples());
          figures.putIfAbsent("heldOutR2", f.heldOutR2());
          figures.putIfAbsent("heldOutWeightedR2", f.heldOutWeightedR2());
        });
    if (figures.isEmpty()) {
      return;
    }
    sb.append("<table class=\"kv figures\"><tbody>");
    figures.forEach(
        (k, v) ->
            sb.append("<tr><th>")
                .append(escapeName(k))
                .append("</th><td class=\"num\">")
                .append(
                    escape(v instanceof Number n ? Fmt.num(n.doubleValue()) : Fmt.compact(v, 200)))
                .append("</td></tr>"));
    sb.append("</tbody></table>");
  }

  /** The deletion and insertion curves of a fit's faithfulness, when it has them. */
  private static void curves(StringBuilder sb, Faithfulness faith) {
    double[] x = faith.fractions();
    double[] del = faith.deletion();
    double[] ins = faith.insertion();
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

  /**
   * The features the view marks {@code truncated: true} (a text's words past what the model reads:
   * their weights mean nothing), by index; empty without a view or such features.
   */
  static java.util.Set<Integer> truncated(View view) {
    java.util.Set<Integer> out = new java.util.HashSet<>();
    if (view != null && view.data().get("features") instanceof List<?> features) {
      for (int i = 0; i < features.size(); i++) {
        if (features.get(i) instanceof Map<?, ?> f && Boolean.TRUE.equals(f.get("truncated"))) {
          out.add(i);
        }
      }
    }
    return out;
  }

  /**
   * The features with the largest |weight|, with their standard errors and a bar; features the
   * model never reads ({@code cut}) are left out, as the view leaves them out of its top list.
   */
  private void weights(
      StringBuilder sb,
      ModalityExplanation me,
      SurrogateFit fit,
      int top,
      java.util.Set<Integer> cut) {
    double[] w = fit.weights();
    double[] se = fit.standardErrors();
    double[] re = fit.replicateErrors();
    List<String> names = me.featureNames();
    List<Integer> order = new ArrayList<>();
    double max = 0;
    for (int i = 0; i < w.length; i++) {
      if (Double.isFinite(w[i]) && w[i] != 0 && !cut.contains(i)) {
        order.add(i);
        max = Math.max(max, Math.abs(w[i]));
      }
    }
    String unread =
        cut.isEmpty()
            ? ""
            : "<p class=\"muted small\">"
                + cut.size()
                + (cut.size() == 1 ? " feature" : " features")
                + " past what the model reads (truncated) not listed: "
                + (cut.size() == 1 ? "its weight means" : "their weights mean")
                + " nothing.</p>";
    if (order.isEmpty()) {
      sb.append("<p class=\"muted small\">All weights are 0.</p>").append(unread);
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
          .append(escapeName(i < names.size() ? names.get(i) : "#" + i))
          .append("</td><td class=\"num\">")
          .append(escape(Fmt.num(w[i])))
          .append("</td><td class=\"num\">")
          .append(escape(i < se.length ? Fmt.num(se[i]) : ""))
          .append("</td>");
      if (replicates) {
        sb.append("<td class=\"num\">").append(escape(Fmt.num(re[i]))).append("</td>");
      }
      sb.append("<td class=\"barcol\">");
      ViewRenderer.weightBar(sb, w[i], max, palette.positive(), palette.negative());
      sb.append("</td></tr>");
    }
    sb.append("</tbody></table>");
    if (order.size() > top) {
      sb.append("<p class=\"muted small\">")
          .append(order.size() - top)
          .append(" more features with non-zero weights.</p>");
    }
    sb.append(unread);
  }
}
