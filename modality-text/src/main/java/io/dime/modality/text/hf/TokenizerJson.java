package io.dime.modality.text.hf;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

/**
 * A Hugging Face {@code tokenizer.json} read in Java: added tokens, normalizer, pre-tokenizer,
 * model and post-processor, each one of the kinds listed in {@link #SUPPORTED}; anything else is
 * refused with a {@link TokenizerFileException} that names the file and the component. Encoding
 * gives the ids of one text with, for each token, the range of the input characters it covers.
 * Immutable and thread-safe.
 */
public final class TokenizerJson {
  /** The component kinds this reader supports, by section. */
  public static final Map<String, List<String>> SUPPORTED =
      Map.of(
          "normalizer", Normalizers.SUPPORTED,
          "pre_tokenizer", PreTokenizers.SUPPORTED,
          "model", Models.SUPPORTED,
          "post_processor", PostProcessor.SUPPORTED);

  /**
   * The tokens of one text, without the post-processor's special tokens. Token i has id {@code
   * ids[i]} and covers the input characters {@code [begins[i], ends[i])} (UTF-16 offsets; an added
   * token's range includes the whitespace it strips); {@code added[i]} is true for an added token.
   */
  public record Encoding(int[] ids, int[] begins, int[] ends, boolean[] added) {
    public int size() {
      return ids.length;
    }
  }

  private final String source;
  private final AddedTokens addedTokens;
  private final UnaryOperator<Aligned> normalizer;
  private final UnaryOperator<List<Aligned>> preTokenizer;
  private final Models.Model model;
  private final PostProcessor postProcessor;
  private final JsonNode root;

  private TokenizerJson(String source, JsonNode root) {
    this.source = source;
    this.root = root;
    Spec spec = new Spec(source);
    this.addedTokens = new AddedTokens(root.get("added_tokens"), spec);
    this.normalizer = Normalizers.of(root.get("normalizer"), spec);
    this.preTokenizer = PreTokenizers.of(root.get("pre_tokenizer"), spec);
    this.model = Models.of(root.get("model"), spec);
    int size = vocabularySize();
    this.postProcessor = new PostProcessor(root.get("post_processor"), spec, size);
    JsonNode padding = root.get("padding");
    if (padding != null && padding.hasNonNull("pad_id")) {
      spec.id(padding.get("pad_id"), "padding.pad_id", size, "the file's " + size + " ids");
    }
  }

  /**
   * Reads a tokenizer.json.
   *
   * @param bytes the file's contents (UTF-8 JSON)
   * @param source the file's name, for messages
   * @throws TokenizerFileException when it is not JSON, is malformed or uses an unsupported
   *     component; the message names {@code source}
   */
  public static TokenizerJson parse(byte[] bytes, String source) {
    requireNonNull(bytes, "bytes is null");
    requireNonNull(source, "source is null");
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new TokenizerFileException(
          "tokenizer file '" + source + "' is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new TokenizerFileException("cannot read tokenizer file '" + source + "': " + e, e);
    }
    if (root == null || !root.isObject()) {
      throw new TokenizerFileException("tokenizer file '" + source + "' is not a JSON object");
    }
    return new TokenizerJson(source, root);
  }

  /** Where it was read from. */
  public String source() {
    return source;
  }

  /** The model's kind: WordPiece, BPE, Unigram or WordLevel. */
  public String modelType() {
    return model.type();
  }

  /** The id of a token: an added token's content or a vocabulary entry. */
  public OptionalInt tokenId(String token) {
    int id = addedTokens.id(token);
    if (id < 0) {
      id = model.id(token);
    }
    return id < 0 ? OptionalInt.empty() : OptionalInt.of(id);
  }

  /** The content of the first added token among {@code candidates}, in their order. */
  public Optional<String> addedToken(List<String> candidates) {
    for (String c : candidates) {
      if (addedTokens.id(c) >= 0) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The pad id of the file's {@code padding} section (one of its ids), if it has one. */
  public OptionalInt paddingId() {
    JsonNode p = root.get("padding");
    return p != null && p.hasNonNull("pad_id")
        ? OptionalInt.of(p.get("pad_id").asInt())
        : OptionalInt.empty();
  }

  /** The length of the file's {@code truncation} (or fixed {@code padding}) section, if any. */
  public OptionalInt maxLength() {
    JsonNode t = root.get("truncation");
    if (t != null && t.hasNonNull("max_length")) {
      return OptionalInt.of(t.get("max_length").asInt());
    }
    JsonNode p = root.get("padding");
    JsonNode fixed = p == null ? null : p.path("strategy").get("Fixed");
    return fixed != null && fixed.canConvertToInt()
        ? OptionalInt.of(fixed.asInt())
        : OptionalInt.empty();
  }

  /** Special tokens the post-processor puts before the text: ids and type ids. */
  public List<int[]> prefix() {
    return postProcessor.prefix();
  }

  /** Special tokens the post-processor puts after the text: ids and type ids. */
  public List<int[]> suffix() {
    return postProcessor.suffix();
  }

  /** The type id of the text's own tokens. */
  public int sequenceTypeId() {
    return postProcessor.sequenceTypeId();
  }

  /**
   * The number of ids the file defines: one more than the largest id of its vocabulary and its
   * added tokens (the size of the model's embedding table that it was made for, at least).
   */
  public int vocabularySize() {
    int size = model.size();
    for (AddedTokens.Token t : addedTokens.all()) {
      size = Math.max(size, t.id() + 1);
    }
    return size;
  }

  /** Encodes {@code text} (the post-processor's tokens left out). */
  public Encoding encode(String text) {
    requireNonNull(text, "text is null");
    IntList ids = new IntList();
    IntList begins = new IntList();
    IntList ends = new IntList();
    List<Boolean> added = new ArrayList<>();
    int at = 0;
    for (AddedTokens.Match m : addedTokens.find(text)) {
      encodeSegment(text.substring(at, m.begin()), at, ids, begins, ends, added);
      ids.add(m.token().id());
      begins.add(m.begin());
      ends.add(m.end());
      added.add(true);
      at = m.end();
    }
    encodeSegment(text.substring(at), at, ids, begins, ends, added);
    boolean[] a = new boolean[added.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = added.get(i);
    }
    return new Encoding(ids.toArray(), begins.toArray(), ends.toArray(), a);
  }

  private void encodeSegment(
      String segment, int offset, IntList ids, IntList begins, IntList ends, List<Boolean> added) {
    if (segment.isEmpty()) {
      return;
    }
    Aligned normalized = normalizer.apply(Aligned.of(segment, offset));
    if (normalized.isEmpty()) {
      return;
    }
    for (Aligned piece : preTokenizer.apply(List.of(normalized))) {
      model.tokenize(
          piece.text,
          (id, b, e) -> {
            ids.add(id);
            begins.add(piece.originalBegin(b, e));
            ends.add(piece.originalEnd(b, e));
            added.add(false);
          });
    }
  }

  /** A growable int array. */
  private static final class IntList {
    private int[] a = new int[16];
    private int n;

    void add(int v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    int[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }

  /** Every top-level section's kind, for provenance. */
  public Map<String, Object> describe() {
    Map<String, Object> d = new LinkedHashMap<>();
    for (String section : List.of("normalizer", "pre_tokenizer", "post_processor")) {
      d.put(section, kinds(root.get(section)));
    }
    d.put("model", model.type());
    d.put("addedTokens", addedTokens.all().size());
    return d;
  }

  private static String kinds(JsonNode node) {
    if (node == null || node.isNull()) {
      return "none";
    }
    String type = node.path("type").asText("?");
    List<String> inner = new ArrayList<>();
    for (String f : List.of("normalizers", "pretokenizers", "processors")) {
      if (node.has(f)) {
        for (Iterator<JsonNode> it = node.get(f).elements(); it.hasNext(); ) {
          inner.add(kinds(it.next()));
        }
      }
    }
    return inner.isEmpty() ? type : type + inner;
  }
}
