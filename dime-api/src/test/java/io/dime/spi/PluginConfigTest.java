package io.dime.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Integer settings: whole numbers within int, never wrapped around. String settings: one value,
 * never a list or a map turned into its Java rendering.
 */
class PluginConfigTest {
  private static int length(Object v) {
    return PluginConfig.of("modality 'v' (plugin vector)", "length", v).getInt("length", 0);
  }

  @Test
  void wholeNumbersWithinIntAreRead() {
    assertEquals(3, length(3));
    assertEquals(3, length(3.0));
    assertEquals(3, length("3"));
    assertEquals(Integer.MAX_VALUE, length(2147483647L));
    assertEquals(Integer.MIN_VALUE, length(-2147483648L));
  }

  @Test
  void numbersBeyondIntAreRefusedNotWrapped() {
    for (Object v :
        new Object[] {
          3000000000L, new BigInteger("99999999999999999999"), 1e20, -2147483649L, "3000000000"
        }) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> length(v));
      assertEquals(
          true,
          e.getMessage().startsWith("modality 'v' (plugin vector): setting 'length' must be an"),
          e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> length(2.5));
  }

  /**
   * {@code maskToken: [a, b]} in a pipeline file was the mask string "[a, b]", and {@code features:
   * [words]} was refused as the word "[words]": a YAML list or mapping is refused as what it is.
   */
  @Test
  void aListOrMapIsNotAString() {
    PluginConfig c =
        PluginConfig.of(
            "modality 't' (plugin text)",
            "maskToken",
            List.of("a", "b"),
            "features",
            List.of("words"),
            "input",
            Map.of("name", "x"),
            "n",
            3,
            "flag",
            true);
    IllegalArgumentException list =
        assertThrows(IllegalArgumentException.class, () -> c.getString("maskToken", "[MASK]"));
    assertEquals(
        "modality 't' (plugin text): setting 'maskToken' must be one value (a string), found an"
            + " array of 2 entries [\"a\", \"b\"]",
        list.getMessage());
    IllegalArgumentException choice =
        assertThrows(
            IllegalArgumentException.class,
            () -> c.getChoice("features", "words", Set.of("words", "sentences")));
    assertEquals(
        "modality 't' (plugin text): setting 'features' must be one value (a string), found an"
            + " array of 1 entry [\"words\"]",
        choice.getMessage());
    IllegalArgumentException map =
        assertThrows(IllegalArgumentException.class, () -> c.getString("input", "x"));
    assertEquals(
        "modality 't' (plugin text): setting 'input' must be one value (a string), found an"
            + " object {\"name\": \"x\"}",
        map.getMessage());
    // a whole number is read as written; an absent setting is the default
    assertEquals("3", c.getString("n", null));
    assertEquals("d", c.getString("absent", "d"));
  }

  /**
   * A YAML number or boolean where a name goes was rendered by Java, not as written: {@code input:
   * 1e3} named a tensor "1000.0", {@code input: yes} one "true". Such a value is refused, naming
   * the setting and saying to write it in quotes; a whole number is its decimal digits, as written
   * (the pipeline file refuses one written otherwise, such as 007 or 0x1F).
   */
  @Test
  void aNumberOrBooleanThatJavaRendersOtherwiseThanWrittenIsNotAName() {
    PluginConfig c =
        PluginConfig.of(
            "modality 'i' (plugin image)",
            "input",
            1000.0,
            "nan",
            Double.NaN,
            "flag",
            true,
            "n",
            5,
            "big",
            new java.math.BigInteger("99999999999999999999"),
            "header",
            false);
    assertEquals(
        "modality 'i' (plugin image): setting 'input' must be a string, found the number 1000.0:"
            + " a number with a fraction or an exponent (1e3, 1.50, .inf) is not read as written;"
            + " write a name in quotes",
        assertThrows(IllegalArgumentException.class, () -> c.getString("input", null))
            .getMessage());
    assertEquals(
        "modality 'i' (plugin image): setting 'nan' must be a string, found the number NaN: a"
            + " number with a fraction or an exponent (1e3, 1.50, .inf) is not read as written;"
            + " write a name in quotes",
        assertThrows(IllegalArgumentException.class, () -> c.getString("nan", null)).getMessage());
    assertEquals(
        "modality 'i' (plugin image): setting 'flag' must be a string, found true: YAML reads"
            + " true, yes and on (false, no, off) as true (false); write a name in quotes",
        assertThrows(IllegalArgumentException.class, () -> c.getString("flag", null)).getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> c.getChoice("input", "a", Set.of("a", "1000.0")),
        "a choice is a string too");
    assertEquals("5", c.getString("n", null));
    assertEquals("99999999999999999999", c.getString("big", null));
    // a choice of true or false takes a boolean
    assertEquals("false", c.getChoice("header", "auto", Set.of("auto", "true", "false")));
  }
}
