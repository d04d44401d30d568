package io.dime.modality.text.hf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reading one tokenizer.json: typed access to its nodes, with errors that name the file. */
final class Spec {
  private final String file;

  Spec(String file) {
    this.file = file;
  }

  TokenizerFileException invalid(String what) {
    return new TokenizerFileException("tokenizer file '" + file + "': " + what);
  }

  TokenizerFileException unsupported(String section, String type, List<String> supported) {
    return new TokenizerFileException(
        "tokenizer file '"
            + file
            + "': "
            + section
            + " '"
            + type
            + "' is not supported; supported: "
            + supported);
  }

  String type(JsonNode node, String section) {
    JsonNode t = node.get("type");
    if (t == null || !t.isTextual()) {
      throw invalid(section + " has no \"type\": " + abbreviate(node.toString()));
    }
    return t.asText();
  }

  String string(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw invalid("field \"" + field + "\" missing or not a string in " + abbreviate(node));
    }
    return v.asText();
  }

  boolean bool(JsonNode node, String field, boolean dflt) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isBoolean()) {
      throw invalid("field \"" + field + "\" is not a boolean in " + abbreviate(node));
    }
    return v.asBoolean();
  }

  Iterable<JsonNode> array(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isArray()) {
      throw invalid("field \"" + field + "\" missing or not a list in " + abbreviate(node));
    }
    return v;
  }

  /**
   * An id the file gives for the model: a whole number from 0 to {@code size - 1} ({@code asInt}
   * made 2 of 2.5 and 0 of "x", and wrapped a number beyond int around).
   *
   * @param field the field, for the message: "padding.pad_id"
   * @param of whose ids they are, for the message: "the file's 30522 ids"
   */
  int id(JsonNode v, String field, int size, String of) {
    if (v == null
        || !v.isIntegralNumber()
        || !v.canConvertToInt()
        || v.asInt() < 0
        || v.asInt() >= size) {
      throw invalid(field + " is " + v + ", not an id of " + of + " (0 to " + (size - 1) + ")");
    }
    return v.asInt();
  }

  /** A whole number from 0 to {@link Integer#MAX_VALUE}: an id before the ids are known. */
  int whole(JsonNode v, String field) {
    if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0) {
      throw invalid(field + " is " + v + ", not a whole number from 0 to " + Integer.MAX_VALUE);
    }
    return v.asInt();
  }

  /** A {@code {"String": s}} (literal) or {@code {"Regex": r}} pattern. */
  Pattern pattern(JsonNode node, String where) {
    if (node != null && node.hasNonNull("String")) {
      return Pattern.compile(Pattern.quote(node.get("String").asText()));
    }
    if (node != null && node.hasNonNull("Regex")) {
      String regex = node.get("Regex").asText();
      try {
        return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
      } catch (PatternSyntaxException e) {
        throw invalid(where + ": regular expression not understood: " + e.getDescription());
      }
    }
    throw invalid(where + ": pattern is neither {\"String\": ...} nor {\"Regex\": ...}");
  }

  static String abbreviate(Object o) {
    String s = String.valueOf(o);
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }
}
