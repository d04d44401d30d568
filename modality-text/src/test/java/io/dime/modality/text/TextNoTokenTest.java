package io.dime.modality.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.api.InputException;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A text whose words all lose every character to the encoder's normalisation (combining marks that
 * accent stripping drops, a soft hyphen or word joiner that BERT's cleaning drops) gives the model
 * no token at all: it was featurized without an error, every word marked as cut by truncation, and
 * explained as a text the model never reads ([CLS] [SEP] whatever was hidden). It is the record's
 * input error, as a text without words is.
 */
class TextNoTokenTest {
  @Test
  void aTextOfWhichTheEncoderReadsNothingIsAnInputError() {
    TextModality wordPiece =
        new TextModality(
            "q",
            PluginConfig.of("modality 'q' (plugin text)", "vocab", TextModalityContractTest.VOCAB));
    InputException e =
        assertThrows(
            InputException.class,
            () ->
                wordPiece.featurize(
                    "\u0301\u0301 \u0302", PoolStatistics.empty(), new SplittableRandom(1)));
    assertEquals(
        "modality 'q': the encoder gives none of the 2 words of text '\u0301\u0301 \u0302' a"
            + " token, so the model reads nothing of it",
        e.getMessage());
    TextModality bert = TokenizerJsonEncoderTest.modality("bert-minilm");
    InputException soft =
        assertThrows(
            InputException.class, () -> TokenizerJsonEncoderTest.featurize(bert, "\u00ad \u2060"));
    assertEquals(
        "modality 'q': the encoder gives none of the 2 words of text '\u00ad \u2060' a token, so"
            + " the model reads nothing of it",
        soft.getMessage());
    // one word it reads is enough: the others are marked, as before
    assertEquals(2, TokenizerJsonEncoderTest.featurize(bert, "\u00ad\u00ad x").size());
  }
}
