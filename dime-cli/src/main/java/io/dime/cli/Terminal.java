package io.dime.cli;

/**
 * Text bound for the terminal that may hold data from a manifest (an id, a path, a label): its
 * control characters would act on the terminal instead of showing (ESC starts the sequences that
 * recolour, retitle or clear it; a newline or carriage return forges or overwrites a line) and a
 * bidirectional override reorders what follows. Each such character is shown as its code, such as
 * {@code \u001B}, as the report shows them.
 */
final class Terminal {
  private Terminal() {}

  /**
   * {@code s} with every control character but the tab, and every bidi control, as {@code \\uXXXX}.
   */
  static String line(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean unsafe =
          (c < 0x20 && c != '\t')
              || (c >= 0x7F && c <= 0x9F)
              || c == 0x061C
              || c == 0x200E
              || c == 0x200F
              || (c >= 0x202A && c <= 0x202E)
              || (c >= 0x2066 && c <= 0x2069);
      if (unsafe && out == null) {
        out = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (out != null) {
        if (unsafe) {
          out.append(String.format("\\u%04X", (int) c));
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? s : out.toString();
  }
}
