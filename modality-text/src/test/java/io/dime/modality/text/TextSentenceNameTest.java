package io.dime.modality.text;

import static io.dime.modality.text.TextModalityTest.featurize;
import static io.dime.modality.text.TextModalityTest.modality;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A sentence's name is its text cut to 30 chars, never between the two chars of an emoji: a lone
 * surrogate is no character, and a JSON reader (Python's json, then UTF-8) cannot write it back.
 */
class TextSentenceNameTest {
  @Test
  void aSentenceCutAtAnEmojiKeepsWholeCharacters() {
    String text = "aaaaaaaaaaaaaaaaaaaaaaaaaa\uD83D\uDE00 bbb ccc. Next one.";
    // was "aaaaaaaaaaaaaaaaaaaaaaaaaa\uD83D...@0": the emoji's first half alone
    // (the offset counts code points: "Next" is the 38th)
    assertEquals(
        List.of("aaaaaaaaaaaaaaaaaaaaaaaaaa...@0", "Next one.@37"),
        featurize(modality("features", "sentences"), text).names());
    String whole = "aaaaaaaaaaaaaaaaaaaaaaaaa\uD83D\uDE00 bbb ccc.";
    assertEquals(
        List.of("aaaaaaaaaaaaaaaaaaaaaaaaa\uD83D\uDE00...@0"),
        featurize(modality("features", "sentences"), whole).names());
  }
}
