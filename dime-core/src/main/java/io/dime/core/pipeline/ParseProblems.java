package io.dime.core.pipeline;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.dime.core.io.JsonPaths;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A pipeline file's parse failure in the file's own terms: which key, where (line and column), and
 * what was expected, instead of the mapper's Java class names and parser-feature advice. For
 * example "unknown key 'setings' in modalities[0]; allowed there: name, plugin, settings" (the
 * parser reports where it stopped, after the key's value, so an unknown key's place is its path).
 */
final class ParseProblems {
  private ParseProblems() {}

  static String describe(IOException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      List<JsonMappingException.Reference> path = u.getPath();
      String in = JsonPaths.path(path.subList(0, Math.max(0, path.size() - 1)));
      TreeSet<String> known = new TreeSet<>();
      Collection<Object> ids = u.getKnownPropertyIds();
      if (ids != null) {
        ids.forEach(id -> known.add(String.valueOf(id)));
      }
      return "unknown key '"
          + u.getPropertyName()
          + "'"
          + (in.isEmpty() ? "" : " in " + in)
          + (known.isEmpty() ? "" : "; allowed there: " + String.join(", ", known));
    }
    if (e instanceof MismatchedInputException m
        && m.getOriginalMessage() != null
        && m.getOriginalMessage().startsWith("Trailing token")) {
      return "the file goes on after the pipeline: a second YAML document (after '---') or more"
          + " text; a pipeline file holds one document"
          + at(m.getLocation());
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      String where = JsonPaths.path(m.getPath());
      return (where.isEmpty() ? "the file" : "'" + where + "'")
          + " must be "
          + kind(m.getTargetType())
          + at(m.getLocation());
    }
    MarkedYAMLException my = marked(e);
    if (my != null) {
      Mark mark = my.getProblemMark();
      String problem = my.getProblem() == null ? my.getContext() : my.getProblem();
      return "not valid YAML: "
          + (problem == null ? "unreadable" : problem)
          + (mark == null
              ? ""
              : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")");
    }
    if (e instanceof JsonMappingException m
        && !m.getPath().isEmpty()
        && m.getCause() instanceof JsonProcessingException cause
        && numberProblem(cause)) {
      // a value the parser cannot read as the number it goes to: "Numeric value (2147483648) out
      // of range of int" named no key
      return "'"
          + JsonPaths.path(m.getPath())
          + "': "
          + String.valueOf(cause.getOriginalMessage()).lines().findFirst().orElse("")
          + at(m.getLocation());
    }
    if (e instanceof JsonProcessingException j) {
      String m = j.getOriginalMessage() == null ? "unreadable" : j.getOriginalMessage();
      return m.replaceAll(": enable `[^`]*` to allow", "")
              .replaceAll(", from `StreamReadConstraints\\.[A-Za-z]+\\(\\)`\\)", ")")
              .lines()
              .findFirst()
              .orElse(m)
          + at(j.getLocation());
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason(); // its message is the path, already named, and then the reason
    }
    return String.valueOf(e.getMessage());
  }

  /** Whether {@code e} is the parser's failure to read a number: malformed, or out of range. */
  private static boolean numberProblem(JsonProcessingException e) {
    return e instanceof com.fasterxml.jackson.core.exc.InputCoercionException
        || String.valueOf(e.getOriginalMessage()).startsWith("Malformed numeric value");
  }

  /** The YAML parser's own exception behind {@code e}, or null. */
  private static MarkedYAMLException marked(Throwable e) {
    for (int depth = 0; e != null && depth < 8; depth++, e = e.getCause()) {
      if (e instanceof MarkedYAMLException m) {
        return m;
      }
    }
    return null;
  }

  /** " (line L, column C)", or nothing when the parser gave no place. */
  private static String at(JsonLocation l) {
    if (l == null || l.getLineNr() < 1) {
      return "";
    }
    return " (line "
        + l.getLineNr()
        + (l.getColumnNr() > 0 ? ", column " + l.getColumnNr() : "")
        + ")";
  }

  /** What a value of {@code type} looks like in the file. */
  private static String kind(Class<?> type) {
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "a mapping (key: value)";
    }
    if (type == String.class || CharSequence.class.isAssignableFrom(type)) {
      return "a string";
    }
    if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
      return "a whole number";
    }
    if (Number.class.isAssignableFrom(type) || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    return "a mapping of keys";
  }
}
