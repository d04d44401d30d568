package io.dime.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Number formatting, JSON and view-data access, colour checks: the report's small helpers. */
final class Fmt {
  private static final Pattern COLOUR = Pattern.compile("#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})");
  private static final Pattern TERM_KEY =
      Pattern.compile("g(?:[1-9]+|[1-9][0-9]?(?:_[1-9][0-9]?)+)");

  private Fmt() {}

  /** A number for people: four significant digits, scientific when very large or small. */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "\u221e" : "-\u221e";
    }
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    if (a >= 1e5 || a < 1e-3) {
      return String.format(Locale.ROOT, "%.3e", v);
    }
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  /** A share as a percentage with one decimal. */
  static String pct(double share) {
    return Double.isFinite(share) ? String.format(Locale.ROOT, "%.1f%%", 100 * share) : "n/a";
  }

  /** A coordinate for SVG: two decimals, dot as the separator. */
  static String xy(double v) {
    return String.format(Locale.ROOT, "%.2f", Double.isFinite(v) ? v : 0);
  }

  /** A JSON number; "NaN", "Infinity" and "-Infinity" strings (Jackson's way) too; else NaN. */
  static double num(JsonNode n) {
    if (n == null) {
      return Double.NaN;
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isTextual()) {
      return switch (n.asText()) {
        case "Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        default -> Double.NaN;
      };
    }
    return Double.NaN;
  }

  /** A JSON scalar for a figure: numbers (and Jackson's NaN strings) as Double, else its text. */
  static Object scalar(JsonNode n) {
    if (n.isNumber()
        || n.isTextual() && List.of("NaN", "Infinity", "-Infinity").contains(n.asText())) {
      return num(n);
    }
    return n.asText();
  }

  /** A JSON array of numbers. */
  static double[] nums(JsonNode n) {
    if (n == null || !n.isArray()) {
      return new double[0];
    }
    double[] out = new double[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = num(n.get(i));
    }
    return out;
  }

  /** A JSON value as plain text: strings as they are, null as empty, the rest compactly. */
  static String text(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "";
    }
    if (n.isTextual()) {
      return n.asText();
    }
    if (n.isNumber()) {
      return n.isIntegralNumber() ? n.asText() : num(n.asDouble());
    }
    if (n.isObject()) {
      List<String> parts = new ArrayList<>();
      n.fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + text(e.getValue())));
      return String.join(", ", parts);
    }
    if (n.isArray()) {
      List<String> parts = new ArrayList<>();
      n.forEach(e -> parts.add(text(e)));
      return "[" + String.join(", ", parts) + "]";
    }
    return n.asText();
  }

  /** A {@code #RRGGBB} or {@code #RGB} colour from view data, else the fallback. */
  static String colour(Object c, String fallback) {
    return c instanceof String s && COLOUR.matcher(s).matches() ? s : fallback;
  }

  /** A number from view data (any {@link Number}), else NaN. */
  static double number(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** An int from view data, else the fallback. */
  static int integer(Object o, int fallback) {
    return o instanceof Number n ? n.intValue() : fallback;
  }

  /** Numbers from view data: double[], float[], int[], long[] or a list of numbers. */
  static double[] numbers(Object o) {
    if (o instanceof double[] d) {
      return d;
    }
    if (o instanceof float[] f) {
      double[] out = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        out[i] = f[i];
      }
      return out;
    }
    if (o instanceof int[] a) {
      return java.util.Arrays.stream(a).asDoubleStream().toArray();
    }
    if (o instanceof long[] a) {
      return java.util.Arrays.stream(a).asDoubleStream().toArray();
    }
    if (o instanceof List<?> l) {
      double[] out = new double[l.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = number(l.get(i));
      }
      return out;
    }
    return new double[0];
  }

  /** The maps of a list in view data (other elements are skipped). */
  static List<Map<?, ?>> maps(Object o) {
    List<Map<?, ?>> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      for (Object e : l) {
        if (e instanceof Map<?, ?> m) {
          out.add(m);
        }
      }
    } else if (o instanceof Object[] a) {
      for (Object e : a) {
        if (e instanceof Map<?, ?> m) {
          out.add(m);
        }
      }
    }
    return out;
  }

  /** A string from view data, or the fallback for null and non-strings' absence. */
  static String string(Object o, String fallback) {
    return o == null ? fallback : o instanceof String s ? s : String.valueOf(o);
  }

  /**
   * The label of a term key with modality names: "g1" is the first modality, "g12" "image x text",
   * "g1_10" modalities 1 and 10; "gE" is "bias". Unknown keys and out-of-range indices stay as they
   * are.
   */
  static String termLabel(String key, List<String> modalities) {
    if ("gE".equals(key)) {
      return "bias";
    }
    List<Integer> idx = termModalities(key);
    if (idx == null) {
      return key;
    }
    List<String> names = new ArrayList<>();
    for (int i : idx) {
      if (i < 1 || i > modalities.size()) {
        return key;
      }
      names.add(modalities.get(i - 1));
    }
    return String.join(" \u00d7 ", names);
  }

  /** The number of modalities in a term key: 0 for "gE", 2 for "g12"; -1 for other keys. */
  static int termOrder(String key) {
    List<Integer> m = termModalities(key);
    return m == null ? -1 : m.size();
  }

  /** The 1-based modality indices of a term key, empty for "gE", null for other keys. */
  private static List<Integer> termModalities(String key) {
    if ("gE".equals(key)) {
      return List.of();
    }
    if (key == null || !TERM_KEY.matcher(key).matches()) {
      return null;
    }
    String body = key.substring(1);
    List<Integer> idx = new ArrayList<>();
    if (body.contains("_")) {
      for (String p : body.split("_")) {
        idx.add(Integer.parseInt(p));
      }
    } else {
      for (char c : body.toCharArray()) {
        idx.add(c - '0');
      }
    }
    return idx;
  }

  /** A compact, plain-text rendering of any view datum, cut at {@code max} characters. */
  static String compact(Object o, int max) {
    StringBuilder sb = new StringBuilder();
    compact(o, sb, max, 0);
    return sb.length() > max ? sb.substring(0, max) + "\u2026" : sb.toString();
  }

  private static void compact(Object o, StringBuilder sb, int max, int depth) {
    if (sb.length() > max) {
      return;
    }
    if (o == null) {
      sb.append("null");
    } else if (o instanceof byte[] b) {
      sb.append(b.length).append(" bytes");
    } else if (o instanceof Double || o instanceof Float) {
      sb.append(num(((Number) o).doubleValue()));
    } else if (o instanceof double[]
        || o instanceof float[]
        || o instanceof int[]
        || o instanceof long[]) {
      double[] d = numbers(o);
      sb.append('[');
      for (int i = 0; i < d.length && sb.length() <= max; i++) {
        sb.append(i == 0 ? "" : ", ")
            .append(
                o instanceof double[] || o instanceof float[]
                    ? num(d[i])
                    : Long.toString((long) d[i]));
      }
      sb.append(']');
    } else if (o instanceof Map<?, ?> m) {
      if (depth > 3) {
        sb.append("{\u2026}");
        return;
      }
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sb.append(first ? "" : ", ").append(e.getKey()).append(": ");
        compact(e.getValue(), sb, max, depth + 1);
        first = false;
      }
      sb.append('}');
    } else if (o instanceof List<?> l) {
      if (depth > 3) {
        sb.append("[\u2026]");
        return;
      }
      sb.append('[');
      for (int i = 0; i < l.size() && sb.length() <= max; i++) {
        sb.append(i == 0 ? "" : ", ");
        compact(l.get(i), sb, max, depth + 1);
      }
      sb.append(']');
    } else if (o instanceof Object[] a) {
      compact(java.util.Arrays.asList(a), sb, max, depth);
    } else {
      sb.append(o);
    }
  }
}
