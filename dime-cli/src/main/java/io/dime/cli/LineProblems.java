package io.dime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.dime.core.io.Json;
import io.dime.core.io.JsonPaths;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Why a line of a run's file cannot be read, in the file's terms: the field and what is wrong with
 * it ("field 'classes' is missing or null", "field 'classes[0].output' must be a number", "not
 * valid JSON at column 12: 'NaN' is not a JSON number"), instead of the mapper's texts (Java class
 * and variable names, parser-feature advice, "Source: REDACTED").
 */
final class LineProblems {
  private LineProblems() {}

  /**
   * The problem of {@code e}, thrown reading {@code text}.
   *
   * @param text the line read (to find which fields a record was built without)
   */
  static String describe(IOException e, String text) {
    if (e instanceof UnrecognizedPropertyException u) {
      List<JsonMappingException.Reference> refs = u.getPath();
      String in = JsonPaths.path(refs.subList(0, Math.max(0, refs.size() - 1)));
      return "unknown field '"
          + u.getPropertyName()
          + "'"
          + (in.isEmpty() ? "" : " in '" + in + "'");
    }
    if (e instanceof ValueInstantiationException v) {
      String in = JsonPaths.path(v.getPath());
      List<String> missing = missing(v, text);
      if (!missing.isEmpty()) {
        String at = in.isEmpty() ? "" : in + ".";
        return (missing.size() == 1 ? "field '" : "fields '")
            + at
            + String.join("', '" + at, missing)
            + (missing.size() == 1 ? "' is" : "' are")
            + " missing or null";
      }
      Throwable cause = v.getCause();
      String why =
          cause instanceof IllegalArgumentException && cause.getMessage() != null
              ? cause.getMessage()
              : "a value is missing or not allowed";
      return (in.isEmpty() ? "the record" : "'" + in + "'") + " cannot be read: " + why;
    }
    if (e instanceof MismatchedInputException m) {
      String in = JsonPaths.path(m.getPath());
      String what = m.getTargetType() == null ? "of another type" : kind(m.getTargetType());
      return (in.isEmpty() ? "the line" : "field '" + in + "'") + " must be " + what;
    }
    if (e instanceof JsonMappingException m) {
      String in = JsonPaths.path(m.getPath());
      return (in.isEmpty() ? "the line" : "field '" + in + "'") + " cannot be read";
    }
    if (e instanceof JsonProcessingException j) {
      return syntax(j);
    }
    return e.getMessage() == null ? "cannot be read" : e.getMessage();
  }

  /** A JSON syntax error: where, and the parser's reason without its advice. */
  static String syntax(JsonProcessingException j) {
    String reason = reason(j);
    var at = j.getLocation();
    String where = at == null || at.getColumnNr() < 1 ? "" : " at column " + at.getColumnNr();
    return "not valid JSON" + where + (reason.isEmpty() ? "" : ": " + reason);
  }

  /**
   * The parser's reason in plain words: its first line, without its advice ("enable
   * JsonReadFeature... to allow") and character codes; "'NaN' is not a JSON number" for a
   * non-standard number.
   */
  static String reason(JsonProcessingException j) {
    String reason = j.getOriginalMessage() == null ? "" : j.getOriginalMessage();
    reason = reason.lines().findFirst().orElse("");
    java.util.regex.Matcher nonNumber =
        java.util.regex.Pattern.compile("^Non-standard token '([^']*)'").matcher(reason);
    if (nonNumber.find()) {
      return "'" + nonNumber.group(1) + "' is not a JSON number";
    }
    return reason
        .replaceAll(":? *enable `?[A-Za-z.]+`? to allow.*$", "")
        .replaceAll(" \\(code \\d+\\)", "")
        .replaceAll(" \\(for [^)]*\\)", "")
        .replaceAll(" \\(in Java[^)]*\\)", "")
        .trim();
  }

  /** The fields of the record {@code v} was building that the line lacks or has as null. */
  private static List<String> missing(ValueInstantiationException v, String text) {
    List<String> out = new ArrayList<>();
    Class<?> type = v.getType() == null ? null : v.getType().getRawClass();
    if (type == null || !type.isRecord()) {
      return out;
    }
    JsonNode node;
    try {
      node = Json.mapper().readTree(text);
    } catch (IOException e) {
      return out;
    }
    for (JsonMappingException.Reference r : v.getPath()) {
      node = r.getFieldName() != null ? node.path(r.getFieldName()) : node.path(r.getIndex());
    }
    if (!node.isObject()) {
      return out;
    }
    for (RecordComponent c : type.getRecordComponents()) {
      if (c.getType().isPrimitive() || c.getType() == java.util.Optional.class) {
        continue;
      }
      JsonNode f = node.get(c.getName());
      if (f == null || f.isNull()) {
        out.add(c.getName());
      }
    }
    return out;
  }

  /** What a value of {@code type} looks like in the file. */
  private static String kind(Class<?> type) {
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "an object";
    }
    if (type == String.class) {
      return "a string";
    }
    if (Number.class.isAssignableFrom(type)
        || type == int.class
        || type == long.class
        || type == double.class
        || type == float.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    return "of another type";
  }
}
