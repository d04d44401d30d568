package io.dime.modality.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.spi.FeatureSet;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A mask string that is a plain word of the vocabulary ("is", as a word-level model's "unk" or
 * "oov" would be) was found inside other words: with perturber mask the record's own text "what is
 * on his head ?" reached the model as "what is on h [is] head ?" (ids [5, 6, 10, 1, 6, 12, 13]),
 * while perturber remove fed the same text as "his" (11): the prediction being explained depended
 * on the perturber, and "h" was an unknown word the record never had. The mask string is now found
 * only where it does not run on into a word, and written apart from a word it would run into.
 */
class TextMaskWordTest {
  private static TextModality modality(String encoder, String perturber) {
    return new TextModality(
        "q",
        PluginConfig.of(
            "modality 'q' (plugin text)",
            "encoder",
            encoder,
            "vocab",
            TextModalityContractTest.VOCAB,
            "perturber",
            perturber,
            "maskToken",
            "is",
            "maxLength",
            10));
  }

  @Test
  void theRecordsOwnTextEncodesAsUnderRemovalWhenTheMaskWordIsInsideAnotherWord() {
    String text = "what is on his head ?";
    for (String encoder : List.of("vocab", "wordpiece")) {
      long[] removed = modality(encoder, "remove").encoder().encode(text).get(0).longs();
      long[] masked = modality(encoder, "mask").encoder().encode(text).get(0).longs();
      assertArrayEquals(removed, masked, encoder);
    }
    assertArrayEquals(
        new long[] {5, 6, 10, 11, 12, 13, 0, 0, 0, 0},
        modality("vocab", "mask").encoder().encode(text).get(0).longs());
  }

  @Test
  void aHiddenWordNextToAKeptOneIsTheMaskWordAndLeavesTheKeptWordWhole() {
    TextModality m = modality("vocab", "mask");
    FeatureSet<String> fs =
        m.featurize("what is on his head?", PoolStatistics.empty(), new SplittableRandom(1));
    assertEquals(List.of("what@0", "is@5", "on@8", "his@11", "head@15", "?@19"), fs.names());
    String hidden = fs.apply(new boolean[] {true, true, true, true, true, false});
    // "head" then the mask word: written apart, so that "head" stays a word the vocabulary has
    assertEquals("what is on his head is", hidden);
    assertArrayEquals(
        new long[] {5, 6, 10, 11, 12, 6, 0, 0, 0, 0}, m.encoder().encode(hidden).get(0).longs());
  }

  /**
   * Encoder string: the model tokenizes the text itself, and "movieUNK" was one word of its own to
   * it (the kept "movie" lost with the hidden "?").
   */
  @Test
  void encoderStringGetsTheMaskWordApartFromTheKeptWord() {
    TextModality m =
        new TextModality(
            "q",
            PluginConfig.of(
                "modality 'q' (plugin text)",
                "encoder",
                "string",
                "perturber",
                "mask",
                "maskToken",
                "UNK",
                "maxLength",
                30));
    FeatureSet<String> fs =
        m.featurize("good movie?", PoolStatistics.empty(), new SplittableRandom(1));
    assertEquals("good movie UNK", fs.apply(new boolean[] {true, true, false}));
    assertEquals("UNK UNK UNK", fs.apply(new boolean[] {false, false, false}));
    assertEquals("good movie?", fs.apply(new boolean[] {true, true, true}));
  }
}
