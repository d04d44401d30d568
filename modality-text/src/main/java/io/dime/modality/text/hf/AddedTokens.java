package io.dime.modality.text.hf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code added_tokens} of a tokenizer.json: strings (special tokens such as {@code [CLS]} or
 * {@code <mask>}, and any others added) that are cut out of the text before normalisation and map
 * straight to their ids. At each position the longest token that matches wins; {@code lstrip} and
 * {@code rstrip} take the whitespace to the token's left or right along, and {@code single_word}
 * matches only between word boundaries. All are matched on the input text (Hugging Face matches the
 * {@code normalized: true} ones on the normalised text; for the tokens of common models the two
 * agree).
 */
final class AddedTokens {
  /** One added token. */
  record Token(
      String content,
      int id,
      boolean special,
      boolean lstrip,
      boolean rstrip,
      boolean singleWord) {}

  /** A match: the token and the input range it takes, whitespace included. */
  record Match(Token token, int begin, int end) {}

  private final Map<String, Token> byContent = new LinkedHashMap<>();
  private final Map<Character, List<Token>> byFirstChar = new HashMap<>();

  AddedTokens(JsonNode node, Spec spec) {
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isArray()) {
      throw spec.invalid("\"added_tokens\" is not a list");
    }
    for (JsonNode t : node) {
      String content = spec.string(t, "content");
      if (!t.has("id") || !t.get("id").canConvertToInt()) {
        throw spec.invalid("added token '" + content + "' has no id");
      }
      Token token =
          new Token(
              content,
              spec.whole(t.get("id"), "added token '" + content + "' id"),
              spec.bool(t, "special", false),
              spec.bool(t, "lstrip", false),
              spec.bool(t, "rstrip", false),
              spec.bool(t, "single_word", false));
      if (content.isEmpty()) {
        continue;
      }
      byContent.put(content, token);
      byFirstChar.computeIfAbsent(content.charAt(0), c -> new ArrayList<>()).add(token);
    }
    for (List<Token> l : byFirstChar.values()) {
      l.sort(Comparator.comparingInt((Token t) -> -t.content().length()));
    }
  }

  /** The id of an added token's content, or -1. */
  int id(String content) {
    Token t = byContent.get(content);
    return t == null ? -1 : t.id();
  }

  List<Token> all() {
    return List.copyOf(byContent.values());
  }

  /** The matches in {@code text}, in order, not overlapping. */
  List<Match> find(String text) {
    List<Match> out = new ArrayList<>();
    if (byContent.isEmpty()) {
      return out;
    }
    int floor = 0;
    for (int i = 0; i < text.length(); i++) {
      List<Token> candidates = byFirstChar.get(text.charAt(i));
      if (candidates == null) {
        continue;
      }
      for (Token t : candidates) {
        int end = i + t.content().length();
        if (!text.startsWith(t.content(), i) || !wordBounded(t, text, i, end)) {
          continue;
        }
        int b = i;
        int e = end;
        if (t.lstrip()) {
          while (b > floor && Chars.isWhitespace(text.codePointBefore(b))) {
            b -= Character.charCount(text.codePointBefore(b));
          }
        }
        if (t.rstrip()) {
          while (e < text.length() && Chars.isWhitespace(text.codePointAt(e))) {
            e += Character.charCount(text.codePointAt(e));
          }
        }
        out.add(new Match(t, b, e));
        floor = e;
        i = e - 1;
        break;
      }
    }
    return out;
  }

  private static boolean wordBounded(Token t, String text, int b, int e) {
    if (!t.singleWord()) {
      return true;
    }
    boolean left = b == 0 || !isWordChar(text.codePointBefore(b));
    boolean right = e == text.length() || !isWordChar(text.codePointAt(e));
    return left && right;
  }

  private static boolean isWordChar(int cp) {
    return Character.isLetterOrDigit(cp) || cp == '_';
  }
}
