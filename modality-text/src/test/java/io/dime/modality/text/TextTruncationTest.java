package io.dime.modality.text;

import static io.dime.modality.text.TextModalityContractTest.THREE_SENTENCES;
import static io.dime.modality.text.TextModalityTest.featurize;
import static io.dime.modality.text.TextModalityTest.modality;
import static io.dime.modality.text.TextModalityTest.padded;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dime.spi.FeatureSet;
import io.dime.spi.Palette;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A text longer than {@code maxLength}: the features the encoder's truncation cuts are marked in
 * the layout and the view, so that their weights are not shown as if the model had read them (real
 * CoreNLP words, the test vocabulary and BERT's tokenizer.json).
 */
class TextTruncationTest {

  /** The names of the features the layout marks as truncated. */
  @SuppressWarnings("unchecked")
  static List<String> truncated(FeatureSet<String> fs) {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> f : (List<Map<String, Object>>) fs.layout().get("features")) {
      if (Boolean.TRUE.equals(f.get("truncated"))) {
        out.add((String) f.get("name"));
      }
    }
    return out;
  }

  static int inModel(FeatureSet<String> fs) {
    return (Integer) fs.layout().get("featuresInModel");
  }

  @Test
  void wordPieceCutsTheWordsAfterItsLastPiece() {
    TextModality m = modality("maxLength", 6);
    FeatureSet<String> fs = featurize(m, "the man is wearing a hat on his head");
    // [CLS] the man is wearing [SEP]
    assertArrayEquals(new long[] {2, 7, 8, 6, 9, 3}, m.encoder().encode(fs.value()).get(0).longs());
    assertEquals(4, inModel(fs));
    assertEquals(List.of("a@19", "hat@21", "on@25", "his@28", "head@32"), truncated(fs));
  }

  @Test
  void aWordWithSomeOfItsPiecesInIsInTheModel() {
    TextModality m = modality("maxLength", 4);
    FeatureSet<String> fs = featurize(m, "the unaffable man");
    // [CLS] the un [SEP]: "##aff ##able" are cut, "un" is in
    assertArrayEquals(new long[] {2, 7, 14, 3}, m.encoder().encode(fs.value()).get(0).longs());
    assertEquals(2, inModel(fs));
    assertEquals(List.of("man@14"), truncated(fs));
  }

  @Test
  void theVocabularyEncoderSentencesAndTheMaskTokenInTheText() {
    FeatureSet<String> vocab = featurize(modality("encoder", "vocab", "maxLength", 3), "a b c d");
    assertEquals(List.of("d@6"), truncated(vocab));
    // The cat sat . It was: the second sentence is partly in
    FeatureSet<String> sentences =
        featurize(modality("features", "sentences", "maxLength", 8), THREE_SENTENCES);
    assertEquals(2, inModel(sentences));
    assertEquals(List.of("Was he wearing a hat?@32"), truncated(sentences));
    // [CLS] the [MASK] [SEP]: the text's own "[MASK]" is one id, its three CoreNLP words are in
    TextModality masked = modality("perturber", "mask", "maxLength", 4);
    FeatureSet<String> fs = featurize(masked, "the [MASK] is here");
    assertArrayEquals(new long[] {2, 7, 4, 3}, masked.encoder().encode(fs.value()).get(0).longs());
    assertEquals(List.of("is@11", "here@14"), truncated(fs));
  }

  @Test
  void aTextThatFitsHasNoTruncatedFeature() {
    FeatureSet<String> fs =
        featurize(modality("maxLength", 11), "the man is wearing a hat on his head");
    assertArrayEquals(
        padded(11, 0, 2, 7, 8, 6, 9, 17, 25, 10, 11, 12, 3),
        modality("maxLength", 11).encoder().encode(fs.value()).get(0).longs());
    assertEquals(9, inModel(fs));
    assertEquals(List.of(), truncated(fs));
  }

  @Test
  void tokenizerJsonCutsTheWordsAfterItsLastToken() {
    TextModality m = TokenizerJsonEncoderTest.modality("bert-minilm", "maxLength", 6);
    FeatureSet<String> fs = featurize(m, "The man is wearing a red hat.");
    assertEquals(4, inModel(fs));
    assertEquals(List.of("a@19", "red@21", "hat@25", ".@28"), truncated(fs));
  }

  @Test
  void theViewLeavesTruncatedFeaturesNeutralAndOutOfTheTop() {
    TextModality m = modality("maxLength", 4);
    FeatureSet<String> fs = featurize(m, "the man is here");
    assertEquals(2, inModel(fs));
    View v = m.view(fs, new double[] {0.5, -0.25, 4.0, -8.0}, ViewOptions.defaults("t"));
    Map<String, Object> d = v.data();
    assertEquals(0.5, d.get("maxAbsWeight"));
    assertEquals(2, d.get("featuresInModel"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> features = (List<Map<String, Object>>) d.get("features");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> top = (List<Map<String, Object>>) d.get("top");
    assertEquals(List.of("the@0", "man@4"), top.stream().map(f -> f.get("name")).toList());
    String neutral = Palette.DIVERGING.neutral();
    assertEquals(Palette.DIVERGING.positive(), features.get(0).get("colour"));
    for (int i = 2; i < 4; i++) {
      assertEquals(neutral, features.get(i).get("colour"));
      assertEquals(true, features.get(i).get("truncated"));
      assertEquals(false, features.get(i).get("top"));
    }
    assertNull(features.get(1).get("truncated"));
    assertEquals(-8.0, features.get(3).get("weight"));
  }
}
