package io.dime.modality.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.spi.FeatureSet;
import io.dime.spi.PluginConfig;
import io.dime.testkit.ModalityContract;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The text modality against the modality contract: words removed and WordPiece (with token type
 * ids) here; words hidden by a mask string in {@link WordsMasked}; sentences with the mask
 * perturber and the word vocabulary encoder in {@link SentencesMaskedVocab}; the tokenizer-json
 * encoder with BERT's mask in {@link WordsMaskedTokenizerJson} and GPT-2's byte-level BPE in {@link
 * WordsRemovedByteLevel}.
 */
class TextModalityContractTest extends ModalityContract<String> {
  static final String VOCAB = "classpath:io/dime/modality/text/vocab.txt";
  static final String QUESTION = "What is the man wearing on his head?";
  static final String THREE_SENTENCES = "The cat sat. It was on the mat! Was he wearing a hat?";

  @Override
  protected String pluginName() {
    return "text";
  }

  @Override
  protected PluginConfig config() {
    return PluginConfig.of(
        "modality 'm' (plugin text)", "vocab", VOCAB, "maxLength", 16, "tokenTypeIds", true);
  }

  @Override
  protected Object sampleField() {
    return QUESTION;
  }

  @Override
  protected Map<String, Object> badFields() {
    return textBadFields();
  }

  @Override
  protected Optional<int[]> featureOwnership(FeatureSet<String> features) {
    return Optional.of(ownership(features));
  }

  @Test
  void theSampleHasNineWords() {
    assertEquals(9, features().size());
  }

  static Map<String, Object> textBadFields() {
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("empty text", "");
    bad.put("only whitespace", " \t\n ");
    bad.put("expects a string", 42);
    bad.put("found a boolean true", true);
    bad.put(
        "found an array of 2 entries [\"What\", \"is\"]",
        new java.util.ArrayList<>(List.of("What", "is")));
    return bad;
  }

  /**
   * Each character's feature, from the layout's offsets; -1 for characters between features
   * (whitespace).
   */
  static int[] ownership(FeatureSet<String> features) {
    int[] owner = new int[features.value().length()];
    Arrays.fill(owner, -1);
    List<?> spans = (List<?>) features.layout().get("features");
    for (int i = 0; i < spans.size(); i++) {
      Map<?, ?> f = (Map<?, ?>) spans.get(i);
      for (int c = (Integer) f.get("begin"); c < (Integer) f.get("end"); c++) {
        owner[c] = i;
      }
    }
    return owner;
  }

  /** The text plugin's contract settings shared by the variants below: only the config differs. */
  abstract class TextContract extends ModalityContract<String> {
    @Override
    protected String pluginName() {
      return "text";
    }

    @Override
    protected Object sampleField() {
      return QUESTION;
    }

    @Override
    protected Map<String, Object> badFields() {
      return textBadFields();
    }

    @Override
    protected Optional<int[]> featureOwnership(FeatureSet<String> features) {
      return Optional.of(ownership(features));
    }
  }

  /** Each hidden word becomes one mask string; WordPiece maps it to the [MASK] id. */
  @Nested
  class WordsMasked extends TextContract {
    @Override
    protected PluginConfig config() {
      return PluginConfig.of(
          "modality 'm' (plugin text)",
          "vocab",
          VOCAB,
          "perturber",
          "mask",
          "maxLength",
          16,
          "lowercase",
          false);
    }
  }

  /** Sentences as features; a hidden sentence becomes one mask string; word-level ids. */
  @Nested
  class SentencesMaskedVocab extends TextContract {
    @Override
    protected String modalityName() {
      return "question";
    }

    @Override
    protected PluginConfig config() {
      return PluginConfig.of(
          "modality 'question' (plugin text)",
          "vocab",
          VOCAB,
          "features",
          "sentences",
          "perturber",
          "mask",
          "maskToken",
          "[MASK]",
          "encoder",
          "vocab",
          "maxLength",
          12,
          "unkId",
          1,
          "padId",
          0,
          "attentionMask",
          false,
          "inputIdsName",
          "question_ids");
    }

    @Override
    protected Object sampleField() {
      return THREE_SENTENCES;
    }

    @Test
    void theSampleHasThreeSentences() {
      assertEquals(3, features().size());
    }
  }

  /** Words hidden by BERT's [MASK], encoded by a Hugging Face tokenizer.json (all-MiniLM-L6-v2). */
  @Nested
  class WordsMaskedTokenizerJson extends TextContract {
    @Override
    protected PluginConfig config() {
      return PluginConfig.of(
          "modality 'm' (plugin text)",
          "encoder",
          "tokenizer-json",
          "tokenizer",
          "classpath:io/dime/modality/text/hf/bert-minilm-tokenizer.json",
          "perturber",
          "mask",
          "maxLength",
          16,
          "tokenTypeIds",
          true);
    }
  }

  /** Words removed, GPT-2's byte-level BPE from its tokenizer.json. */
  @Nested
  class WordsRemovedByteLevel extends TextContract {
    @Override
    protected PluginConfig config() {
      return PluginConfig.of(
          "modality 'm' (plugin text)",
          "encoder",
          "tokenizer-json",
          "tokenizer",
          "classpath:io/dime/modality/text/hf/gpt2-tokenizer.json",
          "maxLength",
          16);
    }
  }
}
