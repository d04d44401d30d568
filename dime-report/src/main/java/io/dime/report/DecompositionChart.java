package io.dime.report;

import static io.dime.report.Html.escape;
import static io.dime.report.Html.escapeName;

import io.dime.api.Term;
import io.dime.api.TermValue;
import io.dime.spi.Palette;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * The value decomposition of one class as a horizontal bar chart in inline SVG: one bar per term
 * (the bias, each modality alone, each interaction, a residual above the order cap) and the total,
 * the class's output. Error bars show the Monte-Carlo standard error (solid) and, with replicates,
 * the replicate error (dashed, below). Each row carries {@code data-key} and {@code data-value}.
 */
final class DecompositionChart {
  private static final double W = 640;

  /** The label column's least width: labels end (right-aligned) at x = 170 or further right. */
  private static final double LABEL_W = 170;

  /**
   * The label column's greatest width: it widens to the longest label, up to this, so that an
   * interaction of several modalities ("image × text × series × table") is drawn whole.
   */
  static final double LABEL_MAX = 300;

  /** The width a label may take, right-aligned at the column's end at most: from x = 4. */
  static final double LABEL_FIT = LABEL_MAX - 4;

  /** The labels' font size (report.css: {@code svg .label}). */
  static final double LABEL_FONT = 12;

  private static final double PLOT_W = 300;

  /** The values' font size (report.css: {@code svg .value}). */
  private static final double VALUE_FONT = 11;

  private static final double ROW_H = 24;
  private static final double BAR_H = 14;
  private static final String BIAS = "#999999";
  private static final String TOTAL = "#333333";

  private DecompositionChart() {}

  private record Row(
      String key, String label, String shown, String kind, double value, double se, double re) {}

  /**
   * The chart of one class's decomposition and output, with a line comparing the terms' sum to the
   * output. The label column is as wide as the longest label needs ({@link SvgText#width}), from
   * 170 to {@link #LABEL_MAX} px, and the plot and the values move right with it; a label too long
   * for the widest column is cut from the middle; an interaction's cuts each of its modalities'
   * names, so that its " × " stays.
   *
   * @param modalities the explanation's modalities, which name the terms' parts
   */
  static void render(
      StringBuilder sb,
      List<TermValue> decomposition,
      double output,
      Palette p,
      List<String> modalities) {
    List<Row> rows = rows(decomposition, output, modalities);
    double sum = 0;
    for (TermValue t : decomposition) {
      sum += Double.isFinite(t.value()) ? t.value() : 0;
    }
    double lo = 0;
    double hi = 0;
    for (Row r : rows) {
      double err = Math.max(positive(r.se), positive(r.re));
      if (Double.isFinite(r.value)) {
        lo = Math.min(lo, r.value - err);
        hi = Math.max(hi, r.value + err);
      }
    }
    if (hi - lo <= 0) {
      hi = lo + 1;
    }
    double span = hi - lo;
    double l = lo;
    double labelW = LABEL_W;
    for (Row r : rows) {
      labelW = Math.max(labelW, Math.ceil(SvgText.width(r.shown, LABEL_FONT)) + 4);
    }
    Columns c = new Columns(labelW);
    DoubleUnaryOperator x = v -> c.plotX() + (v - l) / span * PLOT_W;

    double height = rows.size() * ROW_H + 8;
    // wide enough for the labels and the longest value text ("v ± se (replicates ± re)")
    double w = W + (labelW - LABEL_W);
    for (Row r : rows) {
      w = Math.max(w, c.valueX() + SvgText.width(valueText(r), VALUE_FONT) + 4);
    }
    sb.append("<svg class=\"decomposition\" viewBox=\"0 0 ")
        .append(Fmt.xy(w))
        .append(' ')
        .append(Fmt.xy(height))
        .append('"')
        .append(w > W ? " style=\"max-width:" + Fmt.xy(w) + "px\"" : "")
        .append(" role=\"img\" aria-label=\"value decomposition\">");
    double zero = x.applyAsDouble(0);
    for (int i = 0; i < rows.size(); i++) {
      row(sb, rows.get(i), 4 + i * ROW_H, c, x, zero, p);
    }
    sb.append("<line class=\"zero\" x1=\"")
        .append(Fmt.xy(zero))
        .append("\" y1=\"2\" x2=\"")
        .append(Fmt.xy(zero))
        .append("\" y2=\"")
        .append(Fmt.xy(height - 2))
        .append("\"/>");
    sb.append("</svg>");
    sb.append("<p class=\"muted small\">Terms sum to ")
        .append(escape(Fmt.num(sum)))
        .append("; the output is ")
        .append(escape(Fmt.num(output)))
        .append(
            addsUp(decomposition, output)
                ? ""
                : " <span class=\"bad\">\u2014 they do not add up, as DIME's terms always do:"
                    + " this record was altered or damaged</span>")
        .append(". Error bars: \u00b1 one Monte-Carlo standard error")
        .append(rows.stream().anyMatch(r -> positive(r.re) > 0) ? "; dashed: replicate error" : "")
        .append(".</p>");
  }

  /**
   * Whether the terms are finite and sum to the output, to 1e-6 of the larger of 1, the output and
   * the largest term: DIME writes decompositions that do to rounding, so one that does not was
   * changed after it was written (or read from a damaged file).
   */
  static boolean addsUp(List<TermValue> decomposition, double output) {
    if (decomposition.isEmpty()) {
      return true; // nothing to compare
    }
    double sum = 0;
    double scale = Math.max(1, Math.abs(output));
    for (TermValue t : decomposition) {
      if (!Double.isFinite(t.value())) {
        return false;
      }
      sum += t.value();
      scale = Math.max(scale, Math.abs(t.value()));
    }
    return Double.isFinite(output) && Math.abs(sum - output) <= 1e-6 * scale;
  }

  /** One row per term, in the given order, then the total. */
  private static List<Row> rows(
      List<TermValue> decomposition, double output, List<String> modalities) {
    List<Row> rows = new ArrayList<>();
    for (TermValue t : decomposition) {
      String key = t.key();
      String kind =
          key.equals("residual")
              ? "residual"
              : switch (Fmt.termOrder(key)) {
                case 0 -> "bias";
                case 1 -> "unimodal";
                case -1 -> "other";
                default -> "interaction";
              };
      rows.add(
          new Row(
              key,
              t.label(),
              shown(key, t.label(), modalities),
              kind,
              t.value(),
              t.standardError(),
              t.replicateError()));
    }
    String total = "total (output)";
    rows.add(new Row("output", total, total, "total", output, Double.NaN, Double.NaN));
    return rows;
  }

  /** The label as drawn: fitted to the widest label column, an interaction part by part. */
  static String shown(String key, String label, List<String> modalities) {
    // fitted as drawn: an invisible character is drawn as its code, six characters wide
    List<String> parts = new ArrayList<>();
    Term.parse(key)
        .filter(t -> t.order() >= 2)
        .ifPresent(
            t -> {
              for (int m : t.modalities()) {
                parts.add(m < modalities.size() ? Html.shownName(modalities.get(m)) : null);
              }
            });
    if (parts.isEmpty() || parts.contains(null)) {
      return SvgText.fit(Html.shownName(label), LABEL_FIT, LABEL_FONT);
    }
    return SvgText.fitParts(parts, LABEL_FIT, LABEL_FONT);
  }

  /** Where the labels end (right-aligned), the plot begins and the values begin. */
  private record Columns(double labelX) {
    double plotX() {
      return labelX + 10;
    }

    double valueX() {
      return plotX() + PLOT_W + 10;
    }
  }

  private static void row(
      StringBuilder sb,
      Row r,
      double y,
      Columns c,
      DoubleUnaryOperator x,
      double zero,
      Palette palette) {
    double mid = y + ROW_H / 2;
    String colour =
        switch (r.kind) {
          case "bias" -> BIAS;
          case "total" -> TOTAL;
          default -> r.value >= 0 ? palette.positive() : palette.negative();
        };
    sb.append("<g class=\"row row-")
        .append(r.kind)
        .append("\" data-key=\"")
        .append(escapeName(r.key))
        .append("\" data-value=\"")
        .append(r.value)
        .append("\" data-se=\"")
        .append(r.se)
        .append("\">");
    sb.append("<title>")
        .append(escapeName(r.label))
        .append(": ")
        .append(escape(valueText(r)))
        .append("</title>");
    sb.append("<text class=\"label\" x=\"")
        .append(Fmt.xy(c.labelX()))
        .append("\" y=\"")
        .append(Fmt.xy(mid + 4))
        .append("\" text-anchor=\"end\">")
        .append(escapeName(r.shown))
        .append("</text>");
    if (Double.isFinite(r.value)) {
      double xv = x.applyAsDouble(r.value);
      sb.append("<rect class=\"bar\" x=\"")
          .append(Fmt.xy(Math.min(zero, xv)))
          .append("\" y=\"")
          .append(Fmt.xy(mid - BAR_H / 2))
          .append("\" width=\"")
          .append(Fmt.xy(Math.max(0.5, Math.abs(xv - zero))))
          .append("\" height=\"")
          .append(Fmt.xy(BAR_H))
          .append("\" fill=\"")
          .append(colour)
          .append("\"/>");
      errorBar(sb, x, r.value, r.se, mid, "err");
      errorBar(sb, x, r.value, r.re, mid + 4, "err err-replicate");
    }
    sb.append("<text class=\"value\" x=\"")
        .append(Fmt.xy(c.valueX()))
        .append("\" y=\"")
        .append(Fmt.xy(mid + 4))
        .append("\">")
        .append(escape(valueText(r)))
        .append("</text>");
    sb.append("</g>");
  }

  private static double positive(double v) {
    return Double.isFinite(v) && v > 0 ? v : 0;
  }

  private static String valueText(Row r) {
    StringBuilder t = new StringBuilder(Fmt.num(r.value));
    if (positive(r.se) > 0) {
      t.append(" \u00b1 ").append(Fmt.num(r.se));
    }
    if (positive(r.re) > 0) {
      t.append(" (replicates \u00b1 ").append(Fmt.num(r.re)).append(')');
    }
    return t.toString();
  }

  private static void errorBar(
      StringBuilder sb, DoubleUnaryOperator x, double v, double err, double y, String cls) {
    if (!(positive(err) > 0)) {
      return;
    }
    double a = x.applyAsDouble(v - err);
    double b = x.applyAsDouble(v + err);
    sb.append("<path class=\"")
        .append(cls)
        .append("\" d=\"M")
        .append(Fmt.xy(a))
        .append(' ')
        .append(Fmt.xy(y))
        .append("H")
        .append(Fmt.xy(b))
        .append("M")
        .append(Fmt.xy(a))
        .append(' ')
        .append(Fmt.xy(y - 4))
        .append("V")
        .append(Fmt.xy(y + 4))
        .append("M")
        .append(Fmt.xy(b))
        .append(' ')
        .append(Fmt.xy(y - 4))
        .append("V")
        .append(Fmt.xy(y + 4))
        .append("\"/>");
  }
}
