package io.dime.modality.text;

import static java.util.Objects.requireNonNull;

import io.dime.api.InputException;
import io.dime.spi.Encoder;
import io.dime.spi.FeatureSet;
import io.dime.spi.JsonValues;
import io.dime.spi.Modality;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import io.dime.spi.ReadContext;
import io.dime.spi.SamplingHints;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The {@code text} modality: a string from the manifest, split by the Stanford CoreNLP tokenizer
 * into words (the default) or sentences, with character offsets kept; hidden features are removed
 * or replaced by a mask string; the text is encoded with a word vocabulary, BERT's WordPiece or a
 * Hugging Face tokenizer.json into INT64 tensors of a fixed length. Feature names are the feature's
 * text, {@code @}, and its offset in code points, as the feature map's spans count it (what
 * Python's {@code str} indexes; it differs from the UTF-16 index only after a character outside the
 * BMP, such as an emoji): {@code man@12}.
 *
 * <p>Settings (all optional but {@code vocab}, or {@code tokenizer} for {@code tokenizer-json}, or
 * neither for {@code string}):
 *
 * <ul>
 *   <li>{@code features}: {@code words} (default) or {@code sentences}. Words are CoreNLP's English
 *       tokens, split at spaces and punctuation: a run of Chinese, Japanese or Thai characters with
 *       neither is one word.
 *   <li>{@code perturber}: {@code remove} (default) or {@code mask}; {@code maskToken}: the mask
 *       string, {@code [MASK]} by default, which the vocabulary of {@code vocab} or {@code
 *       wordpiece} must hold (else every hidden word would be the unknown id: refused). The exact
 *       rules are on {@link TextFeatures}: removal keeps the original characters and spacing of the
 *       kept words, and the full mask gives the input back exactly.
 *   <li>{@code encoder}: {@code wordpiece} (default; BERT-style {@code vocab.txt}), {@code vocab}
 *       (one id per word), see {@link TextEncoder}; or {@code tokenizer-json}: a Hugging Face
 *       {@code tokenizer.json} named by {@code tokenizer} (resolved like {@code vocab}), which then
 *       defines the vocabulary, normalisation, special tokens, mask token, pad id and default
 *       {@code maxLength}; see {@link TokenizerJsonEncoder}; or {@code string}: the text itself,
 *       for a model whose input is a string (a scikit-learn TF-IDF pipeline), which does its own
 *       tokenizing (see {@link StringEncoder}): it takes {@code features}, {@code perturber},
 *       {@code maskToken}, {@code maxLength} (the longest text fed, in characters, {@value
 *       TextSettings#STRING_MAX_LENGTH} by default; with perturber {@code mask}, a text whose
 *       masked form can be longer fails when featurized), {@code maxChars} and {@code inputName}
 *       (the model input, {@code text} by default), and no vocabulary.
 *   <li>{@code vocab} (required): the vocabulary file, one token per line, id = line number from 0;
 *       a relative path resolves against {@code baseDirectory} (the pipeline file's directory, set
 *       by whoever reads the pipeline; default the working directory); {@code classpath:NAME} reads
 *       a class-path resource.
 *   <li>{@code maxLength}: tensor length, 128 by default (at least 2 for WordPiece; for {@code
 *       tokenizer-json} the file's truncation length when it has one, and room for its special
 *       tokens and one more).
 *   <li>{@code maxChars}: the longest text a record may hold, 100000 characters (code points: an
 *       emoji is one) by default; a longer one is an input error for its record, never cut.
 *   <li>{@code lowercase}: lower-case words before lookup, true by default; {@code stripAccents}:
 *       remove accents (NFD, combining marks dropped), by default as {@code lowercase} (BERT
 *       uncased does both).
 *   <li>{@code unkToken} ({@code [UNK]}) or {@code unkId}: the id of unknown words and pieces;
 *       {@code padId}: padding id, by default the id of {@code [PAD]} for WordPiece, 0 for {@code
 *       vocab}, and the file's pad id for {@code tokenizer-json}. An id the vocabulary (or the
 *       tokenizer file) has no token for is refused.
 *   <li>WordPiece only: {@code clsToken} ({@code [CLS]}), {@code sepToken} ({@code [SEP]}).
 *   <li>WordPiece and tokenizer-json: {@code tokenTypeIds} (false; when true a {@code
 *       token_type_ids} tensor is added: zeros for WordPiece, the template's type ids for
 *       tokenizer-json), {@code tokenTypeIdsName}.
 *   <li>{@code attentionMask} (true): whether to produce the {@code attention_mask} tensor; {@code
 *       inputIdsName}, {@code attentionMaskName}: tensor names, to match the model's inputs.
 *   <li>{@code positionIds} (false): whether to produce a {@code position_ids} tensor, 0 to
 *       maxLength - 1 in every row (for a model exported with position ids as an input); {@code
 *       positionIdsName}: its name.
 *   <li>{@code baseDirectory}: see {@code vocab}.
 * </ul>
 *
 * <p>The parts: {@link TextSettings} parses the settings, {@link TextFeatures} splits and hides,
 * {@link TextEncoder} encodes and {@link TokenView} draws the view.
 */
public final class TextModality implements Modality<String> {
  public static final String FEATURES = "features";
  public static final String PERTURBER = "perturber";
  public static final String MASK_TOKEN = "maskToken";
  public static final String ENCODER = "encoder";
  public static final String VOCAB = "vocab";

  /** The tokenizer.json file of encoder {@code tokenizer-json}. */
  public static final String TOKENIZER = "tokenizer";

  public static final String BASE_DIRECTORY = "baseDirectory";
  public static final String MAX_LENGTH = "maxLength";

  /**
   * The longest text a record may hold, in characters counted as code points, so that a character
   * outside the BMP (an emoji) counts once (default {@value #DEFAULT_MAX_CHARS}).
   */
  public static final String MAX_CHARS = "maxChars";

  /** The default of {@link #MAX_CHARS}: a long article; a book is an input error. */
  public static final int DEFAULT_MAX_CHARS = 100_000;

  public static final String LOWERCASE = "lowercase";
  public static final String STRIP_ACCENTS = "stripAccents";
  public static final String UNK_TOKEN = "unkToken";
  public static final String UNK_ID = "unkId";
  public static final String PAD_ID = "padId";
  public static final String CLS_TOKEN = "clsToken";
  public static final String SEP_TOKEN = "sepToken";
  public static final String ATTENTION_MASK = "attentionMask";
  public static final String TOKEN_TYPE_IDS = "tokenTypeIds";
  public static final String INPUT_IDS_NAME = "inputIdsName";
  public static final String ATTENTION_MASK_NAME = "attentionMaskName";
  public static final String TOKEN_TYPE_IDS_NAME = "tokenTypeIdsName";
  public static final String POSITION_IDS = "positionIds";
  public static final String POSITION_IDS_NAME = "positionIdsName";

  /** The model input of encoder {@code string} (default {@code text}). */
  public static final String INPUT_NAME = "inputName";

  /** Every setting this modality knows. */
  public static final Set<String> SETTINGS =
      Set.of(
          FEATURES,
          PERTURBER,
          MASK_TOKEN,
          ENCODER,
          VOCAB,
          TOKENIZER,
          BASE_DIRECTORY,
          MAX_LENGTH,
          MAX_CHARS,
          LOWERCASE,
          STRIP_ACCENTS,
          UNK_TOKEN,
          UNK_ID,
          PAD_ID,
          CLS_TOKEN,
          SEP_TOKEN,
          ATTENTION_MASK,
          TOKEN_TYPE_IDS,
          INPUT_IDS_NAME,
          ATTENTION_MASK_NAME,
          TOKEN_TYPE_IDS_NAME,
          POSITION_IDS,
          POSITION_IDS_NAME,
          INPUT_NAME);

  /** Top features listed in a view when {@link ViewOptions#topN()} is 0. */
  public static final int DEFAULT_TOP_N = 10;

  private static final int NAME_CHARS = 30;

  private final String name;
  private final TextSettings settings;
  private final CoreNlpTokenizer tokenizer;
  private final Encoder<String> encoder;

  /**
   * Creates a text modality.
   *
   * @param name the modality's name (and manifest field)
   * @param config the settings above; unknown ones are rejected
   * @throws IllegalArgumentException for a bad setting or an unreadable vocabulary, naming it
   */
  public TextModality(String name, PluginConfig config) {
    this.name = requireNonNull(name, "name is null");
    requireNonNull(config, "config is null");
    this.settings = new TextSettings(config);
    this.tokenizer = new CoreNlpTokenizer();
    this.encoder =
        settings.raw
            ? new StringEncoder(settings.inputIdsName, settings.maxLength)
            : settings.hf == null
                ? new TextEncoder(tokenizer, settings.encoderSpec())
                : new TokenizerJsonEncoder(settings.hf.tokenizer, settings.encoderSpec());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return TextModalityFactory.NAME;
  }

  @Override
  public Class<String> valueType() {
    return String.class;
  }

  /**
   * Reads a manifest string.
   *
   * @throws InputException for a field that is not a string, or an empty or blank text
   */
  @Override
  public String read(Object field, ReadContext context) {
    requireNonNull(context, "context is null");
    if (!(field instanceof String)) {
      throw new InputException(
          context.recordId(),
          "modality '" + name + "' expects a string, found " + JsonValues.describe(field));
    }
    return check(field, context.recordId());
  }

  @Override
  public String check(Object value, String recordId) {
    if (!(value instanceof String s)) {
      throw new InputException(
          recordId,
          "modality '"
              + name
              + "' expects a String, found "
              + (value == null ? "null" : value.getClass().getSimpleName()));
    }
    if (s.isBlank()) {
      throw new InputException(
          recordId,
          "modality '" + name + "' has empty text" + (s.isEmpty() ? "" : " (only whitespace)"));
    }
    // characters are code points, as a user (and Python) counts them: an emoji is one, not two
    int chars = s.length() > settings.maxChars ? s.codePointCount(0, s.length()) : s.length();
    if (chars > settings.maxChars) {
      throw new InputException(
          recordId,
          "modality '"
              + name
              + "' has a text of "
              + chars
              + " characters; the most is "
              + settings.maxChars
              + " (setting "
              + MAX_CHARS
              + ")");
    }
    if (settings.raw && s.length() > settings.maxLength) {
      throw new InputException(
          recordId,
          "modality '" + name + "': " + StringEncoder.tooLong(s.length(), settings.maxLength));
    }
    return s;
  }

  /**
   * Splits a text into words or sentences. A mask string (perturber {@code mask}) or an added token
   * of the tokenizer.json written in the text is one feature, since the encoder reads it as one
   * token. Features that the encoder's truncation to {@code maxLength} cuts from the whole text (or
   * that get no model token at all) are marked: they are never fed to the model as they stand, so
   * their weights only say what happens when hiding earlier words shifts them into the input. The
   * view leaves them uncoloured and out of the top list ({@link #view}).
   *
   * @throws InputException when CoreNLP finds no word in it, or the encoder gives none of its words
   *     a token (every character dropped by its normalisation: combining marks that accent
   *     stripping removes, a soft hyphen)
   */
  @Override
  public FeatureSet<String> featurize(String value, PoolStatistics pool, SplittableRandom rng) {
    requireNonNull(value, "value is null");
    boolean words = settings.unit.equals("words");
    List<Span> spans = words ? tokenizer.words(value) : tokenizer.segment(value).sentences();
    spans = Span.merge(value, spans, units(value));
    if (spans.isEmpty()) {
      throw new InputException(
          null, "modality '" + name + "' has no words in text '" + abbreviate(value, 40) + "'");
    }
    List<String> names = new ArrayList<>(spans.size());
    int charAt = 0;
    int codePointAt = 0;
    for (Span s : spans) {
      String text = words ? s.text() : abbreviate(s.text().replaceAll("\\s+", " "), NAME_CHARS);
      codePointAt += value.codePointCount(charAt, s.begin());
      charAt = s.begin();
      names.add(text + "@" + codePointAt);
    }
    if (settings.raw && settings.mask) {
      checkMaskedLength(value, spans);
    }
    int reach = reach(value);
    int inModel = 0;
    while (inModel < spans.size() && spans.get(inModel).begin() < reach) {
      inModel++;
    }
    if (inModel == 0) { // the normalisation dropped every character: the model reads nothing of it
      int n = spans.size();
      throw new InputException(
          null,
          "modality '"
              + name
              + "': the encoder gives none of the "
              + n
              + " "
              + (n == 1 ? settings.unit.substring(0, settings.unit.length() - 1) : settings.unit)
              + " of text '"
              + abbreviate(value, 40)
              + "' a token, so the model reads nothing of it");
    }
    return new TextFeatures(
        value,
        settings.unit,
        spans,
        names,
        settings.mask ? settings.maskToken : null,
        inModel,
        settings.hf == null);
  }

  /**
   * Refuses a text that encoder {@code string} could not feed once the mask string replaces its
   * shorter features (every model call hides all of them once, for the reference), rather than
   * failing in the middle of the explanation on a text longer than the record's own.
   */
  private void checkMaskedLength(String value, List<Span> spans) {
    String mask = settings.maskToken;
    // a mask string with a letter at an end may be written apart from a word, with a space
    int apart =
        (TextFeatures.wordChar(mask.codePointAt(0)) ? 1 : 0)
            + (TextFeatures.wordChar(mask.codePointBefore(mask.length())) ? 1 : 0);
    long longest = value.length();
    for (Span s : spans) {
      longest += Math.max(0, mask.length() + apart - (s.end() - s.begin()));
    }
    if (longest > settings.maxLength) {
      throw new InputException(
          null,
          "modality '"
              + name
              + "': a text of "
              + value.length()
              + " characters is up to "
              + longest
              + " with its features masked ('"
              + settings.maskToken
              + "'), longer than encoder 'string' feeds ("
              + settings.maxLength
              + ", setting '"
              + MAX_LENGTH
              + "'); raise it, or use perturber 'remove'");
    }
  }

  /**
   * The ranges the encoder reads as one token (a mask string or added token written in the text),
   * which must be one feature: hiding "MASK" of CoreNLP's "[" "MASK" "]" would break the token.
   */
  private List<int[]> units(String value) {
    if (encoder instanceof TextEncoder e) {
      return e.units(value);
    }
    if (encoder instanceof TokenizerJsonEncoder e) {
      return e.units(value);
    }
    return List.of();
  }

  /**
   * How far into the text the model input reaches: the encoder's truncation to {@code maxLength}
   * cuts every word that starts at or after it (the whole text for encoder {@code string}, which
   * refuses a text it would cut).
   */
  private int reach(String value) {
    if (encoder instanceof TextEncoder e) {
      return e.reach(value);
    }
    if (encoder instanceof TokenizerJsonEncoder e) {
      return e.reach(value);
    }
    return value.length();
  }

  @Override
  public Encoder<String> encoder() {
    return encoder;
  }

  /** The string: at most 2 bytes a char, and the object around them. */
  @Override
  public long valueBytes(String value) {
    return 40 + 2L * value.length();
  }

  /**
   * Text: a uniform number of hidden words, kernel width 25 on distance x 100 (as {@code lime}).
   */
  @Override
  public SamplingHints samplingHints() {
    return SamplingHints.TEXT;
  }

  /**
   * A {@code tokens} view: the text, every feature with its text, offsets, weight and shading
   * colour, the top features by absolute weight (the {@link ViewOptions#topN()} first, or {@link
   * #DEFAULT_TOP_N} when it is 0; zero weights are never listed), and the palette with its end
   * colours as hex. Colours run linearly from white (weight 0) to the end colour of the weight's
   * sign at the largest absolute weight. Plain data, never HTML: the report escapes the text.
   *
   * <p>A text longer than the model input: {@code featuresInModel} is the number of leading
   * features that reach the model when nothing is hidden (all of them unless {@code maxLength}
   * truncates); each later feature has {@code truncated: true}, the neutral colour, is never in the
   * top list and does not set {@code maxAbsWeight}, since the model never sees it as written.
   */
  @Override
  public View view(FeatureSet<String> features, double[] weights, ViewOptions options) {
    return TokenView.render(name, features, weights, options, DEFAULT_TOP_N);
  }

  /** {@code s} cut to {@code max} chars with "...", never between the two halves of a character. */
  static String abbreviate(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = max - 3;
    if (Character.isHighSurrogate(s.charAt(end - 1)) && Character.isLowSurrogate(s.charAt(end))) {
      end--;
    }
    return s.substring(0, end) + "...";
  }

  @Override
  public Map<String, Object> provenance() {
    return settings.provenance;
  }
}
