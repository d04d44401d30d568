package io.dime.modality.text;

import static io.dime.modality.text.TextModalityTest.featurize;
import static io.dime.modality.text.TextModalityTest.modality;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.api.FeatureMap;
import io.dime.spi.FeatureSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The offset in a text feature's name ({@code cat@11}) counts code points, as the feature map's
 * spans in {@code explanations.jsonl} do: one line of JSON gave the last "cat" of "😀😀 a cat 🐱
 * cat" the name {@code cat@14} (a UTF-16 index) and the span [11, 14), so that Python's {@code
 * text[14:]} read nothing where the name pointed.
 */
class TextFeatureNameOffsetTest {
  @Test
  void nameOffsetsAreTheSpansCodePointBegins() {
    String text = "\uD83D\uDE00\uD83D\uDE00 a cat \uD83D\uDC31 cat";
    FeatureSet<String> fs = featurize(modality(), text);
    assertEquals(List.of("😀@0", "😀@1", "a@3", "cat@5", "🐱@9", "cat@11"), fs.names());
    FeatureMap.Spans spans = (FeatureMap.Spans) fs.featureMap().orElseThrow();
    List<String> fromSpans = new ArrayList<>();
    for (int i = 0; i < fs.size(); i++) {
      int[] cps = text.codePoints().toArray();
      String word = new String(cps, spans.begins()[i], spans.ends()[i] - spans.begins()[i]);
      fromSpans.add(word + "@" + spans.begins()[i]);
    }
    assertEquals(fromSpans, fs.names());
  }

  @Test
  void sentenceNamesCountCodePointsToo() {
    String text = "A cat \uD83D\uDC31 sat. It slept.";
    assertEquals(
        List.of("A cat \uD83D\uDC31 sat.@0", "It slept.@13"),
        featurize(modality("features", "sentences"), text).names());
  }
}
