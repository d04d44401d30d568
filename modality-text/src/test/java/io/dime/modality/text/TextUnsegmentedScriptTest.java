package io.dime.modality.text;

import static io.dime.modality.text.TextModalityTest.featurize;
import static io.dime.modality.text.TextModalityTest.modality;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the README says of scripts written without spaces: CoreNLP's English tokenizer splits at
 * spaces and punctuation only, so a run of Chinese, Japanese or Thai is one word feature.
 */
class TextUnsegmentedScriptTest {
  @Test
  void aRunWithoutSpacesOrPunctuationIsOneWord() {
    assertEquals(
        List.of("我喜欢猫@0", "。@4", "你呢@5", "？@7"), featurize(modality(), "我喜欢猫。你呢？").names());
    assertEquals(List.of("猫が好きです@0"), featurize(modality(), "猫が好きです").names());
    assertEquals(List.of("ภาษาไทยง่าย@0"), featurize(modality(), "ภาษาไทยง่าย").names());
    assertEquals(List.of("나는@0", "고양이를@3", "좋아해@8"), featurize(modality(), "나는 고양이를 좋아해").names());
  }
}
