package io.dime.modality.text;

import static java.util.Objects.requireNonNull;

import io.dime.api.ElementType;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.modality.text.hf.TokenizerJson;
import io.dime.spi.Encoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code tokenizer-json} encoder: the text, with hidden words already removed or masked, is
 * encoded whole by a Hugging Face tokenizer.json ({@link TokenizerJson}), so the ids are the ones
 * the model was trained on; then the post-processor's special tokens are added around the first
 * {@code maxLength - specials} tokens (the rest are cut, as Hugging Face truncates), and the pad id
 * fills up to {@code maxLength}. Outputs {@code input_ids}, optionally {@code attention_mask} and
 * {@code token_type_ids} (the post-processor template's type ids).
 *
 * <p>Words and tokens: every token covers a range of the text; it belongs to the first CoreNLP word
 * that it overlaps ({@link #wordTokens}). Removing a word removes its characters and so all its
 * tokens; a mask string that is one of the file's added tokens ({@code [MASK]}, {@code <mask>})
 * encodes as that one id. A token that runs over the end of a word into the next (GPT-2 reads
 * "don't" as "don" "'t" where CoreNLP has "do" "n't") belongs to the first, and hiding either word
 * changes it.
 */
final class TokenizerJsonEncoder implements Encoder<String> {
  private final TokenizerJson tokenizer;
  private final TextEncoder.Spec spec;
  private final List<TensorSpec> outputs;
  private final int[] prefixIds;
  private final int[] prefixTypes;
  private final int[] suffixIds;
  private final int[] suffixTypes;

  TokenizerJsonEncoder(TokenizerJson tokenizer, TextEncoder.Spec spec) {
    this.tokenizer = requireNonNull(tokenizer, "tokenizer is null");
    this.spec = requireNonNull(spec, "spec is null");
    List<int[]> prefix = tokenizer.prefix();
    List<int[]> suffix = tokenizer.suffix();
    prefixIds = prefix.stream().mapToInt(p -> p[0]).toArray();
    prefixTypes = prefix.stream().mapToInt(p -> p[1]).toArray();
    suffixIds = suffix.stream().mapToInt(p -> p[0]).toArray();
    suffixTypes = suffix.stream().mapToInt(p -> p[1]).toArray();
    if (spec.maxLength() <= prefixIds.length + suffixIds.length) {
      throw new IllegalArgumentException(
          "maxLength " + spec.maxLength() + " leaves no room between the special tokens");
    }
    long[] shape = {spec.maxLength()};
    List<TensorSpec> out = new ArrayList<>();
    out.add(new TensorSpec(spec.inputIdsName(), ElementType.INT64, shape));
    if (spec.attentionMask()) {
      out.add(new TensorSpec(spec.attentionMaskName(), ElementType.INT64, shape));
    }
    if (spec.tokenTypeIds()) {
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

  /** How many of the text's own tokens fit between the special tokens. */
  private int room() {
    return spec.maxLength() - prefixIds.length - suffixIds.length;
  }

  @Override
  public List<Tensor> encode(String value) {
    requireNonNull(value, "value is null");
    TokenizerJson.Encoding e = tokenizer.encode(value);
    int length = spec.maxLength();
    int n = Math.min(e.size(), room());
    long[] ids = new long[length];
    long[] types = new long[length];
    int at = 0;
    for (int i = 0; i < prefixIds.length; i++, at++) {
      ids[at] = prefixIds[i];
      types[at] = prefixTypes[i];
    }
    for (int i = 0; i < n; i++, at++) {
      ids[at] = e.ids()[i];
      types[at] = tokenizer.sequenceTypeId();
    }
    for (int i = 0; i < suffixIds.length; i++, at++) {
      ids[at] = suffixIds[i];
      types[at] = suffixTypes[i];
    }
    int real = at;
    Arrays.fill(ids, real, length, spec.padId());
    long[] shape = {length};
    List<Tensor> out = new ArrayList<>(outputs.size());
    out.add(Tensor.ofLongs(spec.inputIdsName(), shape, ids));
    if (spec.attentionMask()) {
      long[] mask = new long[length];
      Arrays.fill(mask, 0, real, 1L);
      out.add(Tensor.ofLongs(spec.attentionMaskName(), shape.clone(), mask));
    }
    if (spec.tokenTypeIds()) {
      out.add(Tensor.ofLongs(spec.tokenTypeIdsName(), shape.clone(), types));
    }
    if (spec.positionIdsName() != null) {
      out.add(TextEncoder.positions(spec.positionIdsName(), length));
    }
    return out;
  }

  /**
   * How far into {@code value} its tokens reach: the end offset of the last token that fits in
   * {@code maxLength} (the text's length when none is cut, 0 when it has no token). A word that
   * starts at or after it is cut by truncation and the model never sees it.
   */
  int reach(String value) {
    TokenizerJson.Encoding e = tokenizer.encode(requireNonNull(value, "value is null"));
    if (e.size() <= room()) {
      return e.size() == 0 ? 0 : value.length();
    }
    int reach = 0;
    for (int i = 0; i < room(); i++) {
      reach = Math.max(reach, e.ends()[i]);
    }
    return reach;
  }

  /**
   * The ranges of {@code value} that the file reads as one added token ({@code [MASK]}, {@code
   * [SEP]}, {@code <|endoftext|>} written in the text itself).
   */
  List<int[]> units(String value) {
    TokenizerJson.Encoding e = tokenizer.encode(requireNonNull(value, "value is null"));
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < e.size(); i++) {
      if (e.added()[i] && e.ends()[i] > e.begins()[i]) {
        out.add(new int[] {e.begins()[i], e.ends()[i]});
      }
    }
    return out;
  }

  /**
   * For each word of {@code text}, the positions in {@code input_ids} of the tokens that belong to
   * it (see the class comment); tokens cut by truncation are left out, and special tokens and
   * tokens after the last word belong to no word.
   *
   * @param words the words of {@code text}, in order, not overlapping
   */
  List<int[]> wordTokens(String text, List<Span> words) {
    TokenizerJson.Encoding e = tokenizer.encode(text);
    int n = Math.min(e.size(), room());
    List<List<Integer>> perWord = new ArrayList<>(words.size());
    for (int w = 0; w < words.size(); w++) {
      perWord.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      int w = firstWordIn(words, e.begins()[i]);
      if (w >= 0) {
        perWord.get(w).add(prefixIds.length + i);
      }
    }
    List<int[]> out = new ArrayList<>(words.size());
    for (List<Integer> l : perWord) {
      out.add(l.stream().mapToInt(Integer::intValue).toArray());
    }
    return out;
  }

  /**
   * The first word that ends after {@code begin}: the word the token overlaps first, or, for a
   * token in the blank before a word, that word; -1 after the last word.
   */
  private static int firstWordIn(List<Span> words, int begin) {
    int lo = 0;
    int hi = words.size();
    while (lo < hi) { // the first word that ends after begin
      int mid = (lo + hi) >>> 1;
      if (words.get(mid).end() <= begin) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < words.size() ? lo : -1;
  }
}
