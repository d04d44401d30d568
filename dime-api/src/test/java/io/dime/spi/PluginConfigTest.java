package io.dime.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Integer settings: whole numbers within int, never wrapped around. */
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
}
