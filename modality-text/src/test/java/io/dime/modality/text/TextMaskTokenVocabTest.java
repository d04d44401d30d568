package io.dime.modality.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.spi.FeatureSet;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Perturber {@code mask} with a vocabulary that does not hold the mask string: every hidden word
 * reached the model as the unknown id ("the [MASK] sat" as [4, 1, 5]), with no word said, though
 * the user had asked for a mask token. The setting is refused, naming the string and the id it
 * would have become; the unknown token itself is a mask string the user may choose.
 */
class TextMaskTokenVocabTest {
  @TempDir Path dir;

  private TextModality modality(String encoder, Object... more) throws IOException {
    Path vocab = dir.resolve("vocab.txt");
    Files.writeString(vocab, "[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\nsat\ncat\n");
    Object[] settings = {"encoder", encoder, "vocab", vocab.toString(), "maxLength", 6};
    Object[] all = Arrays.copyOf(settings, settings.length + more.length);
    System.arraycopy(more, 0, all, settings.length, more.length);
    return new TextModality("q", PluginConfig.of("modality 'q' (plugin text)", all));
  }

  @Test
  void aMaskStringOutsideTheVocabularyIsRefused() {
    for (String encoder : new String[] {"vocab", "wordpiece"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> modality(encoder, "perturber", "mask"));
      assertEquals(
          "modality 'q' (plugin text): the mask string '[MASK]' (setting 'maskToken') is not in"
              + " the vocabulary, so every hidden word would reach the model as the unknown id 1;"
              + " add it to the vocabulary, or set 'maskToken' to one of its tokens (its unknown"
              + " token to hide words as unknown ones)",
          e.getMessage(),
          encoder);
    }
  }

  @Test
  void theUnknownTokenAsMaskAndRemovalAreAccepted() throws IOException {
    TextModality unk = modality("vocab", "perturber", "mask", "maskToken", "[UNK]");
    FeatureSet<String> fs =
        unk.featurize("the cat sat", PoolStatistics.empty(), new SplittableRandom(1));
    String hidden = fs.apply(new boolean[] {true, false, true});
    assertEquals("the [UNK] sat", hidden);
    assertArrayEquals(new long[] {4, 1, 5, 0, 0, 0}, unk.encoder().encode(hidden).get(0).longs());
    modality("vocab"); // remove: no mask string needed
  }
}
