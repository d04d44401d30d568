package io.dime.modality.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ElementType;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code positionIds}: for a model exported with position ids as an input, the text modality fills
 * them (0 to maxLength - 1 in every row, whatever the text and whatever is hidden), with each
 * encoder; off by default.
 */
class PositionIdsTest {
  @Test
  void everyEncoderFillsZeroToMaxLengthMinusOne() {
    List<TextModality> modalities =
        List.of(
            TextModalityTest.modality("maxLength", 6, "positionIds", true),
            TextModalityTest.modality("encoder", "vocab", "maxLength", 6, "positionIds", true),
            TokenizerJsonEncoderTest.modality(
                "bert-minilm", "maxLength", 6, "positionIds", true, "positionIdsName", "pos"));
    for (TextModality m : modalities) {
      List<TensorSpec> specs = m.encoder().outputs();
      TensorSpec last = specs.get(specs.size() - 1);
      assertEquals(ElementType.INT64, last.type());
      assertArrayEquals(new long[] {6}, last.shape());
      for (String text : List.of("The man is unaffable.", "a", "")) {
        List<Tensor> t = m.encoder().encode(text);
        Tensor p = t.get(t.size() - 1);
        assertEquals(last.name(), p.name());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, p.longs(), text);
      }
    }
    assertEquals("pos", modalities.get(2).encoder().outputs().get(2).name());
    assertEquals(true, modalities.get(0).provenance().get("positionIds"));
  }

  @Test
  void offByDefaultAndItsNameMustDifferFromTheOthers() {
    TextModality plain = TextModalityTest.modality("maxLength", 6);
    assertFalse(plain.encoder().outputs().stream().anyMatch(s -> s.name().equals("position_ids")));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TextModalityTest.modality(
                    "positionIds", true, "positionIdsName", "attention_mask"));
    assertTrue(e.getMessage().contains("tensor names repeat"), e.getMessage());
  }
}
