package io.dime.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValuesTest {
  @Test
  void namesEachJsonKindAsTheUserWroteIt() {
    assertEquals("null", JsonValues.describe(null));
    assertEquals("a boolean true", JsonValues.describe(true));
    assertEquals("a number 3", JsonValues.describe(3));
    assertEquals("a number 2.5", JsonValues.describe(2.5));
    assertEquals("a string \"cat\"", JsonValues.describe("cat"));
    assertEquals("a string \"say \\\"hi\\\"\\n\"", JsonValues.describe("say \"hi\"\n"));
    assertEquals("an array of 3 entries [1, \"a\", null]", JsonValues.describe(list(1, "a", null)));
    assertEquals("an array of 1 entry [[]]", JsonValues.describe(List.of(List.of())));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", 1);
    m.put("b", List.of(true));
    assertEquals("an object {\"a\": 1, \"b\": [true]}", JsonValues.describe(m));
    assertEquals("an array of 2 entries [0.5, 1.5]", JsonValues.describe(new double[] {0.5, 1.5}));
    assertEquals("4 bytes", JsonValues.describe(new byte[4]));
    assertEquals("a Thread", JsonValues.describe(new Thread()));
  }

  @Test
  void aLongValueIsCutToTheLimitWithoutBeingRenderedWhole() {
    List<Integer> million = Collections.nCopies(1_000_000, 7);
    String d = JsonValues.describe(million);
    assertTrue(d.startsWith("an array of 1000000 entries [7, 7, "), d);
    assertTrue(d.endsWith("..."), d);
    assertEquals("an array of 1000000 entries ".length() + JsonValues.MAX_CHARS, d.length(), d);
    String s = JsonValues.describe("x".repeat(10_000));
    assertEquals("a string \"" + "x".repeat(JsonValues.MAX_CHARS - 4) + "...", s);
    // exactly at the limit: whole, no ellipsis
    String fits = "y".repeat(JsonValues.MAX_CHARS - 2);
    assertEquals("a string \"" + fits + "\"", JsonValues.describe(fits));
    // a cut never splits a character outside the basic plane
    String emoji = "\uD83D\uDE00".repeat(40);
    String e = JsonValues.describe(emoji);
    String shown = e.substring("a string \"".length(), e.length() - 3);
    assertTrue(!Character.isHighSurrogate(shown.charAt(shown.length() - 1)), e);
  }

  @Test
  void nestingDeepOrWideStopsAtTheLimit() {
    Object deep = List.of();
    for (int i = 0; i < 10_000; i++) {
      deep = List.of(deep);
    }
    String d = JsonValues.describe(deep);
    assertTrue(d.startsWith("an array of 1 entry [[[["), d);
    assertTrue(d.endsWith("..."), d);
  }

  private static List<Object> list(Object... v) {
    List<Object> l = new ArrayList<>();
    Collections.addAll(l, v);
    return l;
  }
}
