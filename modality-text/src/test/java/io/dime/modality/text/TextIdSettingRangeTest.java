package io.dime.modality.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.spi.PluginConfig;
import org.junit.jupiter.api.Test;

/**
 * An {@code unkId} or {@code padId} that the vocabulary has no token for was accepted: the model
 * then got ids beyond its embedding table, and failed inside its runtime (an ONNX Gather's index
 * error naming no setting) or read whatever row was there. Such an id is refused when the pipeline
 * is loaded, naming the component, the setting, the value and the number of ids.
 */
class TextIdSettingRangeTest {
  private static final String VOCAB = TextModalityContractTest.VOCAB;

  private static TextModality modality(Object... settings) {
    return new TextModality("q", PluginConfig.of("modality 'q' (plugin text)", settings));
  }

  @Test
  void anIdBeyondTheWordVocabularyIsRefused() {
    IllegalArgumentException unk =
        assertThrows(
            IllegalArgumentException.class,
            () -> modality("vocab", VOCAB, "encoder", "vocab", "unkId", 40));
    assertEquals(
        "modality 'q' (plugin text): setting 'unkId' is 40, beyond vocabulary '"
            + VOCAB
            + "' of 40 ids (0 to 39)",
        unk.getMessage());
    IllegalArgumentException pad =
        assertThrows(
            IllegalArgumentException.class, () -> modality("vocab", VOCAB, "padId", 30522));
    assertEquals(
        "modality 'q' (plugin text): setting 'padId' is 30522, beyond vocabulary '"
            + VOCAB
            + "' of 40 ids (0 to 39)",
        pad.getMessage());
    // the last id is in
    assertArrayEquals(
        new long[] {2, 39, 3, 39},
        modality("vocab", VOCAB, "maxLength", 4, "unkId", 39, "padId", 39)
            .encoder()
            .encode("zebra")
            .get(0)
            .longs());
  }

  @Test
  void aPadIdBeyondTheTokenizerFileIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TokenizerJsonEncoderTest.modality("unigram-licences", "padId", 2000));
    assertEquals(
        "modality 'q' (plugin text): setting 'padId' is 2000, beyond tokenizer file 'classpath:"
            + TokenizerJsonEncoderTest.DIR
            + "unigram-licences-tokenizer.json' of 2000 ids (0 to 1999)",
        e.getMessage());
    // GPT-2's largest id is an added token's, <|endoftext|>
    assertEquals(
        50256, TokenizerJsonEncoderTest.modality("gpt2", "padId", 50256).provenance().get("padId"));
    assertThrows(
        IllegalArgumentException.class,
        () -> TokenizerJsonEncoderTest.modality("gpt2", "padId", 50257));
    assertThrows(
        IllegalArgumentException.class,
        () -> TokenizerJsonEncoderTest.modality("bert-minilm", "padId", 30522));
  }
}
