package io.dime.report;

/**
 * The report's one escaper. Every string that comes from the inputs (ids, tokens, feature and class
 * names, labels, error messages, provenance values, view titles) goes through {@link #escape}
 * before it reaches the page, in text and in attribute values alike (the report quotes every
 * attribute with {@code "}). Links to the report's other pages are made by {@link #pageLink}, the
 * only place an input-derived string (the report's file name) reaches a URL.
 *
 * @since 0.1
 */
public final class Html {
  private Html() {}

  /**
   * Escapes text for an HTML text node or a double- or single-quoted attribute value: {@code & < >
   * " '} become character references; NUL, the other C0 and C1 control characters (tab, line feed
   * and carriage return excepted) and unpaired surrogates become U+FFFD, so that the output is
   * well-formed UTF-8 HTML whatever the input. The invisible characters that can change how the
   * text around them is shown are written visibly, as a backslash, {@code u} and four hex digits:
   * the bidirectional controls (U+061C, U+200E, U+200F, the embeddings and overrides U+202A to
   * U+202E, the isolates U+2066 to U+2069), which could reorder the page's own words around an id
   * or a token, and the zero-width space, word joiner and byte-order mark (U+200B, U+2060, U+FEFF),
   * which could make two ids look the same. The zero-width joiner and non-joiner (U+200C, U+200D)
   * stay: scripts and emoji need them.
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
        } else if (isInvisibleFormat(c)) {
          rep = String.format(java.util.Locale.ROOT, "\\u%04X", (int) c);
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

  /** Bidirectional controls and zero-width characters, shown as their code. */
  static boolean isInvisibleFormat(char c) {
    return c == '\u061C'
        || c == '\u200B'
        || c == '\u200E'
        || c == '\u200F'
        || (c >= '\u202A' && c <= '\u202E')
        || c == '\u2060'
        || (c >= '\u2066' && c <= '\u2069')
        || c == '\uFEFF';
  }

  /**
   * A relative link to a sibling file of the page, for an {@code href}: {@code ./} (so that a file
   * name such as {@code javascript:x.html} is a path, never a scheme), the name percent-encoded as
   * UTF-8 (everything but ASCII letters, digits and {@code - . _ ~}), then {@code #} and the
   * fragment, if any. The result needs no further escaping.
   *
   * @param fileName the file's name, not a path
   * @param fragment the element id to go to (letters, digits and {@code -} only), or null
   */
  static String pageLink(String fileName, String fragment) {
    StringBuilder sb = new StringBuilder("./");
    for (byte b : fileName.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        sb.append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    if (fragment != null) {
      if (!fragment.matches("[A-Za-z0-9-]+")) {
        throw new IllegalArgumentException("not an element id: " + fragment);
      }
      sb.append('#').append(fragment);
    }
    return sb.toString();
  }

  private static boolean isControl(char c) {
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f);
  }
}
