package io.dime.modality.text.hf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SentencePiece's unigram model: the segmentation of a piece with the highest total score (the
 * Viterbi path over every vocabulary entry that matches), where a character that no entry starts
 * with costs the lowest score less 10 and becomes the unknown token; consecutive unknown characters
 * fuse into one token. With {@code byte_fallback}, an unknown stretch becomes its {@code <0xXX>}
 * byte tokens instead.
 */
final class Unigram extends Models.Model {
  private static final double UNK_PENALTY = 10.0;

  private final double[] scores;
  private final int unk;
  private final boolean byteFallback;
  private final double unkScore;
  private final int maxPieceChars;

  /** The vocabulary as read: ids by piece, scores by id, the longest piece in chars. */
  private record Pieces(Map<String, Integer> ids, double[] scores, int maxChars) {}

  Unigram(JsonNode node, Spec spec) {
    this(read(node, spec), node, spec);
  }

  private Unigram(Pieces pieces, JsonNode node, Spec spec) {
    super(pieces.ids());
    this.scores = pieces.scores();
    this.maxPieceChars = pieces.maxChars();
    JsonNode u = node.get("unk_id");
    this.unk =
        u == null || u.isNull()
            ? -1
            : spec.id(u, "model unk_id", scores.length, "the model's " + scores.length + " pieces");
    this.byteFallback = spec.bool(node, "byte_fallback", false);
    double min = Double.POSITIVE_INFINITY;
    for (double s : scores) {
      min = Math.min(min, s);
    }
    this.unkScore = min - UNK_PENALTY;
  }

  private static Pieces read(JsonNode node, Spec spec) {
    Map<String, Integer> ids = new HashMap<>();
    List<Double> scores = new ArrayList<>();
    int maxChars = 1;
    for (JsonNode entry : spec.array(node, "vocab")) {
      if (!entry.isArray() || entry.size() != 2 || !entry.get(1).isNumber()) {
        throw spec.invalid("Unigram vocab entry is not [piece, score]: " + Spec.abbreviate(entry));
      }
      String piece = entry.get(0).asText();
      ids.putIfAbsent(piece, scores.size());
      scores.add(entry.get(1).asDouble());
      maxChars = Math.max(maxChars, piece.length());
    }
    return new Pieces(ids, scores.stream().mapToDouble(Double::doubleValue).toArray(), maxChars);
  }

  @Override
  String type() {
    return "Unigram";
  }

  /** Every entry has an id, its place in the list, even a piece written twice. */
  @Override
  int size() {
    return scores.length;
  }

  @Override
  void tokenize(String piece, Models.Sink out) {
    int n = piece.length();
    if (n == 0) {
      return;
    }
    double[] best = new double[n + 1];
    int[] from = new int[n + 1];
    int[] id = new int[n + 1];
    Arrays.fill(from, -1);
    from[0] = 0;
    for (int start = 0; start < n; ) {
      if (from[start] < 0) {
        start += Character.charCount(piece.codePointAt(start));
        continue;
      }
      double here = best[start];
      int charLen = Character.charCount(piece.codePointAt(start));
      boolean single = false;
      int limit = Math.min(n, start + maxPieceChars);
      for (int end = start + charLen; end <= limit; ) {
        Integer tok = vocab.get(piece.substring(start, end));
        if (tok != null) {
          double candidate = scores[tok] + here;
          if (from[end] < 0 || candidate > best[end]) {
            best[end] = candidate;
            from[end] = start;
            id[end] = tok;
          }
          if (end - start == charLen) {
            single = true;
          }
        }
        if (end == n) {
          break;
        }
        end += Character.charCount(piece.codePointAt(end));
      }
      if (!single) {
        int end = start + charLen;
        double candidate = unkScore + here;
        if (from[end] < 0 || candidate > best[end]) {
          best[end] = candidate;
          from[end] = start;
          id[end] = -1;
        }
      }
      start += charLen;
    }
    emit(piece, from, id, out);
  }

  /** Walks the best path back and hands its tokens over in order, unknown runs fused. */
  private void emit(String piece, int[] from, int[] id, Models.Sink out) {
    List<int[]> path = new ArrayList<>();
    for (int end = piece.length(); end > 0; end = from[end]) {
      int b = from[end];
      int[] last = path.isEmpty() ? null : path.get(path.size() - 1);
      if (id[end] < 0 && last != null && last[0] < 0) {
        last[1] = b; // path runs backwards: extend the unknown run to the left
      } else {
        path.add(new int[] {id[end], b, end});
      }
    }
    for (int i = path.size() - 1; i >= 0; i--) {
      int[] t = path.get(i);
      if (t[0] >= 0) {
        out.token(t[0], t[1], t[2]);
        continue;
      }
      String text = piece.substring(t[1], t[2]);
      int[] bytes = byteFallback ? Models.byteTokens(this, text) : null;
      if (bytes != null) {
        for (int b : bytes) {
          out.token(b, t[1], t[2]);
        }
      } else if (unk >= 0) {
        out.token(unk, t[1], t[2]);
      } else {
        throw new TokenizerFileException(
            "Unigram: '" + text + "' is not in the vocabulary and there is no unk_id");
      }
    }
  }
}
