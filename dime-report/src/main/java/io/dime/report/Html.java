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
   * Escapes free text (a sentence's words, messages, notes) for an HTML text node or a double- or
   * single-quoted attribute value: {@code & < > " '} become character references; NUL, the other C0
   * and C1 control characters (tab, line feed and carriage return excepted) and unpaired surrogates
   * become U+FFFD, so that the output is well-formed UTF-8 HTML whatever the input. The invisible
   * characters that can change how the text around them is shown, or make two texts look the same,
   * are written visibly as their code, a backslash, {@code u} and four hex digits such as <code>
   * &#92;u202E</code>, or above U+FFFF the hex digits in braces such as <code>&#92;u{E0041}</code>.
   * They are the bidirectional controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to
   * U+2069), which could reorder the page's own words around an id or a token, every other
   * default-ignorable code point (among them the soft hyphen U+00AD, U+034F, the Hangul fillers
   * U+115F, U+1160, U+3164 and U+FFA0, U+180E, the zero-width space, non-joiner and joiner U+200B
   * to U+200D, U+2060 to U+2064, the variation selectors, the byte-order mark U+FEFF and the tag
   * characters U+E0000 to U+E0FFF) and the line and paragraph separators U+2028 and U+2029. In free
   * text, a non-joiner or joiner that spells a word stays (between letters of one script that uses
   * them: Persian, Arabic, the Indic scripts, not Latin, Greek or Cyrillic), and so do those that
   * belong to an emoji sequence: a zero-width joiner between two emoji (with their skin-tone
   * modifiers and presentation selectors), the presentation selector U+FE0F or U+FE0E after an
   * emoji or in a keycap, and the tags of a flag (U+1F3F4, tags, U+E007F). Ids, names and other
   * identifiers go through {@link #escapeName}, which keeps none.
   *
   * @param s the text, or null (escaped as the empty string)
   * @return the escaped text, never null
   */
  public static String escape(String s) {
    return escape(s, false);
  }

  /**
   * Escapes a value that identifies something (a record id, a modality, class or feature name, a
   * file name) as {@link #escape} does, but strictly: every invisible character {@link #escape}
   * shows as its code is shown, emoji sequences included, and so are the spaces other than U+0020
   * (the no-break space, U+2000 to U+200A, U+3000 and the other space separators), U+2800 and tab,
   * line feed and carriage return, so that two ids that differ look different. For the same reason
   * the control characters and unpaired surrogates that {@link #escape} replaces with U+FFFD are
   * shown as their codes too, such as <code>&#92;u0001</code>.
   *
   * @param s the value, or null (escaped as the empty string)
   * @return the escaped value, never null
   * @since 0.3
   */
  public static String escapeName(String s) {
    return escape(s, true, true);
  }

  /**
   * A name as the page shows it once {@link #escapeName} escaped it: its invisible characters, odd
   * spaces and control characters as their codes, without HTML's character references. For
   * measuring what will be drawn; the result still goes through {@link #escapeName}.
   */
  static String shownName(String s) {
    return escape(s, true, false);
  }

  private static String escape(String s, boolean name) {
    return escape(s, name, true);
  }

  private static String escape(String s, boolean name, boolean references) {
    if (s == null) {
      return "";
    }
    StringBuilder out = null;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      String rep =
          !references
              ? null
              : switch (cp) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
              };
      if (rep == null) {
        if (name && (cp == '\t' || cp == '\n' || cp == '\r')) {
          rep = code(cp);
        } else if (cp < 0x10000 && (Character.isSurrogate((char) cp) || isControl((char) cp))) {
          rep = name ? code(cp) : "\uFFFD";
        } else if (name ? isInvisible(cp) || isBlank(cp) : isInvisible(cp) && !inEmoji(s, i, cp)) {
          rep = code(cp);
        }
      }
      if (rep != null) {
        if (out == null) {
          out = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        out.append(rep);
      } else if (out != null) {
        out.append(s, i, i + n);
      }
      i += n;
    }
    return out == null ? s : out.toString();
  }

  /**
   * The code shown for {@code cp}: <code>&#92;u200B</code>, or <code>&#92;u{E0041}</code> above
   * U+FFFF.
   */
  private static String code(int cp) {
    return cp < 0x10000
        ? String.format(java.util.Locale.ROOT, "\\u%04X", cp)
        : String.format(java.util.Locale.ROOT, "\\u{%X}", cp);
  }

  /**
   * The default-ignorable code points (Unicode's Default_Ignorable_Code_Point: bidirectional
   * controls, zero-width characters, fillers, variation selectors, tags) and the line and paragraph
   * separators.
   */
  static boolean isInvisible(int cp) {
    return cp == 0x00AD
        || cp == 0x034F
        || cp == 0x061C
        || cp == 0x115F
        || cp == 0x1160
        || cp == 0x17B4
        || cp == 0x17B5
        || (cp >= 0x180B && cp <= 0x180F)
        || (cp >= 0x200B && cp <= 0x200F)
        || cp == 0x2028
        || cp == 0x2029
        || (cp >= 0x202A && cp <= 0x202E)
        || (cp >= 0x2060 && cp <= 0x206F)
        || cp == 0x3164
        || (cp >= 0xFE00 && cp <= 0xFE0F)
        || cp == 0xFEFF
        || cp == 0xFFA0
        || (cp >= 0xFFF0 && cp <= 0xFFF8)
        || (cp >= 0x1BCA0 && cp <= 0x1BCA3)
        || (cp >= 0x1D173 && cp <= 0x1D17A)
        || (cp >= 0xE0000 && cp <= 0xE0FFF);
  }

  /** Characters that show as blank space in a name: spaces but U+0020, and U+2800. */
  private static boolean isBlank(int cp) {
    return (cp != ' ' && Character.getType(cp) == Character.SPACE_SEPARATOR) || cp == 0x2800;
  }

  /** Whether the invisible {@code cp} at {@code i} belongs to an emoji sequence. */
  private static boolean inEmoji(String s, int i, int cp) {
    int before = i > 0 ? s.codePointBefore(i) : -1;
    int after =
        i + Character.charCount(cp) < s.length() ? s.codePointAt(i + Character.charCount(cp)) : -1;
    if ((cp == 0x200C || cp == 0x200D) && inWord(s, i, cp)) {
      return true; // orthography, not an emoji: see inWord
    }
    if (cp == 0x200D) {
      return isPictographic(emojiBase(s, i)) && isPictographic(after);
    }
    if (cp == 0xFE0F || cp == 0xFE0E) {
      return isPictographic(before)
          || (after == 0x20E3
              && (before == '#' || before == '*' || (before >= '0' && before <= '9')));
    }
    if (cp >= 0xE0020 && cp <= 0xE007F) {
      int j = i;
      while (j > 0 && isTag(s.codePointBefore(j))) {
        j -= Character.charCount(s.codePointBefore(j));
      }
      if (j == 0 || s.codePointBefore(j) != 0x1F3F4) {
        return false;
      }
      int k = i;
      while (k < s.length() && isTag(s.codePointAt(k)) && s.codePointAt(k) != 0xE007F) {
        k += Character.charCount(s.codePointAt(k));
      }
      return k < s.length() && s.codePointAt(k) == 0xE007F;
    }
    return false;
  }

  /** Scripts in which a joiner or non-joiner has no use in spelling a word. */
  private static final java.util.Set<Character.UnicodeScript> NO_JOINERS =
      java.util.EnumSet.of(
          Character.UnicodeScript.LATIN,
          Character.UnicodeScript.GREEK,
          Character.UnicodeScript.CYRILLIC,
          Character.UnicodeScript.ARMENIAN,
          Character.UnicodeScript.COMMON,
          Character.UnicodeScript.INHERITED,
          Character.UnicodeScript.HAN,
          Character.UnicodeScript.HIRAGANA,
          Character.UnicodeScript.KATAKANA,
          Character.UnicodeScript.HANGUL,
          Character.UnicodeScript.UNKNOWN);

  /**
   * Whether the (non-)joiner at {@code i} spells a word: Persian, Arabic, the Indic scripts and
   * others write it between letters (and their marks) of one script, which free text keeps; between
   * letters of Latin, Cyrillic, Greek or of two scripts it only hides a difference, and shows.
   */
  private static boolean inWord(String s, int i, int cp) {
    int before = letterBefore(s, i);
    int j = i + Character.charCount(cp);
    int after = j < s.length() ? s.codePointAt(j) : -1;
    if (before < 0 || after < 0 || !Character.isLetter(after)) {
      return false;
    }
    Character.UnicodeScript script = Character.UnicodeScript.of(before);
    return script == Character.UnicodeScript.of(after) && !NO_JOINERS.contains(script);
  }

  /** The letter before {@code i}, past combining marks; -1 when none. */
  private static int letterBefore(String s, int i) {
    int j = i;
    while (j > 0) {
      int c = s.codePointBefore(j);
      int type = Character.getType(c);
      if (type != Character.NON_SPACING_MARK && type != Character.COMBINING_SPACING_MARK) {
        return Character.isLetter(c) ? c : -1;
      }
      j -= Character.charCount(c);
    }
    return -1;
  }

  private static boolean isTag(int cp) {
    return cp >= 0xE0020 && cp <= 0xE007F;
  }

  /** The code point before {@code i}, past presentation selectors and skin-tone modifiers. */
  private static int emojiBase(String s, int i) {
    int j = i;
    while (j > 0) {
      int c = s.codePointBefore(j);
      if (c != 0xFE0F && !(c >= 0x1F3FB && c <= 0x1F3FF)) {
        return c;
      }
      j -= Character.charCount(c);
    }
    return -1;
  }

  /** An approximation of Unicode's Extended_Pictographic: the code points emoji are made of. */
  private static boolean isPictographic(int cp) {
    return cp == 0x00A9
        || cp == 0x00AE
        || cp == 0x203C
        || cp == 0x2049
        || cp == 0x2122
        || cp == 0x2139
        || (cp >= 0x2194 && cp <= 0x21AA)
        || (cp >= 0x231A && cp <= 0x23FA)
        || cp == 0x24C2
        || (cp >= 0x25AA && cp <= 0x25FE)
        || (cp >= 0x2600 && cp <= 0x27BF)
        || (cp >= 0x2934 && cp <= 0x2935)
        || (cp >= 0x2B05 && cp <= 0x2B55)
        || cp == 0x3030
        || cp == 0x303D
        || cp == 0x3297
        || cp == 0x3299
        || (cp >= 0x1F000 && cp <= 0x1FAFF)
        || (cp >= 0x1FC00 && cp <= 0x1FFFD);
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
