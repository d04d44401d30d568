package io.dime.modality.text;

import static io.dime.modality.text.TextModalityContractTest.QUESTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ElementType;
import io.dime.api.InputException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.FeatureSet;
import io.dime.spi.PluginConfig;
import io.dime.spi.TextCodes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Encoder {@code string}: the (perturbed) text itself, for a model whose input is a string. */
class StringEncoderTest {
  private static TextModality modality(Object... settings) {
    Object[] all = new Object[settings.length + 2];
    all[0] = "encoder";
    all[1] = "string";
    System.arraycopy(settings, 0, all, 2, settings.length);
    return new TextModality("review", PluginConfig.of("modality 'review' (plugin text)", all));
  }

  private static String decoded(Tensor t) {
    int width = Math.toIntExact(t.shape()[0]);
    return TextCodes.decode(t.longs(), 0, width, "", t.name(), 0);
  }

  /** No vocabulary: one INT64 tensor named {@code text}, room for 2048 characters by default. */
  @Test
  void oneTensorHoldsTheTextWithoutAVocabulary() {
    TextModality m = modality();
    assertEquals(
        List.of(new TensorSpec("text", ElementType.INT64, new long[] {TextCodes.width(2048)})),
        m.encoder().outputs());
    List<Tensor> t = m.encoder().encode("Good movie 😀");
    assertEquals(1, t.size());
    assertEquals("Good movie 😀", decoded(t.get(0)));
    assertEquals(
        List.of(new TensorSpec("sentence", ElementType.INT64, new long[] {TextCodes.width(40)})),
        modality("inputName", "sentence", "maxLength", 40).encoder().outputs());
  }

  /** The model gets exactly the text the perturbation makes: hidden words removed or masked. */
  @Test
  void theModelGetsThePerturbedText() {
    TextModality m = modality();
    FeatureSet<String> fs = TextModalityTest.featurize(m, QUESTION);
    boolean[] keep = TextModalityTest.hide(9, 3, 7);
    String perturbed = fs.apply(keep);
    assertEquals("What is the wearing on his?", perturbed);
    assertEquals(perturbed, decoded(m.encoder().encode(perturbed).get(0)));
    TextModality masked = modality("perturber", "mask", "maskToken", "UNK");
    String hidden = TextModalityTest.featurize(masked, QUESTION).apply(keep);
    assertEquals("What is the UNK wearing on his UNK?", hidden);
    assertEquals(hidden, decoded(masked.encoder().encode(hidden).get(0)));
  }

  /**
   * A record's text longer than {@code maxLength} is its record's input error naming the setting; a
   * text that masks would grow past it fails when featurized, and the encoder refuses such a text.
   */
  @Test
  void textsLongerThanMaxLengthAreRefusedNamingTheSetting() {
    TextModality m = modality("maxLength", 10, "perturber", "mask");
    assertEquals("0123456789", m.check("0123456789", "r1"));
    InputException e = assertThrows(InputException.class, () -> m.check("0123456789A", "r2"));
    assertEquals("r2", e.recordId().orElseThrow());
    assertTrue(
        e.getMessage()
            .contains(
                "modality 'review': a text of 11 characters is longer than encoder 'string'"
                    + " feeds (10, setting 'maxLength')"),
        e.getMessage());
    // masks would grow it to 34 characters: refused when featurized (StringEncoderMaskLengthTest)
    InputException masks =
        assertThrows(InputException.class, () -> TextModalityTest.featurize(m, "a b c d e"));
    assertTrue(
        masks.getMessage().contains("up to 34 with its features masked"), masks.getMessage());
    String masked = "[MASK] [MASK] [MASK] [MASK] [MASK]";
    InputException grown = assertThrows(InputException.class, () -> m.encoder().encode(masked));
    assertTrue(grown.getMessage().contains("setting 'maxLength'"), grown.getMessage());
  }

  /** Settings of the token encoders are refused with encoder string, and inputName without it. */
  @Test
  void settingsOfOtherEncodersAreRefused() {
    for (String key : List.of("vocab", "lowercase", "attentionMask", "inputIdsName", "padId")) {
      Object value = key.equals("lowercase") || key.equals("attentionMask") ? true : "x";
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> modality(key, value), key);
      assertEquals(
          "modality 'review' (plugin text): setting '"
              + key
              + "' does not apply to encoder 'string' (the model takes the text itself and"
              + " tokenizes it)",
          e.getMessage());
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new TextModality(
                    "q",
                    PluginConfig.of(
                        "modality 'q' (plugin text)",
                        "vocab",
                        TextModalityContractTest.VOCAB,
                        "inputName",
                        "text")));
    assertTrue(
        e.getMessage().contains("'inputName' applies to encoder 'string' only"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> modality("maxLength", 0));
  }

  @Test
  void provenanceHasTheEncoderAndNoVocabulary() {
    Map<String, Object> p = modality("inputName", "doc").provenance();
    assertEquals("string", p.get("encoder"));
    assertEquals(2048, p.get("maxLength"));
    assertEquals("doc", p.get("inputName"));
    assertEquals("remove", p.get("perturber"));
    assertFalse(p.containsKey("vocab"), p.toString());
    assertFalse(p.containsKey("attentionMask"), p.toString());
  }
}
