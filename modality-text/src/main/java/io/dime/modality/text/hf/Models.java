package io.dime.modality.text.hf;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/** The {@code model} section: WordPiece, BPE, Unigram and WordLevel. */
final class Models {
  static final List<String> SUPPORTED = List.of("WordPiece", "BPE", "Unigram", "WordLevel");

  private Models() {}

  /** Receives the tokens of one piece: id and char range {@code [begin, end)} in the piece. */
  interface Sink {
    void token(int id, int begin, int end);
  }

  /** A tokenizer model: pieces in, ids out. */
  abstract static class Model {
    final Map<String, Integer> vocab;

    Model(Map<String, Integer> vocab) {
      this.vocab = vocab;
    }

    abstract String type();

    abstract void tokenize(String piece, Sink out);

    int id(String token) {
      Integer id = vocab.get(token);
      return id == null ? -1 : id;
    }

    /** One more than the largest id in the vocabulary. */
    int size() {
      int size = 0;
      for (int id : vocab.values()) {
        size = Math.max(size, id + 1);
      }
      return size;
    }
  }

  static Model of(JsonNode node, Spec spec) {
    if (node == null || node.isNull()) {
      throw spec.invalid("no \"model\" section");
    }
    String type = node.hasNonNull("type") ? spec.type(node, "model") : guess(node);
    switch (type) {
      case "WordPiece":
        return new WordPiece(node, spec);
      case "BPE":
        return new Bpe(node, spec);
      case "Unigram":
        return new Unigram(node, spec);
      case "WordLevel":
        return new WordLevel(node, spec);
      default:
        throw spec.unsupported("model", type, SUPPORTED);
    }
  }

  /** Old files leave the model's type out; Hugging Face tells them apart by their fields. */
  private static String guess(JsonNode node) {
    if (node.has("merges")) {
      return "BPE";
    }
    if (node.has("continuing_subword_prefix") || node.has("max_input_chars_per_word")) {
      return "WordPiece";
    }
    if (node.has("vocab") && node.get("vocab").isArray()) {
      return "Unigram";
    }
    return "WordLevel";
  }

  static Map<String, Integer> vocabMap(JsonNode node, Spec spec) {
    JsonNode v = node.get("vocab");
    if (v == null || !v.isObject()) {
      throw spec.invalid("model \"vocab\" is missing or not an object of token: id");
    }
    Map<String, Integer> map = new HashMap<>(v.size() * 2);
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
        throw spec.invalid("model vocab: token '" + e.getKey() + "' has no valid id");
      }
      map.put(e.getKey(), e.getValue().asInt());
    }
    return map;
  }

  static String optString(JsonNode node, String field, String dflt) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? dflt : v.asText();
  }

  /** Greedy longest-match-first WordPiece (BERT). */
  static final class WordPiece extends Model {
    private final int unk;
    private final String prefix;
    private final int maxChars;

    WordPiece(JsonNode node, Spec spec) {
      super(vocabMap(node, spec));
      String unkToken = optString(node, "unk_token", "[UNK]");
      this.unk = id(unkToken);
      if (unk < 0) {
        throw spec.invalid("WordPiece unk_token '" + unkToken + "' is not in the vocabulary");
      }
      this.prefix = optString(node, "continuing_subword_prefix", "##");
      this.maxChars =
          node.hasNonNull("max_input_chars_per_word")
              ? node.get("max_input_chars_per_word").asInt()
              : 100;
    }

    @Override
    String type() {
      return "WordPiece";
    }

    @Override
    void tokenize(String piece, Sink out) {
      if (piece.codePointCount(0, piece.length()) > maxChars) {
        out.token(unk, 0, piece.length());
        return;
      }
      int n = piece.length();
      int[] ids = new int[n];
      int[] ends = new int[n];
      int count = 0;
      int start = 0;
      while (start < n) {
        int end = n;
        int found = -1;
        while (end > start) {
          String sub = piece.substring(start, end);
          found = id(start > 0 ? prefix + sub : sub);
          if (found >= 0) {
            break;
          }
          end = piece.offsetByCodePoints(end, -1);
        }
        if (found < 0) {
          out.token(unk, 0, n);
          return;
        }
        ids[count] = found;
        ends[count++] = end;
        start = end;
      }
      int b = 0;
      for (int i = 0; i < count; i++) {
        out.token(ids[i], b, ends[i]);
        b = ends[i];
      }
    }
  }

  /** Any piece whole, or the unknown token. */
  static final class WordLevel extends Model {
    private final int unk;

    WordLevel(JsonNode node, Spec spec) {
      super(vocabMap(node, spec));
      String unkToken = optString(node, "unk_token", "<unk>");
      this.unk = id(unkToken);
    }

    @Override
    String type() {
      return "WordLevel";
    }

    @Override
    void tokenize(String piece, Sink out) {
      int id = id(piece);
      if (id < 0 && unk < 0) {
        throw new TokenizerFileException("WordLevel: '" + piece + "' is unknown and no unk_token");
      }
      out.token(id >= 0 ? id : unk, 0, piece.length());
    }
  }

  /** Byte-fallback tokens {@code <0xXX>} for the UTF-8 bytes of {@code s}, or null if absent. */
  static int[] byteTokens(Model m, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    int[] ids = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      ids[i] = m.id(String.format("<0x%02X>", bytes[i] & 0xFF));
      if (ids[i] < 0) {
        return null;
      }
    }
    return ids;
  }

  /** Byte-pair encoding with ranked merges (GPT-2, RoBERTa, Llama, ...). */
  static final class Bpe extends Model {
    private final Map<Long, int[]> merges;
    private final int unk;
    private final boolean fuseUnk;
    private final boolean byteFallback;
    private final boolean ignoreMerges;
    private final String prefix;
    private final String suffix;

    Bpe(JsonNode node, Spec spec) {
      super(vocabMap(node, spec));
      JsonNode dropout = node.get("dropout");
      if (dropout != null && !dropout.isNull() && dropout.asDouble() > 0) {
        throw spec.invalid("BPE dropout " + dropout.asDouble() + " is random; only 0 or null");
      }
      String unkToken = optString(node, "unk_token", null);
      this.unk = unkToken == null ? -1 : id(unkToken);
      this.fuseUnk = spec.bool(node, "fuse_unk", false);
      this.byteFallback = spec.bool(node, "byte_fallback", false);
      this.ignoreMerges = spec.bool(node, "ignore_merges", false);
      this.prefix = optString(node, "continuing_subword_prefix", "");
      this.suffix = optString(node, "end_of_word_suffix", "");
      this.merges = readMerges(node, spec);
    }

    private Map<Long, int[]> readMerges(JsonNode node, Spec spec) {
      Map<Long, int[]> m = new HashMap<>();
      int rank = 0;
      for (JsonNode merge : spec.array(node, "merges")) {
        String a;
        String b;
        if (merge.isArray() && merge.size() == 2) {
          a = merge.get(0).asText();
          b = merge.get(1).asText();
        } else {
          String s = merge.asText();
          int space = s.indexOf(' ', 1);
          if (space < 0) {
            throw spec.invalid("BPE merge '" + s + "' is not two tokens");
          }
          a = s.substring(0, space);
          b = s.substring(space + 1);
        }
        int ia = id(a);
        int ib = id(b);
        String joined =
            a + (prefix.isEmpty() || !b.startsWith(prefix) ? b : b.substring(prefix.length()));
        int ij = id(joined);
        if (ia < 0 || ib < 0 || ij < 0) {
          throw spec.invalid("BPE merge '" + a + " " + b + "' names a token not in the vocabulary");
        }
        m.putIfAbsent(key(ia, ib), new int[] {rank, ij});
        rank++;
      }
      return m;
    }

    private static long key(int a, int b) {
      return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    @Override
    String type() {
      return "BPE";
    }

    @Override
    void tokenize(String piece, Sink out) {
      if (piece.isEmpty()) {
        return;
      }
      if (ignoreMerges && id(piece) >= 0) {
        out.token(id(piece), 0, piece.length());
        return;
      }
      Symbols s = initialSymbols(piece);
      merge(s);
      for (int i = 0; i >= 0 && i < s.count; i = s.next[i]) {
        out.token(s.id[i], s.begin[i], s.end[i]);
      }
    }

    /** One symbol per code point, or its byte tokens, or the (fused) unknown token. */
    private Symbols initialSymbols(String piece) {
      Symbols s = new Symbols(piece.length() * 4);
      boolean lastUnk = false;
      for (int i = 0; i < piece.length(); ) {
        int cp = piece.codePointAt(i);
        int n = Character.charCount(cp);
        String c = piece.substring(i, i + n);
        boolean first = i == 0;
        boolean last = i + n == piece.length();
        String token = (first ? "" : prefix) + c + (last ? suffix : "");
        int id = id(token);
        if (id >= 0) {
          s.add(id, i, i + n);
          lastUnk = false;
        } else {
          int[] bytes = byteFallback ? byteTokens(this, c) : null;
          if (bytes != null) {
            for (int b : bytes) {
              s.add(b, i, i + n);
            }
            lastUnk = false;
          } else if (unk >= 0) {
            if (fuseUnk && lastUnk) {
              s.end[s.count - 1] = i + n;
            } else {
              s.add(unk, i, i + n);
            }
            lastUnk = true;
          }
        }
        i += n;
      }
      s.link();
      return s;
    }

    /** Applies the lowest-ranked merge (leftmost among equals) until none applies. */
    private void merge(Symbols s) {
      PriorityQueue<long[]> queue =
          new PriorityQueue<>(
              (x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
      for (int i = 0; i + 1 < s.count; i++) {
        push(queue, s, i, i + 1);
      }
      while (!queue.isEmpty()) {
        long[] top = queue.poll();
        int left = (int) top[1];
        int right = (int) top[2];
        if (!s.alive[left] || !s.alive[right] || s.next[left] != right) {
          continue;
        }
        if (s.id[left] != (int) top[3] || s.id[right] != (int) top[4]) {
          continue;
        }
        s.id[left] = (int) top[5];
        s.end[left] = s.end[right];
        s.alive[right] = false;
        s.next[left] = s.next[right];
        if (s.next[right] >= 0) {
          s.prev[s.next[right]] = left;
        }
        if (s.prev[left] >= 0) {
          push(queue, s, s.prev[left], left);
        }
        if (s.next[left] >= 0) {
          push(queue, s, left, s.next[left]);
        }
      }
    }

    private void push(PriorityQueue<long[]> queue, Symbols s, int left, int right) {
      int[] m = merges.get(key(s.id[left], s.id[right]));
      if (m != null) {
        queue.add(new long[] {m[0], left, right, s.id[left], s.id[right], m[1]});
      }
    }
  }

  /** A doubly linked list of symbols over a piece. */
  private static final class Symbols {
    int[] id;
    int[] begin;
    int[] end;
    int[] prev;
    int[] next;
    boolean[] alive;
    int count;

    Symbols(int capacity) {
      id = new int[capacity];
      begin = new int[capacity];
      end = new int[capacity];
    }

    void add(int i, int b, int e) {
      id[count] = i;
      begin[count] = b;
      end[count++] = e;
    }

    void link() {
      prev = new int[count];
      next = new int[count];
      alive = new boolean[count];
      for (int i = 0; i < count; i++) {
        prev[i] = i - 1;
        next[i] = i + 1 < count ? i + 1 : -1;
        alive[i] = true;
      }
      if (count == 0) {
        next = new int[] {-1};
      }
    }
  }
}
