package io.dime.modality.text;

import static io.dime.modality.text.TextModalityTest.featurize;
import static io.dime.modality.text.TextModalityTest.hide;
import static io.dime.modality.text.TextModalityTest.modality;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.spi.FeatureSet;
import org.junit.jupiter.api.Test;

/**
 * Perturber {@code remove} with every feature hidden gives the empty text, whatever blanks the
 * record ends with: the reference is the same for every record, and a byte-level tokenizer gets no
 * token from it (real CoreNLP words, GPT-2's tokenizer.json).
 */
class TextRemovedAllTest {

  @Test
  void removingEveryWordGivesTheEmptyTextNotTheTrailingBlanks() {
    FeatureSet<String> fs = featurize(modality(), "Is there a bag?\r\n");
    assertEquals("", fs.apply(new boolean[5]));
    assertEquals("Is there a\r\n", fs.apply(hide(5, 3, 4)));
    assertEquals("Is there a bag?\r\n", fs.apply(hide(5)));
    FeatureSet<String> sentences =
        featurize(modality("features", "sentences"), "  One. Two.  \n\n");
    assertEquals("", sentences.apply(new boolean[2]));
    assertEquals("  One.  \n\n", sentences.apply(hide(2, 1)));
  }

  @Test
  void aByteLevelModelGetsNoTokenForTheReference() {
    TextModality m = TokenizerJsonEncoderTest.modality("gpt2", "maxLength", 4);
    FeatureSet<String> fs = featurize(m, "Hello world\n");
    String reference = fs.apply(new boolean[2]);
    assertEquals("", reference);
    // was "\n": GPT-2's newline token 198 with attention 1
    assertArrayEquals(new long[] {0, 0, 0, 0}, m.encoder().encode(reference).get(1).longs());
  }

  @Test
  void theMaskStillKeepsEveryBlank() {
    FeatureSet<String> fs = featurize(modality("perturber", "mask"), "a b\n");
    assertEquals("[MASK] [MASK]\n", fs.apply(new boolean[2]));
  }
}
