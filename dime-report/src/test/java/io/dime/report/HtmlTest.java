package io.dime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

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
}
