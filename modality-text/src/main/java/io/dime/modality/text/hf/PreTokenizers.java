package io.dime.modality.text.hf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code pre_tokenizer} section: each kind cuts every piece into smaller pieces. */
final class PreTokenizers {
  static final List<String> SUPPORTED =
      List.of(
          "BertPreTokenizer",
          "Whitespace",
          "WhitespaceSplit",
          "ByteLevel",
          "Metaspace",
          "Split",
          "Punctuation",
          "Digits",
          "Sequence");

  /** GPT-2's split (Hugging Face's ByteLevel with {@code use_regex}). */
  static final Pattern GPT2 =
      Pattern.compile(
          "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
          Pattern.UNICODE_CHARACTER_CLASS);

  private static final Pattern WORDS_OR_SYMBOLS =
      Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);

  /** How a split keeps its matches; Hugging Face's SplitDelimiterBehavior. */
  enum Behavior {
    REMOVED,
    ISOLATED,
    MERGED_WITH_PREVIOUS,
    MERGED_WITH_NEXT,
    CONTIGUOUS
  }

  private PreTokenizers() {}

  /** The pre-tokenizer of {@code node}; pieces unchanged for null. */
  static UnaryOperator<List<Aligned>> of(JsonNode node, Spec spec) {
    if (node == null || node.isNull()) {
      return UnaryOperator.identity();
    }
    String type = spec.type(node, "pre_tokenizer");
    switch (type) {
      case "BertPreTokenizer":
        return each(
            s ->
                splitChars(
                    splitChars(List.of(s), Chars::isWhitespace, Behavior.REMOVED),
                    Chars::isPunctuation,
                    Behavior.ISOLATED));
      case "Whitespace":
        return each(s -> split(s, WORDS_OR_SYMBOLS, Behavior.REMOVED, true));
      case "WhitespaceSplit":
        return each(s -> splitChars(List.of(s), Chars::isWhitespace, Behavior.REMOVED));
      case "ByteLevel":
        return byteLevel(node, spec);
      case "Metaspace":
        return metaspace(node, spec);
      case "Split":
        Pattern p = spec.pattern(node.get("pattern"), "pre_tokenizer Split");
        Behavior b = behavior(node, spec);
        boolean invert = spec.bool(node, "invert", false);
        return each(s -> split(s, p, b, invert));
      case "Punctuation":
        Behavior pb = node.hasNonNull("behavior") ? behavior(node, spec) : Behavior.ISOLATED;
        return each(s -> splitChars(List.of(s), Chars::isPunctuation, pb));
      case "Digits":
        boolean single = spec.bool(node, "individual_digits", false);
        Behavior db = single ? Behavior.ISOLATED : Behavior.CONTIGUOUS;
        return each(s -> splitChars(List.of(s), Character::isDigit, db));
      case "Sequence":
        List<UnaryOperator<List<Aligned>>> steps = new ArrayList<>();
        for (JsonNode n : spec.array(node, "pretokenizers")) {
          steps.add(of(n, spec));
        }
        return pieces -> {
          List<Aligned> out = pieces;
          for (UnaryOperator<List<Aligned>> step : steps) {
            out = step.apply(out);
          }
          return out;
        };
      default:
        throw spec.unsupported("pre_tokenizer", type, SUPPORTED);
    }
  }

  private static Behavior behavior(JsonNode node, Spec spec) {
    String b = spec.string(node, "behavior");
    switch (b) {
      case "Removed":
        return Behavior.REMOVED;
      case "Isolated":
        return Behavior.ISOLATED;
      case "MergedWithPrevious":
        return Behavior.MERGED_WITH_PREVIOUS;
      case "MergedWithNext":
        return Behavior.MERGED_WITH_NEXT;
      case "Contiguous":
        return Behavior.CONTIGUOUS;
      default:
        throw spec.invalid("split behavior '" + b + "' is not known");
    }
  }

  private interface PieceSplitter {
    List<Aligned> split(Aligned piece);
  }

  private static UnaryOperator<List<Aligned>> each(PieceSplitter f) {
    return pieces -> {
      List<Aligned> out = new ArrayList<>();
      for (Aligned p : pieces) {
        out.addAll(f.split(p));
      }
      return out;
    };
  }

  private static UnaryOperator<List<Aligned>> byteLevel(JsonNode node, Spec spec) {
    boolean prefix = spec.bool(node, "add_prefix_space", true);
    boolean regex = spec.bool(node, "use_regex", true);
    return each(
        s -> {
          Aligned p = s;
          if (prefix && !p.isEmpty() && !p.text.startsWith(" ")) {
            p = prepend(p, " ");
          }
          List<Aligned> parts = regex ? split(p, GPT2, Behavior.ISOLATED, false) : List.of(p);
          List<Aligned> out = new ArrayList<>(parts.size());
          for (Aligned part : parts) {
            out.add(ByteLevel.encode(part));
          }
          return out;
        });
  }

  private static UnaryOperator<List<Aligned>> metaspace(JsonNode node, Spec spec) {
    String rep = spec.string(node, "replacement");
    String scheme;
    if (node.hasNonNull("prepend_scheme")) {
      scheme = spec.string(node, "prepend_scheme");
    } else {
      scheme = spec.bool(node, "add_prefix_space", true) ? "always" : "never";
    }
    if (!List.of("always", "first", "never").contains(scheme)) {
      throw spec.invalid("Metaspace prepend_scheme '" + scheme + "' is not known");
    }
    boolean split = spec.bool(node, "split", true);
    Pattern repPattern = Pattern.compile(Pattern.quote(rep));
    Pattern space = Pattern.compile(" ");
    return each(
        s -> {
          Aligned p = Normalizers.replace(s, space, rep);
          boolean add =
              scheme.equals("always") || (scheme.equals("first") && p.originalStart() == 0);
          if (add && !p.isEmpty() && !p.text.startsWith(rep)) {
            p = prepend(p, rep);
          }
          return split ? split(p, repPattern, Behavior.MERGED_WITH_NEXT, false) : List.of(p);
        });
  }

  private static Aligned prepend(Aligned s, String prefix) {
    Aligned.Builder b = new Aligned.Builder(s.length() + prefix.length());
    // the prefix covers what the first character covers, as in Hugging Face
    b.append(prefix, s.originalBegin(0, 1), s.originalEnd(0, 1));
    b.copy(s, 0, s.length());
    return b.build();
  }

  /** Splits at every char that {@code test} accepts, each such char one match. */
  private static List<Aligned> splitChars(
      List<Aligned> pieces, IntPredicate test, Behavior behavior) {
    List<Aligned> out = new ArrayList<>();
    for (Aligned s : pieces) {
      List<int[]> segments = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < s.length(); ) {
        int cp = s.text.codePointAt(i);
        int n = Character.charCount(cp);
        if (test.test(cp)) {
          if (start < i) {
            segments.add(new int[] {start, i, 0});
          }
          segments.add(new int[] {i, i + n, 1});
          start = i + n;
        }
        i += n;
      }
      if (start < s.length()) {
        segments.add(new int[] {start, s.length(), 0});
      }
      out.addAll(apply(s, segments, behavior));
    }
    return out;
  }

  /** Splits at the matches of {@code p} (or at what lies between them, inverted). */
  static List<Aligned> split(Aligned s, Pattern p, Behavior behavior, boolean invert) {
    List<int[]> segments = new ArrayList<>();
    Matcher m = p.matcher(s.text);
    int last = 0;
    while (m.find()) {
      if (m.end() == m.start()) {
        continue;
      }
      if (last < m.start()) {
        segments.add(new int[] {last, m.start(), invert ? 1 : 0});
      }
      segments.add(new int[] {m.start(), m.end(), invert ? 0 : 1});
      last = m.end();
    }
    if (last < s.length()) {
      segments.add(new int[] {last, s.length(), invert ? 1 : 0});
    }
    return apply(s, segments, behavior);
  }

  /** Turns {begin, end, isMatch} segments covering {@code s} into pieces, as the behavior says. */
  private static List<Aligned> apply(Aligned s, List<int[]> segments, Behavior behavior) {
    List<int[]> merged = new ArrayList<>();
    boolean previousMatch = false;
    switch (behavior) {
      case REMOVED:
        segments.removeIf(g -> g[2] == 1);
        merged = segments;
        break;
      case ISOLATED:
        merged = segments;
        break;
      case MERGED_WITH_PREVIOUS:
      case CONTIGUOUS:
        for (int[] g : segments) {
          boolean isMatch = g[2] == 1;
          boolean join =
              behavior == Behavior.CONTIGUOUS
                  ? isMatch == previousMatch
                  : isMatch && !previousMatch;
          if (join && !merged.isEmpty()) {
            merged.get(merged.size() - 1)[1] = g[1];
          } else {
            merged.add(new int[] {g[0], g[1]});
          }
          previousMatch = isMatch;
        }
        break;
      case MERGED_WITH_NEXT:
        for (int i = segments.size() - 1; i >= 0; i--) {
          int[] g = segments.get(i);
          boolean isMatch = g[2] == 1;
          if (isMatch && !previousMatch && !merged.isEmpty()) {
            merged.get(merged.size() - 1)[0] = g[0];
          } else {
            merged.add(new int[] {g[0], g[1]});
          }
          previousMatch = isMatch;
        }
        Collections.reverse(merged);
        break;
      default:
        throw new IllegalStateException(behavior.toString());
    }
    List<Aligned> out = new ArrayList<>(merged.size());
    for (int[] g : merged) {
      if (g[1] > g[0]) {
        out.add(s.slice(g[0], g[1]));
      }
    }
    return out;
  }
}
