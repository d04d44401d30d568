package io.dime.modality.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.api.InputException;
import io.dime.spi.PluginConfig;
import io.dime.spi.ReadContext;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code maxChars} counted UTF-16 units, so a text of emoji was refused at half the characters the
 * setting allows, and its message gave twice the number of characters the text has. It counts code
 * points, as the feature names' offsets do.
 */
class TextMaxCharsTest {
  private static final String EMOJI = "\uD83D\uDE00";

  @Test
  void charactersOutsideTheBmpCountOnce() {
    TextModality m =
        new TextModality(
            "q",
            PluginConfig.of(
                "modality 'q' (plugin text)",
                "vocab",
                TextModalityContractTest.VOCAB,
                "maxChars",
                10));
    ReadContext context = new ReadContext(Path.of("."), "r");
    String ten = "ok " + EMOJI.repeat(7);
    assertEquals(ten, m.read(ten, context));
    InputException e =
        assertThrows(InputException.class, () -> m.read("ok " + EMOJI.repeat(8), context));
    assertEquals(
        "record 'r': modality 'q' has a text of 11 characters; the most is 10 (setting maxChars)",
        e.getMessage());
    assertThrows(InputException.class, () -> m.read("x".repeat(11), context));
    assertEquals("x".repeat(10), m.read("x".repeat(10), context));
  }
}
