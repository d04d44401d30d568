package io.dime.modality.text.hf;

import com.fasterxml.jackson.databind.JsonNode;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code normalizer} section of a tokenizer.json: each kind as a function on aligned text. */
final class Normalizers {
  static final List<String> SUPPORTED =
      List.of(
          "BertNormalizer",
          "Lowercase",
          "NFC",
          "NFD",
          "NFKC",
          "NFKD",
          "StripAccents",
          "Strip",
          "Replace",
          "Prepend",
          "Precompiled",
          "Nmt",
          "Sequence");

  private static final Pattern GRAPHEME = Pattern.compile("\\X");

  private Normalizers() {}

  /** The normalizer described by {@code node}; the identity for null. */
  static UnaryOperator<Aligned> of(JsonNode node, Spec spec) {
    if (node == null || node.isNull()) {
      return UnaryOperator.identity();
    }
    String type = spec.type(node, "normalizer");
    switch (type) {
      case "BertNormalizer":
        return bert(node, spec);
      case "Lowercase":
        return Normalizers::lowercase;
      case "NFC":
        return s -> unicode(s, Normalizer.Form.NFC);
      case "NFD":
        return s -> unicode(s, Normalizer.Form.NFD);
      case "NFKC":
        return s -> unicode(s, Normalizer.Form.NFKC);
      case "NFKD":
        return s -> unicode(s, Normalizer.Form.NFKD);
      case "StripAccents":
        return Normalizers::stripAccents;
      case "Strip":
        boolean left = spec.bool(node, "strip_left", true);
        boolean right = spec.bool(node, "strip_right", true);
        return s -> strip(s, left, right);
      case "Replace":
        Pattern p = spec.pattern(node.get("pattern"), "normalizer Replace");
        String content = spec.string(node, "content");
        return s -> replace(s, p, content);
      case "Prepend":
        String prefix = spec.string(node, "prepend");
        return s -> s.isEmpty() ? s : prepend(s, prefix);
      case "Precompiled":
        return precompiled(node, spec);
      case "Nmt":
        return Normalizers::nmt;
      case "Sequence":
        List<UnaryOperator<Aligned>> steps = new ArrayList<>();
        for (JsonNode n : spec.array(node, "normalizers")) {
          steps.add(of(n, spec));
        }
        return s -> {
          Aligned out = s;
          for (UnaryOperator<Aligned> step : steps) {
            out = step.apply(out);
          }
          return out;
        };
      default:
        throw spec.unsupported("normalizer", type, SUPPORTED);
    }
  }

  private static UnaryOperator<Aligned> bert(JsonNode node, Spec spec) {
    boolean clean = spec.bool(node, "clean_text", true);
    boolean chinese = spec.bool(node, "handle_chinese_chars", true);
    boolean lower = spec.bool(node, "lowercase", true);
    JsonNode sa = node.get("strip_accents");
    boolean strip = sa == null || sa.isNull() ? lower : sa.asBoolean();
    return s -> {
      Aligned out = s;
      if (clean) {
        out =
            out.mapCodePoints(
                cp -> {
                  if (cp == 0 || cp == 0xFFFD || Chars.isControl(cp)) {
                    return "";
                  }
                  return Chars.isBertWhitespace(cp) ? " " : null;
                });
      }
      if (chinese) {
        out = out.mapCodePoints(cp -> Chars.isCjk(cp) ? " " + Chars.str(cp) + " " : null);
      }
      if (strip) {
        out = stripAccents(out);
      }
      return lower ? lowercase(out) : out;
    };
  }

  /** Unicode lower case of each code point, as Rust's {@code char::to_lowercase}. */
  private static Aligned lowercase(Aligned s) {
    return s.mapCodePoints(
        cp -> {
          if (cp == 0x130) {
            return "i\u0307"; // the one code point whose lower case is two
          }
          int l = Character.toLowerCase(cp);
          return l == cp ? null : Chars.str(l);
        });
  }

  /** NFD, then every non-spacing mark (Mn) removed, as Hugging Face's StripAccents after NFD. */
  private static Aligned stripAccents(Aligned s) {
    return unicode(s, Normalizer.Form.NFD)
        .mapCodePoints(cp -> Character.getType(cp) == Character.NON_SPACING_MARK ? "" : null);
  }

  /** A Unicode normal form, applied per grapheme cluster so that offsets stay exact. */
  private static Aligned unicode(Aligned s, Normalizer.Form form) {
    if (Normalizer.isNormalized(s.text, form)) {
      return s;
    }
    Aligned.Builder b = new Aligned.Builder(s.length());
    Matcher m = GRAPHEME.matcher(s.text);
    while (m.find()) {
      String g = m.group();
      String n = Normalizer.normalize(g, form);
      if (n.equals(g)) {
        b.copy(s, m.start(), m.end());
      } else {
        // each code point of the result covers the whole cluster
        b.append(n, s.originalBegin(m.start(), m.end()), s.originalEnd(m.start(), m.end()));
      }
    }
    return b.build();
  }

  private static Aligned strip(Aligned s, boolean left, boolean right) {
    int b = 0;
    int e = s.length();
    while (left && b < e && Chars.isWhitespace(s.text.codePointAt(b))) {
      b += Character.charCount(s.text.codePointAt(b));
    }
    while (right && e > b && Chars.isWhitespace(s.text.codePointBefore(e))) {
      e -= Character.charCount(s.text.codePointBefore(e));
    }
    return s.slice(b, e);
  }

  static Aligned replace(Aligned s, Pattern p, String content) {
    Matcher m = p.matcher(s.text);
    if (!m.find()) {
      return s;
    }
    Aligned.Builder b = new Aligned.Builder(s.length());
    int last = 0;
    do {
      if (m.end() == m.start()) {
        continue;
      }
      b.copy(s, last, m.start());
      // Hugging Face aligns the replacement with the last character it replaces
      int lastChar = m.end() - Character.charCount(s.text.codePointBefore(m.end()));
      b.append(content, s.originalBegin(lastChar, m.end()), s.originalEnd(lastChar, m.end()));
      last = m.end();
    } while (m.find());
    b.copy(s, last, s.length());
    return b.build();
  }

  private static Aligned prepend(Aligned s, String prefix) {
    Aligned.Builder b = new Aligned.Builder(s.length() + prefix.length());
    // the prefix covers what the first character covers, as in Hugging Face
    b.append(prefix, s.originalBegin(0, 1), s.originalEnd(0, 1));
    b.copy(s, 0, s.length());
    return b.build();
  }

  private static UnaryOperator<Aligned> precompiled(JsonNode node, Spec spec) {
    JsonNode map = node.get("precompiled_charsmap");
    if (map == null || map.isNull()) {
      return UnaryOperator.identity();
    }
    PrecompiledCharsMap charsMap;
    try {
      charsMap = new PrecompiledCharsMap(Base64.getDecoder().decode(map.asText()));
    } catch (IllegalArgumentException e) {
      throw spec.invalid("normalizer Precompiled: " + e.getMessage());
    }
    return charsMap::apply;
  }

  /** SentencePiece's nmt rules: controls dropped, odd spaces made spaces. */
  private static Aligned nmt(Aligned s) {
    return s.mapCodePoints(
        cp -> {
          if ((cp >= 0x1 && cp <= 0x8)
              || cp == 0xB
              || (cp >= 0xE && cp <= 0x1F)
              || cp == 0x7F
              || cp == 0x8F
              || cp == 0x9F) {
            return "";
          }
          if (cp == 0x9
              || cp == 0xA
              || cp == 0xC
              || cp == 0xD
              || cp == 0x1680
              || (cp >= 0x200B && cp <= 0x200F)
              || cp == 0x2028
              || cp == 0x2029
              || cp == 0x2581
              || cp == 0xFEFF
              || cp == 0xFFFD) {
            return " ";
          }
          return null;
        });
  }
}
