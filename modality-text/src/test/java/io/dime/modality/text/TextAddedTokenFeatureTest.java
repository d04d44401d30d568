package io.dime.modality.text;

import static io.dime.modality.text.TextModalityTest.featurize;
import static io.dime.modality.text.TextModalityTest.hide;
import static io.dime.modality.text.TextModalityTest.modality;
import static io.dime.modality.text.TextModalityTest.padded;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.spi.FeatureSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A mask string or added token written in the text ("The capital is [MASK].", as a fill-mask model
 * takes it) is one feature, as the encoder reads it as one token; CoreNLP alone makes three words
 * of it, "[" "MASK" "]", and hiding one of them broke the token (real CoreNLP words, the test
 * vocabulary and BERT's tokenizer.json).
 */
class TextAddedTokenFeatureTest {

  static TextModality bert(String perturber) {
    return TokenizerJsonEncoderTest.modality(
        "bert-minilm", "perturber", perturber, "maxLength", 16);
  }

  @Test
  void theMaskStringOfPerturberMaskIsOneWord() {
    TextModality m = modality("perturber", "mask");
    FeatureSet<String> fs = featurize(m, "the [MASK] is here");
    assertEquals(List.of("the@0", "[MASK]@4", "is@11", "here@14"), fs.names());
    // was "the [[MASK]] is here": "[" [MASK] "]" where the model had [MASK]
    assertEquals("the [MASK] is here", fs.apply(hide(4, 1)));
    assertEquals("[MASK] [MASK] is here", fs.apply(hide(4, 0)));
    assertArrayEquals(
        padded(128, 0, 2, 7, 4, 6, 1, 3), m.encoder().encode(fs.apply(hide(4, 1))).get(0).longs());
  }

  @Test
  void withoutANeverSplitStringTheVocabularyEncoderKeepsCoreNlpWords() {
    // perturber remove: WordPiece reads "[MASK]" in the text as "[" "mask" "]" too
    FeatureSet<String> fs = featurize(modality(), "the [MASK] is here");
    assertEquals(List.of("the@0", "[@4", "MASK@5", "]@9", "is@11", "here@14"), fs.names());
  }

  @Test
  void addedTokensOfTheTokenizerFileAreOneWordEach() {
    TextModality m = bert("remove");
    FeatureSet<String> fs = featurize(m, "Paris is [MASK]. [SEP] Rome too");
    assertEquals(
        List.of("Paris@0", "is@6", "[MASK]@9", ".@15", "[SEP]@17", "Rome@23", "too@28"),
        fs.names());
    assertEquals("Paris is. [SEP] Rome too", fs.apply(hide(7, 2)));
    assertEquals("Paris is [MASK]. Rome too", fs.apply(hide(7, 4)));
    FeatureSet<String> masked = featurize(bert("mask"), "Paris is [MASK].");
    assertEquals(List.of("Paris@0", "is@6", "[MASK]@9", ".@15"), masked.names());
    assertEquals("Paris is [MASK].", masked.apply(hide(4, 2)));
  }
}
