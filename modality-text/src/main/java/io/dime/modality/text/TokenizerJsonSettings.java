package io.dime.modality.text;

import static io.dime.modality.text.TextModality.CLS_TOKEN;
import static io.dime.modality.text.TextModality.LOWERCASE;
import static io.dime.modality.text.TextModality.MASK_TOKEN;
import static io.dime.modality.text.TextModality.MAX_LENGTH;
import static io.dime.modality.text.TextModality.PAD_ID;
import static io.dime.modality.text.TextModality.SEP_TOKEN;
import static io.dime.modality.text.TextModality.STRIP_ACCENTS;
import static io.dime.modality.text.TextModality.TOKENIZER;
import static io.dime.modality.text.TextModality.UNK_ID;
import static io.dime.modality.text.TextModality.UNK_TOKEN;
import static io.dime.modality.text.TextModality.VOCAB;

import io.dime.modality.text.hf.TokenizerJson;
import io.dime.spi.PluginConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of the {@code tokenizer-json} encoder: the Hugging Face tokenizer.json read, and the
 * length, pad id and mask token resolved against it. The file defines the vocabulary, the
 * normalisation (lower case, accents) and the special tokens, so the settings for those of the
 * other encoders are refused here.
 */
final class TokenizerJsonSettings {
  /** Settings of the other encoders that the tokenizer file settles. */
  static final List<String> NOT_HERE =
      List.of(VOCAB, LOWERCASE, STRIP_ACCENTS, UNK_TOKEN, UNK_ID, CLS_TOKEN, SEP_TOKEN);

  /** Mask tokens looked for among the file's added tokens, in this order. */
  static final List<String> MASK_TOKENS = List.of("[MASK]", "<mask>");

  /** Pad tokens looked for among the file's added tokens when it has no padding section. */
  static final List<String> PAD_TOKENS = List.of("[PAD]", "<pad>");

  final TokenizerJson tokenizer;
  final String location;
  final String sha256;
  final int maxLength;
  final int padId;
  final String padFrom;
  final Optional<String> maskToken;

  private TokenizerJsonSettings(
      TokenizerJson tokenizer,
      String location,
      String sha256,
      int maxLength,
      int padId,
      String padFrom,
      Optional<String> maskToken) {
    this.tokenizer = tokenizer;
    this.location = location;
    this.sha256 = sha256;
    this.maxLength = maxLength;
    this.padId = padId;
    this.padFrom = padFrom;
    this.maskToken = maskToken;
  }

  /**
   * Reads the file the {@code tokenizer} setting names.
   *
   * @param mask whether hidden words are replaced by a mask token (which must then be known)
   * @throws IllegalArgumentException for a missing, unreadable, malformed or unsupported file, a
   *     setting that does not apply, or a bad length; the message names the setting or the file
   */
  static TokenizerJsonSettings read(PluginConfig config, Path base, boolean mask) {
    String component = config.component();
    for (String key : NOT_HERE) {
      if (config.get(key).isPresent()) {
        throw new IllegalArgumentException(
            component
                + ": setting '"
                + key
                + "' does not apply to encoder 'tokenizer-json' (the tokenizer file defines it)");
      }
    }
    String location =
        Optional.ofNullable(config.getString(TOKENIZER, null))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        component
                            + ": setting '"
                            + TOKENIZER
                            + "' is required for encoder 'tokenizer-json': a Hugging Face"
                            + " tokenizer.json file or classpath:NAME"));
    Vocabulary.Source file =
        Vocabulary.readSource(
            location, base, component + ": setting '" + TOKENIZER + "'", "tokenizer file");
    TokenizerJson tokenizer = TokenizerJson.parse(file.bytes(), file.source());
    int specials = tokenizer.prefix().size() + tokenizer.suffix().size();
    int maxLength = maxLength(config, tokenizer, specials);
    int padId;
    String padFrom;
    Optional<String> padToken = tokenizer.addedToken(PAD_TOKENS);
    if (config.get(PAD_ID).isPresent()) {
      padId = config.getInt(PAD_ID, 0);
      padFrom = "setting";
      if (padId < 0) {
        throw new IllegalArgumentException(
            component + ": setting '" + PAD_ID + "' is " + padId + "; ids are not negative");
      }
      TextSettings.checkInVocabulary(
          component,
          PAD_ID,
          padId,
          "tokenizer file '" + file.source() + "'",
          tokenizer.vocabularySize());
    } else if (tokenizer.paddingId().isPresent()) {
      padId = tokenizer.paddingId().getAsInt();
      padFrom = "padding section";
    } else if (padToken.isPresent()) {
      padId = tokenizer.tokenId(padToken.get()).getAsInt();
      padFrom = padToken.get();
    } else {
      padId = 0;
      padFrom = "default (the file names no pad token; attention_mask marks padding)";
    }
    Optional<String> maskToken =
        config.get(MASK_TOKEN).isPresent()
            ? Optional.of(config.getString(MASK_TOKEN, ""))
            : tokenizer.addedToken(MASK_TOKENS);
    if (mask && maskToken.isEmpty()) {
      throw new IllegalArgumentException(
          component
              + ": tokenizer file '"
              + file.source()
              + "' has no mask token ("
              + String.join(", ", MASK_TOKENS)
              + "); set '"
              + MASK_TOKEN
              + "', or use perturber 'remove'");
    }
    return new TokenizerJsonSettings(
        tokenizer, location, file.sha256(), maxLength, padId, padFrom, maskToken);
  }

  private static int maxLength(PluginConfig config, TokenizerJson tokenizer, int specials) {
    int dflt = tokenizer.maxLength().orElse(128);
    int maxLength = config.getInt(MAX_LENGTH, dflt);
    int min = specials + 1;
    if (maxLength < min || maxLength > (1 << 20)) {
      throw new IllegalArgumentException(
          config.component()
              + ": setting '"
              + MAX_LENGTH
              + "' is "
              + maxLength
              + "; expected "
              + min
              + " to "
              + (1 << 20)
              + " (the tokenizer adds "
              + specials
              + " special tokens)");
    }
    return maxLength;
  }

  /** What the provenance records of the file. */
  Map<String, Object> provenance() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("tokenizerSource", tokenizer.source());
    p.put("tokenizerSha256", sha256);
    p.put("tokenizerComponents", tokenizer.describe());
    p.put("specialTokensBefore", tokenizer.prefix().size());
    p.put("specialTokensAfter", tokenizer.suffix().size());
    p.put("padFrom", padFrom);
    return p;
  }
}
