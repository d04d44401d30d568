package io.dime.report;

import static io.dime.report.Html.escape;
import static io.dime.report.Html.escapeName;

import io.dime.spi.Palette;
import io.dime.spi.View;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Draws the plugins' views as HTML: "heatmap" (a PNG as a data URL with its colour scale), "tokens"
 * (the text with each token shaded by its weight), "series" (an SVG line per channel over weighted
 * bands), "bars" (a weight per named entry) and, for any other kind, an escaped table of the view's
 * data. Text from views is escaped; colours are used only when they are {@code #RRGGBB}; everything
 * else in a style attribute is a number the report computed.
 */
final class ViewRenderer {
  /** Bars beyond this many are left out of a "bars" view (the largest |weight| stay). */
  static final int MAX_BARS = 40;

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final String NEUTRAL = "#FFFFFF";

  private ViewRenderer() {}

  static void render(StringBuilder sb, View view) {
    render(sb, view, false);
  }

  /**
   * Draws a record's input: the view a modality draws with every weight 0, so a "bars" view leaves
   * out its weight columns, which would only repeat 0.
   */
  static void renderInput(StringBuilder sb, View view) {
    render(sb, view, true);
  }

  private static void render(StringBuilder sb, View view, boolean input) {
    Map<String, Object> d = view.data();
    sb.append("<figure class=\"view view-")
        .append(cssKind(view.kind()))
        .append("\" data-kind=\"")
        .append(escapeName(view.kind()))
        .append("\">");
    Object title = d.get("title");
    if (title instanceof String t && !t.isBlank()) {
      sb.append("<figcaption>").append(escape(t)).append("</figcaption>");
    }
    switch (view.kind()) {
      case "heatmap" -> heatmap(sb, d);
      case "tokens" -> tokens(sb, d);
      case "series" -> series(sb, d);
      case "bars" -> bars(sb, d, !input);
      default -> generic(sb, d);
    }
    sb.append("</figure>");
  }

  private static String cssKind(String kind) {
    return switch (kind) {
      case "heatmap", "tokens", "series", "bars" -> kind;
      default -> "generic";
    };
  }

  // ---- heatmap ----

  private static void heatmap(StringBuilder sb, Map<String, Object> d) {
    Object png = d.get("png");
    if (!(png instanceof byte[] bytes) || !isPng(bytes)) {
      sb.append("<p class=\"muted\">This heat map has no PNG image.</p>");
      generic(sb, d);
      return;
    }
    int w = Fmt.integer(d.get("width"), 0);
    int h = Fmt.integer(d.get("height"), 0);
    String alt = Fmt.string(d.get("title"), "heat map");
    sb.append("<img class=\"heatmap")
        .append(w > 0 && w < 160 ? " small" : "")
        .append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(bytes))
        .append('"');
    if (w > 0 && h > 0) {
      sb.append(" width=\"").append(w).append("\" height=\"").append(h).append('"');
    }
    sb.append(" alt=\"").append(escape(alt)).append("\">");
    double min = Fmt.number(d.get("scaleMin"));
    double max = Fmt.number(d.get("scaleMax"));
    if (min < 0 || max > 0) {
      scale(
          sb,
          min,
          max,
          Fmt.colour(d.get("negativeColor"), "#E69F00"),
          Fmt.colour(d.get("positiveColor"), "#0072B2"));
    }
  }

  private static boolean isPng(byte[] b) {
    if (b.length < PNG.length) {
      return false;
    }
    for (int i = 0; i < PNG.length; i++) {
      if (b[i] != PNG[i]) {
        return false;
      }
    }
    return true;
  }

  /** A colour scale: min, a gradient through white, max. */
  static void scale(StringBuilder sb, double min, double max, String negative, String positive) {
    sb.append("<div class=\"scale\"><span>")
        .append(escape(Fmt.num(min)))
        .append("</span><span class=\"gradient\" style=\"background:linear-gradient(to right,")
        .append(negative)
        .append(",#FFFFFF,")
        .append(positive)
        .append(")\"></span><span>")
        .append(escape(Fmt.num(max)))
        .append("</span></div>");
  }

  // ---- tokens ----

  private static void tokens(StringBuilder sb, Map<String, Object> d) {
    String text = Fmt.string(d.get("text"), null);
    List<Map<?, ?>> features = new ArrayList<>(Fmt.maps(d.get("features")));
    sb.append("<p class=\"tokens\">");
    boolean spans = text != null && offsetsValid(features, text.length());
    if (spans) {
      features.sort(Comparator.comparingInt(f -> Fmt.integer(f.get("begin"), 0)));
    }
    int at = 0;
    for (int i = 0; i < features.size(); i++) {
      Map<?, ?> f = features.get(i);
      String tokenText;
      if (spans) {
        int b = Fmt.integer(f.get("begin"), 0);
        int e = Fmt.integer(f.get("end"), 0);
        sb.append(escape(text.substring(at, b)));
        tokenText = text.substring(b, e);
        at = e;
      } else {
        if (i > 0) {
          sb.append(' ');
        }
        tokenText = Fmt.string(f.get("text"), Fmt.string(f.get("name"), ""));
      }
      double w = Fmt.number(f.get("weight"));
      String colour = Fmt.colour(f.get("colour"), NEUTRAL);
      boolean top = Boolean.TRUE.equals(f.get("top"));
      sb.append("<span class=\"tok").append(top ? " top" : "").append('"');
      if (!colour.equalsIgnoreCase(NEUTRAL)) {
        sb.append(" style=\"background:").append(colour);
        if (Fmt.darkBackground(colour)) {
          sb.append(";color:#FFFFFF");
        }
        sb.append('"');
      }
      sb.append(" title=\"")
          .append(escapeName(Fmt.string(f.get("name"), tokenText)))
          .append(": ")
          .append(escape(Fmt.num(w)))
          .append("\">")
          .append(escape(tokenText))
          .append("</span>");
    }
    if (spans) {
      sb.append(escape(text.substring(at)));
    } else if (features.isEmpty() && text != null) {
      sb.append(escape(text));
    }
    sb.append("</p>");
    double max = Fmt.number(d.get("maxAbsWeight"));
    if (max > 0) {
      scale(
          sb,
          -max,
          max,
          Fmt.colour(d.get("negativeColour"), "#E69F00"),
          Fmt.colour(d.get("positiveColour"), "#0072B2"));
    }
  }

  /** True when every feature's [begin, end) lies in the text and no two overlap. */
  private static boolean offsetsValid(List<Map<?, ?>> features, int length) {
    List<int[]> spans = new ArrayList<>();
    for (Map<?, ?> f : features) {
      if (!(f.get("begin") instanceof Number) || !(f.get("end") instanceof Number)) {
        return false;
      }
      int b = Fmt.integer(f.get("begin"), -1);
      int e = Fmt.integer(f.get("end"), -1);
      if (b < 0 || e < b || e > length) {
        return false;
      }
      spans.add(new int[] {b, e});
    }
    spans.sort(Comparator.comparingInt(s -> s[0]));
    for (int i = 1; i < spans.size(); i++) {
      if (spans.get(i)[0] < spans.get(i - 1)[1]) {
        return false;
      }
    }
    return true;
  }

  // ---- series ----

  private static final double SERIES_W = 320;
  private static final double SERIES_H = 64;
  private static final double SERIES_PAD = 16;

  private static void series(StringBuilder sb, Map<String, Object> d) {
    List<Map<?, ?>> channels = Fmt.maps(d.get("channels"));
    List<Map<?, ?>> bands = Fmt.maps(d.get("features"));
    if (channels.isEmpty()) {
      sb.append("<p class=\"muted\">This series view has no channels.</p>");
      return;
    }
    int length = Fmt.integer(d.get("length"), 0);
    for (Map<?, ?> ch : channels) {
      length = Math.max(length, Fmt.numbers(ch.get("values")).length);
    }
    double height = channels.size() * (SERIES_H + SERIES_PAD);
    sb.append("<svg class=\"series\" viewBox=\"0 0 ")
        .append(Fmt.xy(SERIES_W))
        .append(' ')
        .append(Fmt.xy(height))
        .append("\" role=\"img\">");
    for (int c = 0; c < channels.size(); c++) {
      double top = c * (SERIES_H + SERIES_PAD) + SERIES_PAD;
      double[] v = Fmt.numbers(channels.get(c).get("values"));
      bands(sb, bands, c, top, length);
      double[] range = range(v);
      line(sb, v, top, length, range);
      sb.append("<text class=\"channel\" x=\"2\" y=\"")
          .append(Fmt.xy(top - 3))
          .append("\">")
          .append(escapeName(Fmt.string(channels.get(c).get("name"), "c" + c)))
          .append(" (")
          .append(escape(Fmt.num(range[0])))
          .append(" to ")
          .append(escape(Fmt.num(range[1])))
          .append(")</text>");
    }
    sb.append("</svg>");
    double scale = Fmt.number(d.get("scale"));
    if (scale > 0 && d.get("palette") instanceof Map<?, ?> p) {
      scale(
          sb,
          -scale,
          scale,
          Fmt.colour(p.get("negative"), "#E69F00"),
          Fmt.colour(p.get("positive"), "#0072B2"));
    }
  }

  /**
   * The weighted bands of channel {@code c} (bands of weight 0 or not shaded are left out): steps
   * [start, end) as cells of {@code SERIES_W / length}, each centred on its step's point.
   */
  private static void bands(
      StringBuilder sb, List<Map<?, ?>> bands, int c, double top, int length) {
    double band = length > 0 ? SERIES_W / length : SERIES_W;
    for (Map<?, ?> b : bands) {
      if (Fmt.integer(b.get("channel"), -1) != c
          || Boolean.FALSE.equals(b.get("shaded"))
          || !(Math.abs(Fmt.number(b.get("weight"))) > 0)) {
        continue;
      }
      int s = Math.max(0, Fmt.integer(b.get("start"), 0));
      int e = Math.min(length, Fmt.integer(b.get("end"), 0));
      if (e <= s) {
        continue;
      }
      sb.append("<rect class=\"band\" x=\"")
          .append(Fmt.xy(s * band))
          .append("\" y=\"")
          .append(Fmt.xy(top))
          .append("\" width=\"")
          .append(Fmt.xy((e - s) * band))
          .append("\" height=\"")
          .append(Fmt.xy(SERIES_H))
          .append("\" fill=\"")
          .append(Fmt.colour(b.get("colour"), NEUTRAL))
          .append("\"><title>")
          .append(escapeName(Fmt.string(b.get("name"), "")))
          .append(": ")
          .append(escape(Fmt.num(Fmt.number(b.get("weight")))))
          .append("</title></rect>");
    }
  }

  /** The plotted range of a channel's finite values: {lo, hi}, widened when flat or empty. */
  private static double[] range(double[] v) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      if (Double.isFinite(x)) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    }
    if (lo > hi) {
      return new double[] {0, 1};
    }
    return lo == hi ? new double[] {lo - 1, hi + 1} : new double[] {lo, hi};
  }

  /**
   * The columns a long series is drawn in: a channel of more than twice as many values is drawn by
   * the lowest and highest value of each column (in their order), which is what its line shows at
   * any size the report is read at, instead of one point per value (a million steps wrote 14 MB per
   * view).
   */
  static final int SERIES_COLUMNS = 1024;

  /**
   * One polyline per run of finite values: gaps stay gaps. Step i is drawn at the centre of the
   * i-th of {@code length} equal cells, the cells {@link #bands} shades, so a point sits in the
   * middle of its band.
   */
  private static void line(StringBuilder sb, double[] v, double top, int length, double[] range) {
    double dx = SERIES_W / Math.max(1, length);
    boolean columns = v.length > 2 * SERIES_COLUMNS;
    StringBuilder pts = new StringBuilder();
    int column = -1;
    int lo = -1; // the current column's lowest and highest finite values so far, by index
    int hi = -1;
    for (int i = 0; i <= v.length; i++) {
      boolean finite = i < v.length && Double.isFinite(v[i]);
      int c = !columns || i == v.length ? i : (int) ((long) i * SERIES_COLUMNS / v.length);
      if (lo >= 0 && (c != column || !finite)) {
        point(pts, Math.min(lo, hi), v, dx, top, length, range);
        if (hi != lo) {
          point(pts, Math.max(lo, hi), v, dx, top, length, range);
        }
        lo = -1;
        hi = -1;
      }
      column = c;
      if (finite) {
        lo = lo < 0 || v[i] < v[lo] ? i : lo;
        hi = hi < 0 || v[i] > v[hi] ? i : hi;
      } else if (pts.length() > 0) {
        sb.append("<polyline class=\"line\" points=\"").append(pts).append("\"/>");
        pts.setLength(0);
      }
    }
  }

  /** Appends value {@code i}'s point to a polyline's points. */
  private static void point(
      StringBuilder pts, int i, double[] v, double dx, double top, int length, double[] range) {
    double x = (i + 0.5) * dx;
    double y = top + SERIES_H - (v[i] - range[0]) / (range[1] - range[0]) * SERIES_H;
    pts.append(pts.length() == 0 ? "" : " ").append(Fmt.xy(x)).append(',').append(Fmt.xy(y));
  }

  // ---- bars ----

  private static void bars(StringBuilder sb, Map<String, Object> d, boolean weighted) {
    List<Map<?, ?>> bars = Fmt.maps(d.get("bars"));
    double max = 0;
    for (Map<?, ?> b : bars) {
      double w = Fmt.number(b.get("weight"));
      if (Double.isFinite(w)) {
        max = Math.max(max, Math.abs(w));
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < bars.size(); i++) {
      order.add(i);
    }
    if (bars.size() > MAX_BARS) {
      order.sort(
          Comparator.comparingDouble(
                  (Integer i) -> {
                    double w = Fmt.number(bars.get(i).get("weight"));
                    return Double.isFinite(w) ? -Math.abs(w) : 0;
                  })
              .thenComparingInt(i -> i));
      order = new ArrayList<>(order.subList(0, MAX_BARS));
      order.sort(null);
    }
    Palette palette = palette(d.get("palette"));
    boolean anyValue = bars.stream().anyMatch(b -> b.containsKey("value"));
    sb.append("<table class=\"bars\"><thead><tr><th>feature</th>");
    if (anyValue) {
      sb.append("<th>value</th>");
    }
    sb.append(weighted ? "<th>weight</th><th class=\"barcol\"></th>" : "")
        .append("</tr></thead><tbody>");
    for (int i : order) {
      Map<?, ?> b = bars.get(i);
      String name = Fmt.string(b.containsKey("name") ? b.get("name") : b.get("field"), "#" + i);
      double w = Fmt.number(b.get("weight"));
      sb.append("<tr")
          .append(Boolean.FALSE.equals(b.get("shown")) ? " class=\"dim\"" : "")
          .append("><td class=\"name\">")
          .append(escapeName(name))
          .append("</td>");
      if (anyValue) {
        Object v = b.get("value");
        sb.append("<td class=\"num\">")
            .append(escape(v instanceof Number n ? Fmt.num(n.doubleValue()) : Fmt.compact(v, 80)))
            .append("</td>");
      }
      if (weighted) {
        sb.append("<td class=\"num\">")
            .append(escape(Fmt.num(w)))
            .append("</td><td class=\"barcol\">");
        weightBar(sb, w, max, palette.positive(), palette.negative());
        sb.append("</td>");
      }
      sb.append("</tr>");
    }
    sb.append("</tbody></table>");
    if (bars.size() > order.size()) {
      sb.append("<p class=\"muted\">")
          .append(bars.size() - order.size())
          .append(
              weighted
                  ? " entries with smaller weights are not shown."
                  : " more entries are not shown.")
          .append("</p>");
    }
    if (bars.isEmpty()) {
      sb.append("<p class=\"muted\">No entries.</p>");
    }
  }

  private static Palette palette(Object name) {
    if (name instanceof String s) {
      try {
        return Palette.of(s);
      } catch (IllegalArgumentException e) {
        return Palette.DIVERGING;
      }
    }
    return Palette.DIVERGING;
  }

  /** A diverging CSS bar: half the cell is each sign's side. */
  static void weightBar(StringBuilder sb, double w, double max, String positive, String negative) {
    double f = max > 0 && Double.isFinite(w) ? Math.min(1, Math.abs(w) / max) : 0;
    String pct = Fmt.xy(50 * f);
    sb.append("<div class=\"wbar\">");
    if (f > 0) {
      sb.append("<span style=\"")
          .append(w > 0 ? "left:50%" : "right:50%")
          .append(";width:")
          .append(pct)
          .append("%;background:")
          .append(w > 0 ? positive : negative)
          .append("\"></span>");
    }
    sb.append("</div>");
  }

  // ---- anything else ----

  private static void generic(StringBuilder sb, Map<String, Object> d) {
    sb.append("<table class=\"kv generic\"><tbody>");
    for (Map.Entry<String, Object> e : d.entrySet()) {
      sb.append("<tr><th>")
          .append(escapeName(e.getKey()))
          .append("</th><td>")
          .append(escape(Fmt.compact(e.getValue(), 300)))
          .append("</td></tr>");
    }
    sb.append("</tbody></table>");
  }
}
