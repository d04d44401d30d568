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
    // the joiners that scripts and emoji need stay, and so does right-to-left text itself
    String kept = "\u0645\u0631\u062D\u0628\u0627 \ud83d\udc69\u200D\ud83d\udcbb a\u200Cb";
    assertSame(kept, Html.escape(kept));
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
