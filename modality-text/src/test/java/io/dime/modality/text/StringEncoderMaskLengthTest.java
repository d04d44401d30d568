package io.dime.modality.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.api.InputException;
import io.dime.spi.FeatureSet;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Encoder {@code string} with perturber {@code mask}: a text that the mask string would make longer
 * than {@code maxLength} fails when it is featurized, naming both lengths, instead of in the middle
 * of the explanation on a text the user never wrote (real CoreNLP words).
 */
class StringEncoderMaskLengthTest {
  static TextModality modality(int maxLength) {
    return new TextModality(
        "review",
        PluginConfig.of(
            "modality 'review' (plugin text)",
            "encoder",
            "string",
            "perturber",
            "mask",
            "maxLength",
            maxLength));
  }

  static FeatureSet<String> featurize(TextModality m, String text) {
    return m.featurize(m.check(text, "r"), PoolStatistics.empty(), new SplittableRandom(1));
  }

  @Test
  void aTextThatMasksLongerThanMaxLengthFailsWhenFeaturized() {
    // 9 one-letter words, 17 characters; each [MASK] adds 5: 62
    InputException e =
        assertThrows(InputException.class, () -> featurize(modality(20), "a b c d e f g h i"));
    assertEquals(
        "modality 'review': a text of 17 characters is up to 62 with its features masked"
            + " ('[MASK]'), longer than encoder 'string' feeds (20, setting 'maxLength'); raise"
            + " it, or use perturber 'remove'",
        e.getMessage());
  }

  @Test
  void aTextThatMasksToExactlyMaxLengthIsFed() {
    TextModality m = modality(62);
    FeatureSet<String> fs = featurize(m, "a b c d e f g h i");
    String hidden = fs.apply(new boolean[9]);
    assertEquals(62, hidden.length());
    assertEquals(1, m.encoder().encode(hidden).size());
    // words longer than the mask shorten the text, and never count against it
    featurize(modality(32), "extraordinarily lengthy wordings");
  }
}
