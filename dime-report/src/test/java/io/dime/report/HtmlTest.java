package io.dime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void escapesTheFiveSpecialCharacters() {
    assertEquals("&lt;img src=x onerror=alert(1)&gt;", Html.escape("<img src=x onerror=alert(1)>"));
    assertEquals("a &amp; b &quot;c&quot; &#39;d&#39;", Html.escape("a & b \"c\" 'd'"));
    assertEquals("&amp;lt;", Html.escape("&lt;"));
    assertEquals(
        "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;",
        Html.escape("</script><script>alert(2)</script>"));
  }

  @Test
  void nullIsEmptyAndPlainTextIsReturnedAsItIs() {
    assertEquals("", Html.escape(null));
    String plain = "man@12 \u00e9t\u00e9 \u4e2d\u6587 \ud83d\ude00\ttab\nline";
    assertSame(plain, Html.escape(plain));
  }

  @Test
  void controlCharactersAndLoneSurrogatesBecomeReplacementCharacters() {
    assertEquals("a\uFFFDb\uFFFDc\uFFFD", Html.escape("a\u0000b\u0007c\u0085"));
    assertEquals("x\uFFFDy", Html.escape("x\ud800y"));
    assertEquals("x\uFFFD", Html.escape("x\udc00"));
    assertEquals("&lt;\ud83d\ude00&gt;", Html.escape("<\ud83d\ude00>"));
  }

  @Test
  void attributeValuesCannotBeBrokenOutOf() {
    String hostile = "\" onmouseover=\"alert(1)' x='";
    String escaped = Html.escape(hostile);
    assertFalse(escaped.contains("\""));
    assertFalse(escaped.contains("'"));
    assertFalse(escaped.contains("<"));
  }

  @Test
  void bidiControlsAndZeroWidthCharactersAreShownAsCodes() {
    // "exe.txt" reversed by an override would show a file as another
    assertEquals("invoice\\u202Etxt.exe", Html.escape("invoice\u202Etxt.exe"));
    assertEquals(
        "\\u061C\\u200B\\u200E\\u200F\\u202A\\u202B\\u202C\\u202D\\u2060\\u2066\\u2067\\u2068\\u2069\\uFEFF",
        Html.escape(
            "\u061C\u200B\u200E\u200F\u202A\u202B\u202C\u202D\u2060\u2066\u2067\u2068\u2069\uFEFF"));
    // right-to-left text itself stays, and so do emoji sequences in free text: a ZWJ sequence
    // (woman technologist, with a skin tone), a presentation selector, a keycap, a flag's tags
    String kept =
        "\u0645\u0631\u062D\u0628\u0627 \ud83d\udc69\u200D\ud83d\udcbb"
            + " \ud83d\udc69\ud83c\udffd\u200D\ud83d\udcbb \u2764\uFE0F 1\uFE0F\u20E3"
            + " \ud83c\udff4\udb40\udc67\udb40\udc62\udb40\udc73\udb40\udc63\udb40\udc74\udb40\udc7f";
    assertSame(kept, Html.escape(kept));
  }

  /**
   * Found by an outside tester: the zero-width joiner and non-joiner, the soft hyphen, U+180E, the
   * line and paragraph separators, U+2061 to U+2064, U+034F, the Hangul fillers and the tag
   * characters were left raw, so that ids r1 and r1 + U+2063 looked the same.
   */
  @Test
  void everyDefaultIgnorableCharacterOutsideEmojiIsShownAsItsCode() {
    String hidden =
        "\u200C\u200D\u00AD\u180E\u2028\u2029\u2061\u2062\u2063\u2064\u034F\u3164\u115F"
            + "\u1160\uFFA0\uFE0F\udb40\udc00\udb40\udc41\udb40\udc7f";
    String codes =
        "\\u200C\\u200D\\u00AD\\u180E\\u2028\\u2029\\u2061\\u2062\\u2063\\u2064\\u034F"
            + "\\u3164\\u115F\\u1160\\uFFA0\\uFE0F\\u{E0000}\\u{E0041}\\u{E007F}";
    assertEquals(codes, Html.escape(hidden));
    assertEquals(codes, Html.escapeName(hidden));
    assertEquals("r1\\u2063", Html.escape("r1\u2063"));
    // between letters (not emoji) the joiners are shown; a ZWJ next to one emoji only, too
    assertEquals(
        "a\\u200Cb a\\u200Db \ud83d\udc69\\u200Dx",
        Html.escape("a\u200Cb a\u200Db \ud83d\udc69\u200Dx"));
    // words that are spelled with them keep them in free text: Persian "mi-khaham" (ZWNJ after a
    // prefix), Hindi "kshatriya" half-form with a ZWJ, Malayalam chillu with a ZWJ after a virama
    String words =
        "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645 \u0915\u094D\u200D\u0937"
            + " \u0D28\u0D4D\u200D\u0D28";
    assertSame(words, Html.escape(words));
    // but not in a name, nor between two scripts, nor in Latin, Greek or Cyrillic
    assertEquals("\u0645\u06CC\\u200C\u062E", Html.escapeName("\u0645\u06CC\u200C\u062E"));
    assertEquals(
        "\u0645\\u200Ca \u0430\\u200D\u0431", Html.escape("\u0645\u200Ca \u0430\u200D\u0431"));
    // tags that are not a flag's
    assertEquals("x\\u{E0067}\\u{E007F}", Html.escape("x\udb40\udc67\udb40\udc7f"));
    // other characters above U+FFFF are kept whole
    assertSame("\ud835\udc00 \ud83d\ude00", Html.escape("\ud835\udc00 \ud83d\ude00"));
  }

  @Test
  void namesShowEveryInvisibleCharacterAndOddSpaceAsItsCode() {
    // in a name an emoji sequence's joiner is shown too: two ids must look different
    assertEquals(
        "\ud83d\udc69\\u200D\ud83d\udcbb \u2764\\uFE0F",
        Html.escapeName("\ud83d\udc69\u200D\ud83d\udcbb \u2764\uFE0F"));
    assertEquals(
        "r\\u00A01\\u2007\\u3000\\u2800\\u0009\\u000A\\u000D &lt;r&gt;",
        Html.escapeName("r\u00A01\u2007\u3000\u2800\t\n\r <r>"));
    // free text keeps its spaces and line breaks
    assertEquals("a\u00A0b\n", Html.escape("a\u00A0b\n"));
  }

  @Test
  void namesShowControlCharactersAndLoneSurrogatesAsTheirCodes() {
    // three ids that differ must look different: as U+FFFD all three looked like "a\uFFFDb"
    assertEquals("a\\u0001b", Html.escapeName("a\u0001b"));
    assertEquals("a\\u0002b", Html.escapeName("a\u0002b"));
    assertEquals("a\uFFFDb", Html.escapeName("a\uFFFDb"));
    assertEquals("\\u0000\\u007F\\u0085\\u009F", Html.escapeName("\u0000\u007F\u0085\u009F"));
    assertEquals("x\\uD800y\\uDC00", Html.escapeName("x\ud800y\udc00"));
    // a pair is one character, shown as it is
    assertEquals("\ud83d\ude00", Html.escapeName("\ud83d\ude00"));
  }

  @Test
  void pageLinksArePathsWhateverTheFileName() {
    assertEquals("./report-2.html", Html.pageLink("report-2.html", null));
    assertEquals("./report-2.html#card-7", Html.pageLink("report-2.html", "card-7"));
    assertEquals(
        "./javascript%3Aalert(1)".replace("(", "%28").replace(")", "%29"),
        Html.pageLink("javascript:alert(1)", null));
    assertEquals(
        "./%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E%E2%80%AE.html",
        Html.pageLink("\"><img src=x onerror=alert(1)>\u202E.html", null));
    assertThrows(IllegalArgumentException.class, () -> Html.pageLink("r.html", "x\" onclick"));
  }
}
