package io.dime.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The YAML the skeleton writes: lines with an optional comment, and safely quoted scalars. */
final class YamlLines {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_./-]*");
  private static final Set<String> RESERVED =
      Set.of("true", "false", "null", "yes", "no", "on", "off", "y", "n", "~");

  private YamlLines() {}

  /** {@code text}, then {@code # comment} unless the comment is null, then a line end. */
  static void line(StringBuilder sb, String text, String comment) {
    sb.append(text);
    if (comment != null) {
      sb.append("  # ").append(comment);
    }
    sb.append('\n');
  }

  /**
   * A YAML scalar, flow list or flow mapping: plain when safe, else double-quoted (JSON escaping).
   */
  static String scalar(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof java.util.Map<?, ?> m) {
      List<String> parts = new ArrayList<>();
      m.forEach((k, x) -> parts.add(scalar(k) + ": " + scalar(x)));
      return "{" + String.join(", ", parts) + "}";
    }
    if (v instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      for (Object o : l) {
        parts.add(scalar(o));
      }
      return "[" + String.join(", ", parts) + "]";
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    String s = v.toString();
    if (PLAIN.matcher(s).matches() && !RESERVED.contains(s.toLowerCase(Locale.ROOT))) {
      return s;
    }
    return io.dime.core.io.Json.line(s);
  }
}
