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
 * Perturber {@code remove} never glues the kept words on either side of removed features that had
 * no blank before the next kept word (real CoreNLP words, the test vocabulary).
 */
class TextRemovalSpacingTest {
  @Test
  void removingAnOpeningBracketKeepsTheWordsAroundItApart() {
    FeatureSet<String> fs = featurize(modality(), "the (man) hat");
    assertEquals(List.of("the@0", "(@4", "man@5", ")@8", "hat@10"), fs.names());
    // was "theman) hat": one unknown word where the model had "the" and "man"
    assertEquals("the man) hat", fs.apply(hide(5, 1)));
    assertEquals("the man hat", fs.apply(hide(5, 1, 3)));
    assertEquals("the hat", fs.apply(hide(5, 1, 2, 3)));
    assertEquals("(man) hat", fs.apply(hide(5, 0)));
    assertEquals("the (man hat", fs.apply(hide(5, 3)));
    // [CLS] the man ) [SEP]: ")" is not in the vocabulary
    assertArrayEquals(
        padded(128, 0, 2, 7, 8, 1, 25, 3),
        modality().encoder().encode(fs.apply(hide(5, 1))).get(0).longs());
  }

  @Test
  void removingTheFirstHalfOfAContractionLeavesASpace() {
    FeatureSet<String> fs = featurize(modality(), "I can't go");
    assertEquals(List.of("I@0", "ca@2", "n't@4", "go@8"), fs.names());
    assertEquals("I n't go", fs.apply(hide(4, 1)));
    assertEquals("I go", fs.apply(hide(4, 1, 2)));
    assertEquals("I ca go", fs.apply(hide(4, 2)));
  }

  @Test
  void punctuationStillFollowsTheWordBeforeItAsWritten() {
    FeatureSet<String> fs = featurize(modality(), "Is there a bag?");
    assertEquals("Is there a?", fs.apply(hide(5, 3)));
    FeatureSet<String> emoji = featurize(modality(), "I \uD83D\uDE00 you \uD83D\uDE00!");
    assertEquals("I \uD83D\uDE00 you!", emoji.apply(hide(5, 3)));
  }

  @Test
  void noBlankInTheTextGivesOneSpaceAndTheMaskIsUnchanged() {
    FeatureSet<String> fs = featurize(modality(), "x\u0301(y)z");
    assertEquals(List.of("x\u0301@0", "(@2", "y@3", ")@4", "z@5"), fs.names());
    assertEquals("x\u0301 y)z", fs.apply(hide(5, 1)));
    assertEquals("x\u0301 y z", fs.apply(hide(5, 1, 3)));
    FeatureSet<String> masked = featurize(modality("perturber", "mask"), "the (man) hat");
    assertEquals("the [MASK]man) hat", masked.apply(hide(5, 1)));
    assertEquals("the (man) hat", masked.apply(hide(5)));
  }

  /**
   * Between words of a script written without spaces, removing what stood between them joins them
   * as the script is written, with no space the record never had; a space stays where one side is
   * another script (a Latin word runs into neither).
   */
  @Test
  void unspacedScriptsJoinWithoutASpace() {
    FeatureSet<String> fs = featurize(modality(), "我喜欢猫。你呢？");
    assertEquals(List.of("我喜欢猫@0", "。@4", "你呢@5", "？@7"), fs.names());
    assertEquals("我喜欢猫你呢？", fs.apply(hide(4, 1)));
    FeatureSet<String> thai = featurize(modality(), "ภาษาไทย(ง่าย)ดี");
    assertEquals("ภาษาไทยง่าย)ดี", thai.apply(hide(thai.size(), 1)));
    FeatureSet<String> mixed = featurize(modality(), "猫(cat)");
    assertEquals("猫 cat)", mixed.apply(hide(mixed.size(), 1)));
  }

  /**
   * Kana words that end in the long-vowel mark (U+30FC, half-width U+FF70: script Common) or in a
   * combining voicing mark (U+3099, text in NFD: script Inherited) are kana words: they join the
   * next as written, as any other kana word does (it was "コーヒー ケーキ", "が あ").
   */
  @Test
  void kanaEndingInALengthOrVoicingMarkJoinAsWritten() {
    FeatureSet<String> coffee = featurize(modality(), "コーヒー。ケーキ");
    assertEquals(List.of("コーヒー@0", "。@4", "ケーキ@5"), coffee.names());
    assertEquals("コーヒーケーキ", coffee.apply(hide(3, 1)));
    FeatureSet<String> half = featurize(modality(), "ｺｰﾋｰ。ｹｰｷ");
    assertEquals("ｺｰﾋｰｹｰｷ", half.apply(hide(3, 1)));
    FeatureSet<String> nfd = featurize(modality(), "か\u3099。あ");
    assertEquals(List.of("か\u3099@0", "。@2", "あ@3"), nfd.names());
    assertEquals("か\u3099あ", nfd.apply(hide(3, 1)));
    // a Latin letter with its combining accent still keeps a space before a kana word
    FeatureSet<String> accent = featurize(modality(), "e\u0301(あ)");
    assertEquals("e\u0301 あ)", accent.apply(hide(accent.size(), 1)));
  }
}
