package io.dime.core.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.dime.api.Datapoint;
import io.dime.api.InputException;
import io.dime.core.io.Json;
import io.dime.spi.Modality;
import io.dime.spi.ReadContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSONL manifest: one object per line with an {@code id}, one field per modality and an optional
 * {@code label}. A line that cannot be read becomes an entry with an error instead of ending the
 * job; blank lines are skipped.
 */
public final class Manifest {
  /**
   * One non-blank line: a datapoint, or the reason it could not be read.
   *
   * @param line 1-based line number in the file
   * @param id the record id, or null when the line has none
   * @param datapoint the datapoint (null when {@code error} is set)
   * @param stage the error stage ("read"), or null
   * @param error the problem, or null
   */
  public record Entry(int line, String id, Datapoint datapoint, String stage, String error) {
    public boolean ok() {
      return datapoint != null;
    }

    /** The error of a failed entry. */
    public io.dime.api.RecordError recordError() {
      return new io.dime.api.RecordError(Optional.ofNullable(id), line, stage, error);
    }
  }

  private Manifest() {}

  /** Reads every non-blank line of {@code file} with the modalities' readers. */
  public static List<Entry> read(Path file, List<Modality<?>> modalities) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read manifest " + file, e);
    }
    Path base = file.toAbsolutePath().getParent();
    List<Entry> out = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i).strip();
      if (text.isEmpty()) {
        continue;
      }
      out.add(entry(i + 1, text, base, modalities, seen));
    }
    return out;
  }

  private static Entry entry(
      int line, String text, Path base, List<Modality<?>> modalities, Map<String, Integer> seen) {
    JsonNode node;
    try {
      node = Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      return new Entry(
          line,
          null,
          null,
          "read",
          "line " + line + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      return new Entry(line, null, null, "read", "line " + line + " is not a JSON object");
    }
    JsonNode idNode = node.get("id");
    if (idNode == null || idNode.isNull()) {
      return new Entry(line, null, null, "read", "line " + line + " has no 'id'");
    }
    if (!idNode.isTextual() || idNode.asText().isBlank()) {
      return new Entry(
          line, null, null, "read", "line " + line + ": 'id' must be a non-empty string");
    }
    String id = idNode.asText();
    Integer first = seen.putIfAbsent(id, line);
    if (first != null) {
      return new Entry(
          line,
          id,
          null,
          "read",
          "record '" + id + "': duplicate id (first on line " + first + ")");
    }
    Optional<String> label = Optional.empty();
    JsonNode l = node.get("label");
    if (l != null && !l.isNull()) {
      if (!l.isTextual() && !l.isNumber()) {
        return new Entry(
            line, id, null, "read", "record '" + id + "': 'label' must be a string or a number");
      }
      label = Optional.of(l.asText());
    }
    Map<String, Object> values = new LinkedHashMap<>();
    ReadContext ctx = new ReadContext(base, id);
    for (Modality<?> m : modalities) {
      JsonNode field = node.get(m.name());
      if (field == null || field.isNull()) {
        return new Entry(
            line, id, null, "read", "record '" + id + "': missing modality '" + m.name() + "'");
      }
      try {
        Object plain = Json.mapper().treeToValue(field, Object.class);
        values.put(m.name(), m.read(plain, ctx));
      } catch (InputException e) {
        String msg = e.getMessage();
        return new Entry(
            line,
            id,
            null,
            "read",
            msg.startsWith("record '") ? msg : "record '" + id + "': " + msg);
      } catch (RuntimeException | JsonProcessingException e) {
        return new Entry(
            line,
            id,
            null,
            "read",
            "record '" + id + "': modality '" + m.name() + "' cannot be read: " + e.getMessage());
      }
    }
    return new Entry(line, id, new Datapoint(id, values, label), null, null);
  }
}
