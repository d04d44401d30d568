package io.dime.modality.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.spi.PluginConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A YAML list or mapping given for a string setting was read as its Java rendering: {@code
 * maskToken: [a, b]} masked with the string "[a, b]" (a vocabulary could even hold it), {@code
 * vocab: [v.txt]} looked for a file named "[v.txt]". Each is refused, naming the setting and what
 * was written.
 */
class TextListSettingTest {
  private static final String VOCAB = TextModalityContractTest.VOCAB;

  private static String refusal(Object... settings) {
    return assertThrows(
            IllegalArgumentException.class,
            () -> new TextModality("q", PluginConfig.of("modality 'q' (plugin text)", settings)))
        .getMessage();
  }

  @Test
  void aListOrMapForAStringSettingIsRefused() {
    assertEquals(
        "modality 'q' (plugin text): setting 'maskToken' must be one value (a string), found an"
            + " array of 2 entries [\"a\", \"b\"]",
        refusal("vocab", VOCAB, "maskToken", List.of("a", "b")));
    assertEquals(
        "modality 'q' (plugin text): setting 'maskToken' must be one value (a string), found an"
            + " object {\"a\": \"b\"}",
        refusal("encoder", "string", "perturber", "mask", "maskToken", Map.of("a", "b")));
    assertEquals(
        "modality 'q' (plugin text): setting 'vocab' must be one value (a string), found an array"
            + " of 1 entry [\""
            + VOCAB
            + "\"]",
        refusal("vocab", List.of(VOCAB)));
    assertEquals(
        "modality 'q' (plugin text): setting 'tokenizer' must be one value (a string), found an"
            + " array of 1 entry [\"t.json\"]",
        refusal("encoder", "tokenizer-json", "tokenizer", List.of("t.json")));
    assertEquals(
        "modality 'q' (plugin text): setting 'unkToken' must be one value (a string), found an"
            + " array of 1 entry [\"[UNK]\"]",
        refusal("vocab", VOCAB, "unkToken", List.of("[UNK]")));
    assertEquals(
        "modality 'q' (plugin text): setting 'inputIdsName' must be one value (a string), found an"
            + " array of 1 entry [\"ids\"]",
        refusal("vocab", VOCAB, "inputIdsName", List.of("ids")));
  }
}
