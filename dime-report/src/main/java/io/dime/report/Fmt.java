package io.dime.report;

import io.dime.api.Term;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Number and value formatting, view-data access, colour checks: the report's small helpers. */
final class Fmt {
  private static final Pattern COLOUR = Pattern.compile("#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})");

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

  /**
   * An open value (a provenance or settings entry) as plain text, the same whether it was made in
   * memory or read back from JSON: strings as they are, null as empty, integral numbers as they are
   * and others as {@link #num(double)}, NaN and the infinities as JSON writes them, maps as {@code
   * key=value} pairs in key order, lists and arrays in brackets.
   */
  static String text(Object o) {
    if (o == null) {
      return "";
    }
    if (o instanceof String s) {
      return s;
    }
    if (o instanceof Number n) {
      return number(n);
    }
    if (o instanceof Optional<?> opt) {
      return text(opt.orElse(null));
    }
    if (o instanceof Map<?, ?> m) {
      List<String> parts = new ArrayList<>();
      sorted(m).forEach(e -> parts.add(e.getKey() + "=" + text(e.getValue())));
      return String.join(", ", parts);
    }
    List<?> list = list(o);
    if (list != null) {
      List<String> parts = new ArrayList<>();
      list.forEach(e -> parts.add(text(e)));
      return "[" + String.join(", ", parts) + "]";
    }
    return String.valueOf(o);
  }

  /**
   * True for a number that JSON keeps a number (not NaN or an infinity, which it writes as text).
   */
  static boolean isNumber(Object o) {
    return o instanceof Number n && !(isReal(n) && !Double.isFinite(n.doubleValue()));
  }

  /** A number as {@link #text(Object)} shows it, whatever its boxed type. */
  private static String number(Number n) {
    if (n instanceof Integer
        || n instanceof Long
        || n instanceof Short
        || n instanceof Byte
        || n instanceof java.math.BigInteger
        || n instanceof java.util.concurrent.atomic.AtomicInteger
        || n instanceof java.util.concurrent.atomic.AtomicLong) {
      return n.toString();
    }
    // a float comes back from JSON as the double of its shortest decimal form
    double d = n instanceof Float f ? Double.parseDouble(f.toString()) : n.doubleValue();
    return Double.isFinite(d) ? num(d) : Double.toString(d);
  }

  private static boolean isReal(Number n) {
    return n instanceof Double || n instanceof Float;
  }

  /** An array or a list as a list; null for anything else. */
  private static List<?> list(Object o) {
    if (o instanceof List<?> l) {
      return l;
    }
    if (o instanceof Object[] a) {
      return Arrays.asList(a);
    }
    if (o instanceof double[] d) {
      return Arrays.stream(d).boxed().toList();
    }
    if (o instanceof float[] f) {
      List<Float> out = new ArrayList<>();
      for (float x : f) {
        out.add(x);
      }
      return out;
    }
    if (o instanceof int[] a) {
      return Arrays.stream(a).boxed().toList();
    }
    if (o instanceof long[] a) {
      return Arrays.stream(a).boxed().toList();
    }
    if (o instanceof boolean[] b) {
      List<Boolean> out = new ArrayList<>();
      for (boolean x : b) {
        out.add(x);
      }
      return out;
    }
    return null;
  }

  /**
   * The entries of a map in the order of their keys' text: the order JSON writes them in, so that a
   * map read back from JSON shows as the one it was written from.
   */
  static <K, V> List<Map.Entry<K, V>> sorted(Map<K, V> m) {
    List<Map.Entry<K, V>> out = new ArrayList<>(m.entrySet());
    out.sort(Comparator.comparing(e -> String.valueOf(e.getKey())));
    return out;
  }

  /**
   * Text in natural order: runs of digits compare by their value ("2" before "10", "class 9" before
   * "class 10"; runs of any length), the rest as text; names equal so (as "01" and "1") fall back
   * to their text. Digits are ASCII's 0 to 9: other scripts' digits compare as text.
   */
  static int natural(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char x = a.charAt(i);
      char y = b.charAt(j);
      if (isDigit(x) && isDigit(y)) {
        int ei = digitsEnd(a, i);
        int ej = digitsEnd(b, j);
        String da = stripZeros(a.substring(i, ei));
        String db = stripZeros(b.substring(j, ej));
        int c =
            da.length() != db.length()
                ? Integer.compare(da.length(), db.length())
                : da.compareTo(db);
        if (c != 0) {
          return c;
        }
        i = ei;
        j = ej;
      } else {
        if (x != y) {
          return Character.compare(x, y);
        }
        i++;
        j++;
      }
    }
    int c = Integer.compare(a.length() - i, b.length() - j);
    return c != 0 ? c : a.compareTo(b);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int digitsEnd(String s, int from) {
    int e = from;
    while (e < s.length() && isDigit(s.charAt(e))) {
      e++;
    }
    return e;
  }

  private static String stripZeros(String digits) {
    int k = 0;
    while (k < digits.length() - 1 && digits.charAt(k) == '0') {
      k++;
    }
    return digits.substring(k);
  }

  /** A {@code #RRGGBB} or {@code #RGB} colour from view data, else the fallback. */
  static String colour(Object c, String fallback) {
    return c instanceof String s && COLOUR.matcher(s).matches() ? s : fallback;
  }

  /**
   * Whether white text reads better than the page's near-black text ({@code #1D1D1F}) on this
   * {@code #RRGGBB} or {@code #RGB} background, by the WCAG contrast ratio: true for the palettes'
   * dark ends (the blue {@code #0072B2}: 5.2 against 3.2), false for light shades and the orange.
   */
  static boolean darkBackground(String colour) {
    if (!COLOUR.matcher(colour).matches()) {
      return false;
    }
    String hex =
        colour.length() == 4
            ? ""
                + colour.charAt(1)
                + colour.charAt(1)
                + colour.charAt(2)
                + colour.charAt(2)
                + colour.charAt(3)
                + colour.charAt(3)
            : colour.substring(1);
    int rgb = Integer.parseInt(hex, 16);
    double bg = luminance(rgb);
    double white = 1.05 / (bg + 0.05);
    double dark = (bg + 0.05) / (luminance(0x1D1D1F) + 0.05);
    return white > dark;
  }

  /** The WCAG relative luminance of an sRGB colour. */
  private static double luminance(int rgb) {
    double[] c = new double[3];
    for (int i = 0; i < 3; i++) {
      double v = ((rgb >> (16 - 8 * i)) & 0xFF) / 255.0;
      c[i] = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
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
      return Arrays.stream(a).asDoubleStream().toArray();
    }
    if (o instanceof long[] a) {
      return Arrays.stream(a).asDoubleStream().toArray();
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
   * "g1_10" modalities 1 and 10; "gE" is "bias". Other keys and out-of-range indices stay as they
   * are.
   */
  static String termLabel(String key, List<String> modalities) {
    Optional<Term> term = Term.parse(key);
    if (term.isEmpty()) {
      return key;
    }
    if (term.get().order() == 0) {
      return "bias";
    }
    List<String> names = new ArrayList<>();
    for (int i : term.get().modalities()) {
      if (i >= modalities.size()) {
        return key;
      }
      names.add(modalities.get(i));
    }
    return String.join(" \u00d7 ", names);
  }

  /** The number of modalities in a term key: 0 for "gE", 2 for "g12"; -1 for other keys. */
  static int termOrder(String key) {
    return Term.parse(key).map(Term::order).orElse(-1);
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
      compact(Arrays.asList(a), sb, max, depth);
    } else {
      sb.append(o);
    }
  }
}
