package io.dime.modality.text;

import static java.util.Objects.requireNonNull;

import io.dime.api.InputException;
import io.dime.spi.Encoder;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import io.dime.spi.ReadContext;
import io.dime.spi.SamplingHints;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The {@code text} modality: a string from the manifest, split by the Stanford CoreNLP tokenizer
 * into words (the default) or sentences, with character offsets kept; hidden features are removed
 * or replaced by a mask string; the text is encoded with a word vocabulary or BERT's WordPiece into
 * INT64 tensors of a fixed length. Feature names are the feature's text, {@code @}, and its
 * character offset: {@code man@12}.
 *
 * <p>Settings (all optional but {@code vocab}):
 *
 * <ul>
 *   <li>{@code features}: {@code words} (default) or {@code sentences}.
 *   <li>{@code perturber}: {@code remove} (default) or {@code mask}; {@code maskToken}: the mask
 *       string, {@code [MASK]} by default. The exact rules are on {@link TextFeatures}: removal
 *       keeps the original characters and spacing of the kept words, and the full mask gives the
 *       input back exactly.
 *   <li>{@code encoder}: {@code wordpiece} (default; BERT-style {@code vocab.txt}) or {@code vocab}
 *       (one id per word); see {@link TextEncoder}.
 *   <li>{@code vocab} (required): the vocabulary file, one token per line, id = line number from 0;
 *       a relative path resolves against {@code baseDirectory} (the pipeline file's directory, set
 *       by whoever reads the pipeline; default the working directory); {@code classpath:NAME} reads
 *       a class-path resource.
 *   <li>{@code maxLength}: tensor length, 128 by default (at least 2 for WordPiece).
 *   <li>{@code lowercase}: lower-case words before lookup, true by default; {@code stripAccents}:
 *       remove accents (NFD, combining marks dropped), by default as {@code lowercase} (BERT
 *       uncased does both).
 *   <li>{@code unkToken} ({@code [UNK]}) or {@code unkId}: the id of unknown words and pieces;
 *       {@code padId}: padding id, by default the id of {@code [PAD]} for WordPiece and 0 for
 *       {@code vocab}.
 *   <li>WordPiece only: {@code clsToken} ({@code [CLS]}), {@code sepToken} ({@code [SEP]}), {@code
 *       tokenTypeIds} (false; when true a {@code token_type_ids} tensor of zeros is added), {@code
 *       tokenTypeIdsName}.
 *   <li>{@code attentionMask} (true): whether to produce the {@code attention_mask} tensor; {@code
 *       inputIdsName}, {@code attentionMaskName}: tensor names, to match the model's inputs.
 *   <li>{@code baseDirectory}: see {@code vocab}.
 * </ul>
 */
public final class TextModality implements Modality<String> {
  public static final String FEATURES = "features";
  public static final String PERTURBER = "perturber";
  public static final String MASK_TOKEN = "maskToken";
  public static final String ENCODER = "encoder";
  public static final String VOCAB = "vocab";
  public static final String BASE_DIRECTORY = "baseDirectory";
  public static final String MAX_LENGTH = "maxLength";
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

  /** Every setting this modality knows. */
  public static final Set<String> SETTINGS =
      Set.of(
          FEATURES,
          PERTURBER,
          MASK_TOKEN,
          ENCODER,
          VOCAB,
          BASE_DIRECTORY,
          MAX_LENGTH,
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
          TOKEN_TYPE_IDS_NAME);

  private static final List<String> WORDPIECE_ONLY =
      List.of(CLS_TOKEN, SEP_TOKEN, TOKEN_TYPE_IDS, TOKEN_TYPE_IDS_NAME);

  /** Top features listed in a view when {@link ViewOptions#topN()} is 0. */
  public static final int DEFAULT_TOP_N = 10;

  /** The shared palettes of {@link io.dime.spi.Palette}. */
  static final String DIVERGING_POSITIVE = io.dime.spi.Palette.DIVERGING.positive();

  static final String DIVERGING_NEGATIVE = io.dime.spi.Palette.DIVERGING.negative();
  static final String GREEN = io.dime.spi.Palette.GREEN_RED.positive();
  static final String RED = io.dime.spi.Palette.GREEN_RED.negative();
  static final String NEUTRAL = io.dime.spi.Palette.DIVERGING.neutral();

  private static final int NAME_CHARS = 30;

  private final String name;
  private final String unit;
  private final String maskToken;
  private final boolean mask;
  private final CoreNlpTokenizer tokenizer;
  private final TextEncoder encoder;
  private final Map<String, Object> provenance;

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
    config.requireKnown(SETTINGS);
    String component = config.component();
    this.unit = config.getChoice(FEATURES, "words", Set.of("words", "sentences"));
    this.mask = config.getChoice(PERTURBER, "remove", Set.of("remove", "mask")).equals("mask");
    this.maskToken = config.getString(MASK_TOKEN, "[MASK]");
    if (maskToken.isBlank()) {
      throw new IllegalArgumentException(component + ": setting '" + MASK_TOKEN + "' is blank");
    }
    String kind = config.getChoice(ENCODER, "wordpiece", Set.of("wordpiece", "vocab"));
    boolean wordPiece = kind.equals("wordpiece");
    if (!wordPiece) {
      for (String key : WORDPIECE_ONLY) {
        if (config.get(key).isPresent()) {
          throw new IllegalArgumentException(
              component + ": setting '" + key + "' applies to encoder 'wordpiece' only");
        }
      }
    }
    String vocabLocation =
        config
            .get(VOCAB)
            .map(Object::toString)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        component
                            + ": setting '"
                            + VOCAB
                            + "' is required: a vocabulary file (one token per line, id = line"
                            + " number from 0) or classpath:NAME"));
    Path base = null;
    if (config.get(BASE_DIRECTORY).isPresent()) {
      try {
        base = Path.of(config.getString(BASE_DIRECTORY, "."));
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException(
            component + ": setting '" + BASE_DIRECTORY + "' is not a path: " + e.getMessage());
      }
    }
    Vocabulary vocab =
        Vocabulary.load(vocabLocation, base, component + ": setting '" + VOCAB + "'");
    int maxLength = config.getInt(MAX_LENGTH, 128);
    int minLength = wordPiece ? 2 : 1;
    if (maxLength < minLength || maxLength > (1 << 20)) {
      throw new IllegalArgumentException(
          component
              + ": setting '"
              + MAX_LENGTH
              + "' is "
              + maxLength
              + "; expected "
              + minLength
              + " to "
              + (1 << 20)
              + (wordPiece ? " (WordPiece needs room for [CLS] and [SEP])" : ""));
    }
    boolean lowercase = config.getBoolean(LOWERCASE, true);
    boolean stripAccents = config.getBoolean(STRIP_ACCENTS, lowercase);

    Ids ids = new Ids(component, vocab, config);
    if (config.get(UNK_ID).isPresent() && config.get(UNK_TOKEN).isPresent()) {
      throw new IllegalArgumentException(
          component + ": set '" + UNK_TOKEN + "' or '" + UNK_ID + "', not both");
    }
    int unkId =
        config.get(UNK_ID).isPresent() ? ids.explicit(UNK_ID) : ids.token(UNK_TOKEN, "[UNK]");
    int padId =
        config.get(PAD_ID).isPresent()
            ? ids.explicit(PAD_ID)
            : wordPiece ? ids.lookup("[PAD]", PAD_ID) : 0;
    int clsId = wordPiece ? ids.token(CLS_TOKEN, "[CLS]") : -1;
    int sepId = wordPiece ? ids.token(SEP_TOKEN, "[SEP]") : -1;
    boolean attentionMask = config.getBoolean(ATTENTION_MASK, true);
    boolean tokenTypeIds = wordPiece && config.getBoolean(TOKEN_TYPE_IDS, false);
    String inputIdsName = tensorName(config, INPUT_IDS_NAME, "input_ids");
    String attentionMaskName = tensorName(config, ATTENTION_MASK_NAME, "attention_mask");
    String tokenTypeIdsName = tensorName(config, TOKEN_TYPE_IDS_NAME, "token_type_ids");
    List<String> tensorNames = new ArrayList<>(List.of(inputIdsName));
    if (attentionMask) {
      tensorNames.add(attentionMaskName);
    }
    if (tokenTypeIds) {
      tensorNames.add(tokenTypeIdsName);
    }
    if (new HashSet<>(tensorNames).size() != tensorNames.size()) {
      throw new IllegalArgumentException(component + ": tensor names repeat: " + tensorNames);
    }

    this.tokenizer = new CoreNlpTokenizer();
    this.encoder =
        new TextEncoder(
            tokenizer,
            new TextEncoder.Spec(
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
                mask ? maskToken : null));

    Map<String, Object> p = new LinkedHashMap<>();
    p.put(FEATURES, unit);
    p.put(PERTURBER, mask ? "mask" : "remove");
    p.put(MASK_TOKEN, maskToken);
    p.put(ENCODER, kind);
    p.put(VOCAB, vocabLocation);
    if (base != null) {
      p.put(BASE_DIRECTORY, base.toString());
    }
    p.put("vocabSource", vocab.source());
    p.put("vocabSha256", vocab.sha256());
    p.put("vocabSize", vocab.size());
    p.put(MAX_LENGTH, maxLength);
    p.put(LOWERCASE, lowercase);
    p.put(STRIP_ACCENTS, stripAccents);
    config.get(UNK_TOKEN).ifPresent(t -> p.put(UNK_TOKEN, t.toString()));
    if (config.get(UNK_ID).isEmpty() && config.get(UNK_TOKEN).isEmpty()) {
      p.put(UNK_TOKEN, "[UNK]");
    }
    p.put(UNK_ID, unkId);
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
    p.put(ATTENTION_MASK, attentionMask);
    p.put(INPUT_IDS_NAME, inputIdsName);
    p.put(ATTENTION_MASK_NAME, attentionMaskName);
    p.put("tokenizer", CoreNlpTokenizer.description());
    p.put("corenlpVersion", CoreNlpTokenizer.version());
    this.provenance = Collections.unmodifiableMap(p);
  }

  /** Resolves special-token settings against the vocabulary, with messages naming both. */
  private record Ids(String component, Vocabulary vocab, PluginConfig config) {
    int explicit(String key) {
      int id = config.getInt(key, 0);
      if (id < 0) {
        throw new IllegalArgumentException(
            component + ": setting '" + key + "' is " + id + "; ids are not negative");
      }
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

  private static String tensorName(PluginConfig config, String key, String dflt) {
    String n = config.getString(key, dflt);
    if (n.isBlank()) {
      throw new IllegalArgumentException(config.component() + ": setting '" + key + "' is blank");
    }
    return n;
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
          context.recordId(), "modality '" + name + "' expects a string, found " + describe(field));
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
    return s;
  }

  private static String describe(Object o) {
    return o == null ? "null" : o.getClass().getSimpleName() + " " + abbreviate(o.toString(), 40);
  }

  /**
   * Splits a text into words or sentences.
   *
   * @throws InputException when CoreNLP finds no word in it
   */
  @Override
  public FeatureSet<String> featurize(String value, PoolStatistics pool, SplittableRandom rng) {
    requireNonNull(value, "value is null");
    List<Span> spans =
        unit.equals("words") ? tokenizer.words(value) : tokenizer.segment(value).sentences();
    if (spans.isEmpty()) {
      throw new InputException(
          null, "modality '" + name + "' has no words in text '" + abbreviate(value, 40) + "'");
    }
    List<String> names = new ArrayList<>(spans.size());
    for (Span s : spans) {
      String text =
          unit.equals("words")
              ? s.text()
              : abbreviate(s.text().replaceAll("\\s+", " "), NAME_CHARS);
      names.add(text + "@" + s.begin());
    }
    return new TextFeatures(value, unit, spans, names, mask ? maskToken : null);
  }

  @Override
  public Encoder<String> encoder() {
    return encoder;
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
   */
  @Override
  public View view(FeatureSet<String> features, double[] weights, ViewOptions options) {
    requireNonNull(features, "features is null");
    requireNonNull(weights, "weights is null");
    requireNonNull(options, "options is null");
    if (!(features instanceof TextFeatures fs)) {
      throw new IllegalArgumentException(
          "modality '" + name + "': features were not made by a text modality");
    }
    int d = fs.size();
    if (weights.length != d) {
      throw new IllegalArgumentException(
          "modality '" + name + "': " + weights.length + " weights for " + d + " features");
    }
    String palette =
        options.palette() == null ? "diverging" : options.palette().toLowerCase(Locale.ROOT);
    String positive;
    String negative;
    switch (palette) {
      case "diverging" -> {
        positive = DIVERGING_POSITIVE;
        negative = DIVERGING_NEGATIVE;
      }
      case "green_red" -> {
        positive = GREEN;
        negative = RED;
      }
      default ->
          throw new IllegalArgumentException(
              "modality '"
                  + name
                  + "': palette '"
                  + options.palette()
                  + "'; available: [diverging, green_red]");
    }
    double max = 0;
    for (double w : weights) {
      if (Double.isFinite(w)) {
        max = Math.max(max, Math.abs(w));
      }
    }
    int topN = options.topN() > 0 ? options.topN() : DEFAULT_TOP_N;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < d; i++) {
      if (Double.isFinite(weights[i]) && weights[i] != 0) {
        order.add(i);
      }
    }
    order.sort(
        Comparator.comparingDouble((Integer i) -> -Math.abs(weights[i])).thenComparingInt(i -> i));
    List<Integer> top = order.subList(0, Math.min(topN, order.size()));
    Set<Integer> inTop = new HashSet<>(top);

    List<Map<String, Object>> all = new ArrayList<>(d);
    for (int i = 0; i < d; i++) {
      Map<String, Object> f = feature(fs, i, weights[i]);
      f.put("colour", colour(weights[i], max, positive, negative));
      f.put("top", inTop.contains(i));
      all.add(f);
    }
    List<Map<String, Object>> topList = new ArrayList<>(top.size());
    for (int i : top) {
      topList.add(feature(fs, i, weights[i]));
    }
    Map<String, Object> data = new LinkedHashMap<>();
    if (options.title() != null) {
      data.put("title", options.title());
    }
    data.put("text", fs.value());
    data.put("unit", fs.unit());
    data.put("palette", palette);
    data.put("positiveColour", positive);
    data.put("negativeColour", negative);
    data.put("neutralColour", NEUTRAL);
    data.put("maxAbsWeight", max);
    data.put("topN", topN);
    data.put("features", all);
    data.put("top", topList);
    return new View("tokens", data);
  }

  private static Map<String, Object> feature(TextFeatures fs, int i, double weight) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("index", i);
    f.put("name", fs.names().get(i));
    f.put("text", fs.text(i));
    f.put("begin", fs.begin(i));
    f.put("end", fs.end(i));
    f.put("weight", weight);
    return f;
  }

  /** White blended towards the end colour of the weight's sign by |weight| / max. */
  static String colour(double weight, double max, String positive, String negative) {
    if (!(max > 0) || !Double.isFinite(weight) || weight == 0) {
      return NEUTRAL;
    }
    String end = weight > 0 ? positive : negative;
    double t = Math.min(1, Math.abs(weight) / max);
    StringBuilder out = new StringBuilder("#");
    for (int c = 0; c < 3; c++) {
      int v = Integer.parseInt(end.substring(1 + 2 * c, 3 + 2 * c), 16);
      int blended = (int) Math.round(255 + (v - 255) * t);
      out.append(String.format(Locale.ROOT, "%02X", blended));
    }
    return out.toString();
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }

  @Override
  public Map<String, Object> provenance() {
    return provenance;
  }
}
