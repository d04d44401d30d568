package io.dime.core.job;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.dime.api.Datapoint;
import io.dime.api.InputException;
import io.dime.api.RecordError;
import io.dime.api.run.RecordSource;
import io.dime.api.run.SourceRecord;
import io.dime.core.io.Json;
import io.dime.spi.Modality;
import io.dime.spi.ReadContext;
import java.io.BufferedReader;
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
 * A JSONL manifest as a {@link RecordSource}: one object per line with an {@code id}, one field per
 * modality (read by the modality's plugin; relative paths resolve against the manifest's folder)
 * and an optional {@code label}. A line that cannot be read becomes an unreadable record naming the
 * line and the problem instead of ending the job; blank lines are skipped; a repeated id is an
 * error naming the line of the first.
 *
 * <pre>{@code
 * try (RecordSource source = JsonlManifest.open(Path.of("data.jsonl"), modalities)) {
 *   ExplanationJob.builder(dime).source(source)...
 * }
 * }</pre>
 */
public final class JsonlManifest implements RecordSource {
  private final Path file;
  private final List<Modality<?>> modalities;
  private final Path base;
  private final BufferedReader reader;
  private final Map<String, Integer> seen = new HashMap<>();
  private int lineNumber;

  private JsonlManifest(Path file, List<Modality<?>> modalities) throws IOException {
    this.file = requireNonNull(file, "file is null");
    this.modalities = List.copyOf(modalities);
    this.base = file.toAbsolutePath().getParent();
    this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
  }

  /**
   * Opens a manifest; its records are read one at a time, in file order.
   *
   * @throws IOException when the file cannot be opened
   */
  public static JsonlManifest open(Path file, List<Modality<?>> modalities) throws IOException {
    return new JsonlManifest(file, modalities);
  }

  /**
   * Every record of a manifest, in file order.
   *
   * @throws UncheckedIOException when the file cannot be read
   */
  public static List<SourceRecord> readAll(Path file, List<Modality<?>> modalities) {
    try (JsonlManifest m = open(file, modalities)) {
      List<SourceRecord> out = new ArrayList<>();
      for (Optional<SourceRecord> r = m.next(); r.isPresent(); r = m.next()) {
        out.add(r.get());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read manifest " + file, e);
    }
  }

  @Override
  public String description() {
    return file.toString();
  }

  @Override
  public Optional<SourceRecord> next() throws IOException {
    String text;
    do {
      text = reader.readLine();
      if (text == null) {
        return Optional.empty();
      }
      lineNumber++;
      text = text.strip();
    } while (text.isEmpty());
    return Optional.of(record(lineNumber, text, base, modalities, seen));
  }

  /**
   * One manifest line read as a manifest reads it, on its own (so without the repeated-id check):
   * another machine reads a record of a job this way.
   *
   * @param line the line's 1-based number in its manifest
   * @param text the line
   * @param base the manifest's folder, against which relative paths resolve
   * @return the record, or an unreadable record naming the line and the problem
   */
  public static SourceRecord readLine(
      int line, String text, Path base, List<Modality<?>> modalities) {
    return record(line, text.strip(), base, modalities, new HashMap<>());
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  private static SourceRecord record(
      int line, String text, Path base, List<Modality<?>> modalities, Map<String, Integer> seen) {
    JsonNode node;
    try {
      node = Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      return failed(line, null, "line " + line + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      return failed(line, null, "line " + line + " is not a JSON object");
    }
    JsonNode idNode = node.get("id");
    if (idNode == null || idNode.isNull()) {
      return failed(line, null, "line " + line + " has no 'id'");
    }
    if (!idNode.isTextual() || idNode.asText().isBlank()) {
      return failed(line, null, "line " + line + ": 'id' must be a non-empty string");
    }
    String id = idNode.asText();
    Integer first = seen.putIfAbsent(id, line);
    if (first != null) {
      return failed(line, id, "record '" + id + "': duplicate id (first on line " + first + ")");
    }
    Optional<String> label = Optional.empty();
    JsonNode l = node.get("label");
    if (l != null && !l.isNull()) {
      if (!l.isTextual() && !l.isNumber()) {
        return failed(line, id, "record '" + id + "': 'label' must be a string or a number");
      }
      label = Optional.of(l.asText());
    }
    Map<String, Object> values = new LinkedHashMap<>();
    ReadContext ctx = new ReadContext(base, id);
    for (Modality<?> m : modalities) {
      JsonNode field = node.get(m.name());
      if (field == null || field.isNull()) {
        return failed(line, id, "record '" + id + "': missing modality '" + m.name() + "'");
      }
      try {
        Object plain = Json.mapper().treeToValue(field, Object.class);
        values.put(m.name(), m.read(plain, ctx));
      } catch (InputException e) {
        String msg = e.getMessage();
        return failed(line, id, msg.startsWith("record '") ? msg : "record '" + id + "': " + msg);
      } catch (RuntimeException | JsonProcessingException e) {
        return failed(
            line,
            id,
            "record '" + id + "': modality '" + m.name() + "' cannot be read: " + e.getMessage());
      }
    }
    return SourceRecord.of(line, new Datapoint(id, values, label));
  }

  private static SourceRecord failed(int line, String id, String message) {
    return SourceRecord.unreadable(new RecordError(Optional.ofNullable(id), line, "read", message));
  }
}
