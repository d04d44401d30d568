package io.dime.report;

/**
 * The report's one escaper. Every string that comes from the inputs (ids, tokens, feature and class
 * names, labels, error messages, provenance values, view titles) goes through {@link #escape}
 * before it reaches the page, in text and in attribute values alike (the report quotes every
 * attribute with {@code "}).
 *
 * @since 0.1
 */
public final class Html {
  private Html() {}

  /**
   * Escapes text for an HTML text node or a double- or single-quoted attribute value: {@code & < >
   * " '} become character references; NUL, the other C0 and C1 control characters (tab, line feed
   * and carriage return excepted) and unpaired surrogates become U+FFFD, so that the output is
   * well-formed UTF-8 HTML whatever the input.
   *
   * @param s the text, or null (escaped as the empty string)
   * @return the escaped text, never null
   */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep =
          switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> null;
          };
      if (rep == null) {
        if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          if (out != null) {
            out.append(c).append(s.charAt(i + 1));
          }
          i++;
          continue;
        }
        if (Character.isSurrogate(c) || isControl(c)) {
          rep = "\uFFFD";
        }
      }
      if (rep != null) {
        if (out == null) {
          out = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        out.append(rep);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }

  private static boolean isControl(char c) {
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f);
  }
}
