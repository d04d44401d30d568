package io.dime.modality.text;

import static io.dime.modality.text.TextModality.ATTENTION_MASK;
import static io.dime.modality.text.TextModality.ATTENTION_MASK_NAME;
import static io.dime.modality.text.TextModality.BASE_DIRECTORY;
import static io.dime.modality.text.TextModality.CLS_TOKEN;
import static io.dime.modality.text.TextModality.DEFAULT_MAX_CHARS;
import static io.dime.modality.text.TextModality.ENCODER;
import static io.dime.modality.text.TextModality.FEATURES;
import static io.dime.modality.text.TextModality.INPUT_IDS_NAME;
import static io.dime.modality.text.TextModality.INPUT_NAME;
import static io.dime.modality.text.TextModality.LOWERCASE;
import static io.dime.modality.text.TextModality.MASK_TOKEN;
import static io.dime.modality.text.TextModality.MAX_CHARS;
import static io.dime.modality.text.TextModality.MAX_LENGTH;
import static io.dime.modality.text.TextModality.PAD_ID;
import static io.dime.modality.text.TextModality.PERTURBER;
import static io.dime.modality.text.TextModality.POSITION_IDS;
import static io.dime.modality.text.TextModality.POSITION_IDS_NAME;
import static io.dime.modality.text.TextModality.SEP_TOKEN;
import static io.dime.modality.text.TextModality.SETTINGS;
import static io.dime.modality.text.TextModality.STRIP_ACCENTS;
import static io.dime.modality.text.TextModality.TOKENIZER;
import static io.dime.modality.text.TextModality.TOKEN_TYPE_IDS;
import static io.dime.modality.text.TextModality.TOKEN_TYPE_IDS_NAME;
import static io.dime.modality.text.TextModality.UNK_ID;
import static io.dime.modality.text.TextModality.UNK_TOKEN;
import static io.dime.modality.text.TextModality.VOCAB;

import io.dime.spi.PluginConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The text modality's settings, parsed and checked once, the vocabulary loaded and the special
 * tokens resolved against it. See {@link TextModality} for the list.
 */
final class TextSettings {
  private static final List<String> WORDPIECE_ONLY =
      List.of(CLS_TOKEN, SEP_TOKEN, TOKEN_TYPE_IDS, TOKEN_TYPE_IDS_NAME);

  /** The encoder that reads a Hugging Face tokenizer.json. */
  static final String TOKENIZER_JSON = "tokenizer-json";

  /** The encoder that feeds the text itself, to a model with a string input. */
  static final String STRING = "string";

  /** The settings encoder {@code string} takes. */
  private static final Set<String> STRING_SETTINGS =
      Set.of(
          FEATURES,
          PERTURBER,
          MASK_TOKEN,
          ENCODER,
          MAX_LENGTH,
          MAX_CHARS,
          INPUT_NAME,
          BASE_DIRECTORY);

  /** The default {@code maxLength} of encoder {@code string}, in characters. */
  static final int STRING_MAX_LENGTH = 2048;

  final String unit;
  final boolean mask;
  final String maskToken;
  final boolean wordPiece;

  /** Encoder {@code string}: the text itself goes to the model; no vocabulary. */
  final boolean raw;

  /** The tokenizer-json encoder's settings; null for the other encoders. */
  final TokenizerJsonSettings hf;

  /** The vocabulary of the wordpiece and vocab encoders; null for tokenizer-json. */
  final Vocabulary vocab;

  final int maxLength;
  final int maxChars;
  final boolean lowercase;
  final boolean stripAccents;
  final int unkId;
  final int padId;
  final int clsId;
  final int sepId;
  final boolean attentionMask;
  final boolean tokenTypeIds;
  final String inputIdsName;
  final String attentionMaskName;
  final String tokenTypeIdsName;
  final boolean positionIds;
  final String positionIdsName;
  final Map<String, Object> provenance;

  /**
   * Parses the settings and loads the vocabulary.
   *
   * @throws IllegalArgumentException for a bad setting or an unreadable vocabulary, naming it
   */
  TextSettings(PluginConfig config) {
    config.requireKnown(SETTINGS);
    String component = config.component();
    this.unit = config.getChoice(FEATURES, "words", Set.of("words", "sentences"));
    this.mask = config.getChoice(PERTURBER, "remove", Set.of("remove", "mask")).equals("mask");
    String kind =
        config.getChoice(
            ENCODER, "wordpiece", Set.of("wordpiece", "vocab", TOKENIZER_JSON, STRING));
    this.wordPiece = kind.equals("wordpiece");
    this.raw = kind.equals(STRING);
    checkApplies(config, kind);
    Path base = baseDirectory(config);
    this.hf = kind.equals(TOKENIZER_JSON) ? TokenizerJsonSettings.read(config, base, mask) : null;
    this.maskToken =
        hf == null ? config.getString(MASK_TOKEN, "[MASK]") : hf.maskToken.orElse("[MASK]");
    if (maskToken.isBlank()) {
      throw new IllegalArgumentException(component + ": setting '" + MASK_TOKEN + "' is blank");
    }
    String vocabLocation = hf == null && !raw ? vocabLocation(config) : null;
    this.vocab =
        hf == null && !raw
            ? Vocabulary.load(vocabLocation, base, component + ": setting '" + VOCAB + "'")
            : null;
    this.maxLength =
        raw
            ? maxLength(config, STRING_MAX_LENGTH, 1)
            : hf == null ? maxLength(config, 128, wordPiece ? 2 : 1) : hf.maxLength;
    this.maxChars = config.getInt(MAX_CHARS, DEFAULT_MAX_CHARS);
    if (maxChars < 1) {
      throw new IllegalArgumentException(
          component + ": setting '" + MAX_CHARS + "' must be at least 1, found " + maxChars);
    }
    this.lowercase = hf == null && !raw && config.getBoolean(LOWERCASE, true);
    this.stripAccents = hf == null && !raw && config.getBoolean(STRIP_ACCENTS, lowercase);

    if (config.get(UNK_ID).isPresent() && config.get(UNK_TOKEN).isPresent()) {
      throw new IllegalArgumentException(
          component + ": set '" + UNK_TOKEN + "' or '" + UNK_ID + "', not both");
    }
    Ids ids = vocab != null ? new Ids(component, vocab, config) : null;
    this.unkId =
        vocab == null
            ? -1
            : config.get(UNK_ID).isPresent() ? ids.explicit(UNK_ID) : ids.token(UNK_TOKEN, "[UNK]");
    this.padId =
        vocab == null
            ? (hf == null ? -1 : hf.padId)
            : config.get(PAD_ID).isPresent()
                ? ids.explicit(PAD_ID)
                : wordPiece ? ids.lookup("[PAD]", PAD_ID) : 0;
    if (mask && vocab != null && vocab.id(maskToken) < 0) {
      throw new IllegalArgumentException(
          component
              + ": the mask string '"
              + maskToken
              + "' (setting '"
              + MASK_TOKEN
              + "') is not in the vocabulary, so every hidden word would reach the model as the"
              + " unknown id "
              + unkId
              + "; add it to the vocabulary, or set '"
              + MASK_TOKEN
              + "' to one of its tokens (its unknown token to hide words as unknown ones)");
    }
    this.clsId = wordPiece ? ids.token(CLS_TOKEN, "[CLS]") : -1;
    this.sepId = wordPiece ? ids.token(SEP_TOKEN, "[SEP]") : -1;
    this.attentionMask = !raw && config.getBoolean(ATTENTION_MASK, true);
    this.tokenTypeIds = (wordPiece || hf != null) && config.getBoolean(TOKEN_TYPE_IDS, false);
    this.inputIdsName =
        raw
            ? tensorName(config, INPUT_NAME, "text")
            : tensorName(config, INPUT_IDS_NAME, "input_ids");
    this.attentionMaskName = tensorName(config, ATTENTION_MASK_NAME, "attention_mask");
    this.tokenTypeIdsName = tensorName(config, TOKEN_TYPE_IDS_NAME, "token_type_ids");
    this.positionIds = config.getBoolean(POSITION_IDS, false);
    this.positionIdsName = tensorName(config, POSITION_IDS_NAME, "position_ids");
    checkTensorNamesDiffer(component);
    this.provenance = provenance(config, kind, vocabLocation, base);
  }

  /** Refuses a setting that the chosen encoder does not take, naming the encoders that do. */
  private static void checkApplies(PluginConfig config, String kind) {
    String component = config.component();
    if (kind.equals(STRING)) {
      for (String key : SETTINGS) {
        if (!STRING_SETTINGS.contains(key) && config.get(key).isPresent()) {
          throw new IllegalArgumentException(
              component
                  + ": setting '"
                  + key
                  + "' does not apply to encoder 'string' (the model takes the text itself and"
                  + " tokenizes it)");
        }
      }
    } else if (config.get(INPUT_NAME).isPresent()) {
      throw new IllegalArgumentException(
          component
              + ": setting '"
              + INPUT_NAME
              + "' applies to encoder 'string' only; name token ids with '"
              + INPUT_IDS_NAME
              + "'");
    }
    if (!kind.equals("wordpiece")) {
      for (String key : WORDPIECE_ONLY) {
        if (config.get(key).isPresent() && !allowedForTokenizerJson(kind, key)) {
          throw new IllegalArgumentException(
              component + ": setting '" + key + "' applies to encoder 'wordpiece' only");
        }
      }
    }
    if (!kind.equals(TOKENIZER_JSON) && config.get(TOKENIZER).isPresent()) {
      throw new IllegalArgumentException(
          component + ": setting '" + TOKENIZER + "' applies to encoder 'tokenizer-json' only");
    }
  }

  /** token_type_ids are the template's for tokenizer-json; [CLS] and [SEP] come from the file. */
  private static boolean allowedForTokenizerJson(String kind, String key) {
    return kind.equals(TOKENIZER_JSON)
        && (key.equals(TOKEN_TYPE_IDS) || key.equals(TOKEN_TYPE_IDS_NAME));
  }

  private static String vocabLocation(PluginConfig config) {
    return Optional.ofNullable(config.getString(VOCAB, null))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    config.component()
                        + ": setting '"
                        + VOCAB
                        + "' is required: a vocabulary file (one token per line, id = line"
                        + " number from 0) or classpath:NAME"));
  }

  /** The directory a relative vocabulary path resolves against; null for the working directory. */
  private static Path baseDirectory(PluginConfig config) {
    if (config.get(BASE_DIRECTORY).isEmpty()) {
      return null;
    }
    try {
      return Path.of(config.getString(BASE_DIRECTORY, "."));
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(
          config.component()
              + ": setting '"
              + BASE_DIRECTORY
              + "' is not a path: "
              + e.getMessage());
    }
  }

  private static int maxLength(PluginConfig config, int dflt, int minLength) {
    int maxLength = config.getInt(MAX_LENGTH, dflt);
    if (maxLength < minLength || maxLength > (1 << 20)) {
      throw new IllegalArgumentException(
          config.component()
              + ": setting '"
              + MAX_LENGTH
              + "' is "
              + maxLength
              + "; expected "
              + minLength
              + " to "
              + (1 << 20)
              + (minLength == 2 ? " (WordPiece needs room for [CLS] and [SEP])" : ""));
    }
    return maxLength;
  }

  private void checkTensorNamesDiffer(String component) {
    List<String> tensorNames = new ArrayList<>(List.of(inputIdsName));
    if (attentionMask) {
      tensorNames.add(attentionMaskName);
    }
    if (tokenTypeIds) {
      tensorNames.add(tokenTypeIdsName);
    }
    if (positionIds) {
      tensorNames.add(positionIdsName);
    }
    if (new HashSet<>(tensorNames).size() != tensorNames.size()) {
      throw new IllegalArgumentException(component + ": tensor names repeat: " + tensorNames);
    }
  }

  /** What the encoder needs. */
  TextEncoder.Spec encoderSpec() {
    return new TextEncoder.Spec(
        wordPiece,
        vocab,
        maxLength,
        lowercase,
        stripAccents,
        padId,
        unkId,
        clsId,
        sepId,
        attentionMask,
        tokenTypeIds,
        inputIdsName,
        attentionMaskName,
        tokenTypeIdsName,
        positionIds ? positionIdsName : null,
        mask ? maskToken : null);
  }

  /** Every setting in effect, defaults and ids included, with the vocabulary's digest. */
  private Map<String, Object> provenance(
      PluginConfig config, String kind, String vocabLocation, Path base) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put(FEATURES, unit);
    p.put(PERTURBER, mask ? "mask" : "remove");
    p.put(MASK_TOKEN, maskToken);
    p.put(ENCODER, kind);
    if (raw) {
      p.put(MAX_LENGTH, maxLength);
      p.put(MAX_CHARS, maxChars);
      p.put(INPUT_NAME, inputIdsName);
      p.put("tokenizer", CoreNlpTokenizer.description());
      p.put("corenlpVersion", CoreNlpTokenizer.version());
      return Collections.unmodifiableMap(p);
    }
    p.put(hf == null ? VOCAB : TOKENIZER, hf == null ? vocabLocation : hf.location);
    if (base != null) {
      p.put(BASE_DIRECTORY, base.toString());
    }
    if (hf != null) {
      p.putAll(hf.provenance());
    } else {
      p.put("vocabSource", vocab.source());
      p.put("vocabSha256", vocab.sha256());
      p.put("vocabSize", vocab.size());
    }
    p.put(MAX_LENGTH, maxLength);
    p.put(MAX_CHARS, maxChars);
    if (hf == null) {
      p.put(LOWERCASE, lowercase);
      p.put(STRIP_ACCENTS, stripAccents);
      config.get(UNK_TOKEN).ifPresent(t -> p.put(UNK_TOKEN, t.toString()));
      if (config.get(UNK_ID).isEmpty() && config.get(UNK_TOKEN).isEmpty()) {
        p.put(UNK_TOKEN, "[UNK]");
      }
      p.put(UNK_ID, unkId);
    }
    p.put(PAD_ID, padId);
    if (wordPiece) {
      p.put(CLS_TOKEN, config.getString(CLS_TOKEN, "[CLS]"));
      p.put("clsId", clsId);
      p.put(SEP_TOKEN, config.getString(SEP_TOKEN, "[SEP]"));
      p.put("sepId", sepId);
      p.put("maxCharsPerWord", WordPiece.MAX_CHARS_PER_WORD);
      p.put(TOKEN_TYPE_IDS, tokenTypeIds);
      p.put(TOKEN_TYPE_IDS_NAME, tokenTypeIdsName);
    }
    if (hf != null) {
      p.put(TOKEN_TYPE_IDS, tokenTypeIds);
      p.put(TOKEN_TYPE_IDS_NAME, tokenTypeIdsName);
    }
    p.put(ATTENTION_MASK, attentionMask);
    p.put(INPUT_IDS_NAME, inputIdsName);
    p.put(ATTENTION_MASK_NAME, attentionMaskName);
    if (positionIds) { // only when set: the provenance of runs without them stays as it was
      p.put(POSITION_IDS, true);
      p.put(POSITION_IDS_NAME, positionIdsName);
    }
    p.put("tokenizer", CoreNlpTokenizer.description());
    p.put("corenlpVersion", CoreNlpTokenizer.version());
    return Collections.unmodifiableMap(p);
  }

  /** Resolves special-token settings against the vocabulary, with messages naming both. */
  private record Ids(String component, Vocabulary vocab, PluginConfig config) {
    int explicit(String key) {
      int id = config.getInt(key, 0);
      if (id < 0) {
        throw new IllegalArgumentException(
            component + ": setting '" + key + "' is " + id + "; ids are not negative");
      }
      checkInVocabulary(component, key, id, "vocabulary '" + vocab.source() + "'", vocab.size());
      return id;
    }

    int token(String key, String dflt) {
      return lookup(config.getString(key, dflt), key);
    }

    int lookup(String token, String key) {
      int id = vocab.id(token);
      if (id < 0) {
        throw new IllegalArgumentException(
            component
                + ": vocabulary '"
                + vocab.source()
                + "' has no token '"
                + token
                + "' (setting '"
                + key
                + "'); name a token it has, or give the id"
                + (key.equals(UNK_TOKEN) ? " with '" + UNK_ID + "'" : ""));
      }
      return id;
    }
  }

  /**
   * Refuses an id setting that the vocabulary has no token for: the model would get an id beyond
   * its embedding table and fail inside its runtime, or read whatever row is there.
   *
   * @param vocabulary the vocabulary or tokenizer file, for the message
   * @param size the number of ids it has (0 to size - 1)
   */
  static void checkInVocabulary(String component, String key, int id, String vocabulary, int size) {
    if (id >= size) {
      throw new IllegalArgumentException(
          component
              + ": setting '"
              + key
              + "' is "
              + id
              + ", beyond "
              + vocabulary
              + " of "
              + size
              + " ids (0 to "
              + (size - 1)
              + ")");
    }
  }

  private static String tensorName(PluginConfig config, String key, String dflt) {
    String n = config.getString(key, dflt);
    if (n.isBlank()) {
      throw new IllegalArgumentException(config.component() + ": setting '" + key + "' is blank");
    }
    return n;
  }
}
