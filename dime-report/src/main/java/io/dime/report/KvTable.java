package io.dime.report;

import static io.dime.report.Html.escape;
import static io.dime.report.Html.escapeName;

import java.util.Map;

/** Two-column tables of names and values: single rows, and whole maps of open values. */
final class KvTable {
  /** Maps nested deeper than this are shown as text. */
  private static final int MAX_DEPTH = 4;

  private KvTable() {}

  /** One row, a name and a number-like value, when {@code present}. */
  static void row(StringBuilder sb, String key, String value, boolean present) {
    if (present) {
      sb.append("<tr><th>")
          .append(escape(key))
          .append("</th><td class=\"num\">")
          .append(escape(value))
          .append("</td></tr>");
    }
  }

  /**
   * A map of open values (numbers, strings, booleans, lists, maps) as a table in key order; nested
   * maps nest, up to a few levels, and numbers are right-aligned. See {@link Fmt#text(Object)}.
   */
  static void values(StringBuilder sb, Map<String, ?> m, int depth) {
    sb.append("<table class=\"kv\"><tbody>");
    for (Map.Entry<String, ?> e : Fmt.sorted(m)) {
      sb.append("<tr><th>").append(escapeName(e.getKey())).append("</th><td");
      Object v = e.getValue();
      if (v instanceof Map<?, ?> nested && !nested.isEmpty() && depth < MAX_DEPTH) {
        sb.append('>');
        values(sb, stringKeys(nested), depth + 1);
      } else {
        sb.append(Fmt.isNumber(v) ? " class=\"num\">" : ">").append(escapeName(Fmt.text(v)));
      }
      sb.append("</td></tr>");
    }
    sb.append("</tbody></table>");
  }

  private static Map<String, Object> stringKeys(Map<?, ?> m) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }
}
