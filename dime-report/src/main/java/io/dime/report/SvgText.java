package io.dime.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Text that must fit a width in an SVG drawn without a browser to measure it: a conservative
 * estimate of its width (wide sans-serif fonts such as DejaVu Sans, the widest a page's {@code
 * system-ui, ..., sans-serif} resolves to) and cutting from the middle with "…", so that a name's
 * start and end both stay.
 */
final class SvgText {
  /** What joins the modalities of an interaction's label. */
  static final String TIMES = " \u00d7 ";

  private static final String ELLIPSIS = "\u2026";

  private SvgText() {}

  /** The estimated width of {@code text} at {@code fontSize} px, in px; never less than actual. */
  static double width(String text, double fontSize) {
    double em = 0;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      em += advance(c);
      i += Character.charCount(c);
    }
    return em * fontSize;
  }

  /** A code point's advance in em, rounded up from DejaVu Sans (the widest common sans). */
  private static double advance(int c) {
    if (c == ' ') {
      return 0.33;
    }
    if ("iljI.,:;'!|".indexOf(c) >= 0) {
      return 0.35;
    }
    if ("ftr()[]".indexOf(c) >= 0) {
      return 0.45;
    }
    if ("mwMW@".indexOf(c) >= 0) {
      return 1.0;
    }
    if (c >= 'A' && c <= 'Z') {
      return 0.78;
    }
    if (c < 0x80) {
      return 0.66;
    }
    return c == 0x00d7 || c == 0x2026 ? 0.85 : 1.05;
  }

  /** {@code text} itself when it fits {@code maxWidth}, else cut from the middle with "…". */
  static String fit(String text, double maxWidth, double fontSize) {
    if (width(text, fontSize) <= maxWidth) {
      return text;
    }
    int[] cps = text.codePoints().toArray();
    // keep the most code points, the start's half rounded up, that fit with the ellipsis
    for (int keep = cps.length - 1; keep > 0; keep--) {
      int head = (keep + 1) / 2;
      String cut =
          new String(cps, 0, head)
              + ELLIPSIS
              + new String(cps, cps.length - (keep - head), keep - head);
      if (width(cut, fontSize) <= maxWidth) {
        return cut;
      }
    }
    return ELLIPSIS;
  }

  /**
   * The label of a term whose parts (modality names) are joined by " × ", fitted to {@code
   * maxWidth}: when the whole does not fit, each part is cut from the middle to its share of the
   * width, so that the " × " and every part's start and end stay.
   */
  static String fitParts(List<String> parts, double maxWidth, double fontSize) {
    String whole = String.join(TIMES, parts);
    if (parts.size() < 2 || width(whole, fontSize) <= maxWidth) {
      return fit(whole, maxWidth, fontSize);
    }
    double joins = (parts.size() - 1) * width(TIMES, fontSize);
    double share = Math.max(0, maxWidth - joins) / parts.size();
    List<String> cut = new ArrayList<>();
    for (String p : parts) {
      cut.add(fit(p, share, fontSize));
    }
    return String.join(TIMES, cut);
  }
}
