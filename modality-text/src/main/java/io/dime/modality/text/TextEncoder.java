package io.dime.modality.text;

import static java.util.Objects.requireNonNull;

import io.dime.api.ElementType;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.Encoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes a text into INT64 tensors of one fixed length: {@code input_ids}, then optionally {@code
 * attention_mask} (1 for a real token, 0 for padding) and, for WordPiece, {@code token_type_ids}
 * (all 0: one segment). The text is split into CoreNLP words; the never-split token (the mask
 * string of the {@code mask} perturber) maps straight to that token's id wherever it is written,
 * except where it would run on into a word: an end of it that is a letter, digit or combining mark
 * never touches another one ("is" is not found in "his"; "[MASK]" is found in "the[MASK]man").
 *
 * <ul>
 *   <li>{@code vocab}: each word (normalised) is looked up whole; unknown words get the unknown id;
 *       truncated to {@code maxLength} words (the first ones kept), padded with the pad id.
 *   <li>{@code wordpiece}: {@code [CLS]}, the WordPiece ids of each word (after BERT's basic split
 *       inside the word), {@code [SEP]}, padding; truncated to {@code maxLength - 2} pieces (the
 *       first ones kept), so {@code [SEP]} is always present. Since pieces come from CoreNLP words,
 *       a hidden word hides all its pieces.
 * </ul>
 */
final class TextEncoder implements Encoder<String> {
  /** The settings of an encoder, resolved against the vocabulary (null for tokenizer-json). */
  record Spec(
      boolean wordPiece,
      Vocabulary vocab,
      int maxLength,
      boolean lowercase,
      boolean stripAccents,
      int padId,
      int unkId,
      int clsId,
      int sepId,
      boolean attentionMask,
      boolean tokenTypeIds,
      String inputIdsName,
      String attentionMaskName,
      String tokenTypeIdsName,
      String positionIdsName,
      String neverSplit) {
    Spec {
      requireNonNull(inputIdsName, "inputIdsName is null");
      requireNonNull(attentionMaskName, "attentionMaskName is null");
      requireNonNull(tokenTypeIdsName, "tokenTypeIdsName is null");
    }
  }

  private final CoreNlpTokenizer tokenizer;
  private final Spec spec;
  private final int specialId;
  private final List<TensorSpec> outputs;

  TextEncoder(CoreNlpTokenizer tokenizer, Spec spec) {
    this.tokenizer = requireNonNull(tokenizer, "tokenizer is null");
    this.spec = requireNonNull(spec, "spec is null");
    requireNonNull(spec.vocab(), "spec.vocab is null");
    int id = spec.neverSplit() == null ? -1 : spec.vocab().id(spec.neverSplit());
    this.specialId = id < 0 ? spec.unkId() : id;
    long[] shape = {spec.maxLength()};
    List<TensorSpec> out = new ArrayList<>();
    out.add(new TensorSpec(spec.inputIdsName(), ElementType.INT64, shape));
    if (spec.attentionMask()) {
      out.add(new TensorSpec(spec.attentionMaskName(), ElementType.INT64, shape));
    }
    if (spec.wordPiece() && spec.tokenTypeIds()) {
      out.add(new TensorSpec(spec.tokenTypeIdsName(), ElementType.INT64, shape));
    }
    if (spec.positionIdsName() != null) {
      out.add(new TensorSpec(spec.positionIdsName(), ElementType.INT64, shape));
    }
    this.outputs = List.copyOf(out);
  }

  @Override
  public List<TensorSpec> outputs() {
    return outputs;
  }

  @Override
  public List<Tensor> encode(String value) {
    requireNonNull(value, "value is null");
    Ids ids = encodeIds(value, new int[1]);
    int length = spec.maxLength();
    long[] shape = {length};
    List<Tensor> out = new ArrayList<>(outputs.size());
    out.add(Tensor.ofLongs(spec.inputIdsName(), shape, ids.ids()));
    if (spec.attentionMask()) {
      long[] mask = new long[length];
      Arrays.fill(mask, 0, ids.real(), 1L);
      out.add(Tensor.ofLongs(spec.attentionMaskName(), shape.clone(), mask));
    }
    if (spec.wordPiece() && spec.tokenTypeIds()) {
      out.add(Tensor.ofLongs(spec.tokenTypeIdsName(), shape.clone(), new long[length]));
    }
    if (spec.positionIdsName() != null) {
      out.add(positions(spec.positionIdsName(), length));
    }
    return out;
  }

  /** Position ids 0 to length - 1, as a model exported with them as an input takes them. */
  static Tensor positions(String name, int length) {
    long[] p = new long[length];
    for (int i = 0; i < length; i++) {
      p[i] = i;
    }
    return Tensor.ofLongs(name, new long[] {length}, p);
  }

  /** Ids padded to {@code maxLength}, and how many of them come before the padding. */
  private record Ids(long[] ids, int real) {}

  /**
   * How far into {@code value} its ids reach: the offset after the last word (or never-split token)
   * of which at least one id fits in {@code maxLength}. A word that starts at or after it is cut by
   * truncation (or has no id at all) and the model never sees it.
   */
  int reach(String value) {
    int[] reach = new int[1];
    encodeIds(requireNonNull(value, "value is null"), reach);
    return reach[0];
  }

  /**
   * The ranges of {@code value} that the encoder reads as one token whatever CoreNLP makes of them:
   * each occurrence of the never-split string (the mask string of perturber {@code mask}), found
   * from left to right as {@link #encode} finds them.
   */
  List<int[]> units(String value) {
    String special = spec.neverSplit();
    List<int[]> out = new ArrayList<>();
    if (special == null) {
      return out;
    }
    for (int at = find(value, special, 0);
        at >= 0;
        at = find(value, special, at + special.length())) {
      out.add(new int[] {at, at + special.length()});
    }
    return out;
  }

  /**
   * The first place at or after {@code from} where {@code special} is written and does not run on
   * into a word: where its first (last) character is a letter, digit or combining mark, the one
   * before (after) it is not; -1 when there is none.
   */
  static int find(String value, String special, int from) {
    boolean wordStart = TextFeatures.wordChar(special.codePointAt(0));
    boolean wordEnd = TextFeatures.wordChar(special.codePointBefore(special.length()));
    for (int at = value.indexOf(special, from); at >= 0; at = value.indexOf(special, at + 1)) {
      int end = at + special.length();
      boolean joinsBefore = wordStart && at > 0 && TextFeatures.wordChar(value.codePointBefore(at));
      boolean joinsAfter =
          wordEnd && end < value.length() && TextFeatures.wordChar(value.codePointAt(end));
      if (!joinsBefore && !joinsAfter) {
        return at;
      }
    }
    return -1;
  }

  /**
   * @param reach its element 0 is set to {@link #reach}
   */
  private Ids encodeIds(String value, int[] reach) {
    int max = spec.maxLength();
    int limit = spec.wordPiece() ? max - 1 : max;
    WordPiece.IdSink sink = new WordPiece.IdSink(max);
    if (spec.wordPiece()) {
      sink.add(spec.clsId());
    }
    String special = spec.neverSplit();
    int from = 0;
    if (special != null) {
      int at;
      while (sink.size() < limit && (at = find(value, special, from)) >= 0) {
        addWords(value.substring(from, at), from, sink, limit, reach);
        if (sink.size() < limit) {
          sink.add(specialId);
          reach[0] = at + special.length();
        }
        from = at + special.length();
      }
    }
    if (sink.size() < limit) {
      addWords(from == 0 ? value : value.substring(from), from, sink, limit, reach);
    }
    int n = Math.min(sink.size(), limit);
    long[] ids = new long[max];
    for (int i = 0; i < n; i++) {
      ids[i] = sink.get(i);
    }
    if (spec.wordPiece()) {
      ids[n++] = spec.sepId();
    }
    Arrays.fill(ids, n, max, spec.padId());
    return new Ids(ids, n);
  }

  /**
   * Adds the ids of the CoreNLP words of {@code segment} (at {@code offset} in the text) until
   * {@code limit} ids are there; {@code reach[0]} becomes the end of the last word with an id in.
   */
  private void addWords(String segment, int offset, WordPiece.IdSink sink, int limit, int[] reach) {
    if (segment.isBlank()) {
      return;
    }
    tokenizer.forEachWord(
        segment,
        word -> {
          int before = sink.size();
          String norm = WordPiece.normalize(word.text(), spec.lowercase(), spec.stripAccents());
          if (spec.wordPiece()) {
            for (String piece : WordPiece.basicSplit(norm)) {
              WordPiece.pieces(piece, spec.vocab(), spec.unkId(), sink);
              if (sink.size() >= limit) {
                break;
              }
            }
          } else {
            int id = spec.vocab().id(norm);
            sink.add(id < 0 ? spec.unkId() : id);
          }
          if (sink.size() > before) {
            reach[0] = offset + word.end();
          }
          return sink.size() < limit;
        });
  }
}
