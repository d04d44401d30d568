package io.dime.core.job;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.dime.api.Datapoint;
import io.dime.api.InputException;
import io.dime.api.RecordError;
import io.dime.api.run.RecordSource;
import io.dime.api.run.SourceRecord;
import io.dime.core.infer.HeapAdvice;
import io.dime.core.io.Json;
import io.dime.spi.JsonValues;
import io.dime.spi.Modality;
import io.dime.spi.ReadContext;
import java.io.IOException;
import java.io.UncheckedIOException;
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
public final class JsonlManifest implements RereadableSource {
  /** The longest manifest line read (an inline base64 image fits); a longer one is an error. */
  public static final int MAX_LINE_BYTES = 64 << 20;

  private final Path file;
  private final List<Modality<?>> modalities;
  private final Path base;
  private final Path dataRoot;
  private final boolean allowOutside;
  private final LineReader reader;
  private final Map<String, Integer> seen = new HashMap<>();
  // where each record's line lies (for readAgain), in file order: its number, its text's first
  // byte and its length; by record, not by line number, so that blank lines cost nothing
  private int[] lineNumbers = new int[1024];
  private long[] starts = new long[1024];
  private int[] lengths = new int[1024];
  private int placed;
  private final MovedLines moved;

  private JsonlManifest(
      Path file, List<Modality<?>> modalities, Path dataRoot, boolean allowOutside)
      throws IOException {
    this.file = requireNonNull(file, "file is null");
    this.modalities = List.copyOf(modalities);
    this.base = file.toAbsolutePath().getParent();
    this.dataRoot = dataRoot == null ? base : dataRoot;
    this.allowOutside = allowOutside;
    this.reader = new LineReader(Files.newInputStream(file), MAX_LINE_BYTES);
    this.moved = new MovedLines(file);
  }

  /**
   * Opens a manifest whose data root is its own folder; its records are read one at a time, in file
   * order.
   *
   * @throws IOException when the file cannot be opened
   */
  public static JsonlManifest open(Path file, List<Modality<?>> modalities) throws IOException {
    return new JsonlManifest(file, modalities, null, false);
  }

  /**
   * Opens a manifest.
   *
   * @param dataRoot the folder every file a record names must lie under; null for the manifest's
   * @param allowOutside whether files outside the data root may be read
   * @throws IOException when the file cannot be opened
   */
  public static JsonlManifest open(
      Path file, List<Modality<?>> modalities, Path dataRoot, boolean allowOutside)
      throws IOException {
    return new JsonlManifest(file, modalities, dataRoot, allowOutside);
  }

  /**
   * Every record of a manifest whose data root is its own folder, in file order.
   *
   * @throws UncheckedIOException when the file cannot be read
   */
  public static List<SourceRecord> readAll(Path file, List<Modality<?>> modalities) {
    return readAll(file, modalities, null, false);
  }

  /**
   * Every record of a manifest, in file order.
   *
   * @param dataRoot the folder every file a record names must lie under; null for the manifest's
   * @param allowOutside whether files outside the data root may be read
   * @throws UncheckedIOException when the file cannot be read
   * @throws IllegalArgumentException when the records' inputs do not fit in the heap, naming the
   *     file and how many records were read (they are all held, decoded, as the reference pool)
   */
  public static List<SourceRecord> readAll(
      Path file, List<Modality<?>> modalities, Path dataRoot, boolean allowOutside) {
    try (JsonlManifest m = open(file, modalities, dataRoot, allowOutside)) {
      List<SourceRecord> out = new ArrayList<>();
      try {
        for (Optional<SourceRecord> r = m.next(); r.isPresent(); r = m.next()) {
          out.add(r.get());
        }
      } catch (OutOfMemoryError e) {
        int read = out.size();
        out = null; // what was read goes, so that there is room to say so
        if (read == 0) {
          throw e; // one record too large for the heap: no file of fewer records helps
        }
        throw new IllegalArgumentException(tooLarge(file, read), e);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read manifest " + file, e);
    }
  }

  private static String tooLarge(Path file, int read) {
    return "the records of "
        + file
        + " do not fit in the heap ("
        + Runtime.getRuntime().maxMemory() / (1 << 20)
        + " MB at most): it ran out after "
        + String.format(java.util.Locale.ROOT, "%,d", read)
        + " of its records, each read, decoded, to be held for the whole run as the reference"
        + " pool (without --pool-size every readable record of the pool's file is in it); give"
        + " --pool-size N for a smaller pool chosen among them (the records are then read one at a"
        + " time and only the chosen ones held), or "
        + HeapAdvice.MORE_HEAP;
  }

  @Override
  public String description() {
    return file.toString();
  }

  @Override
  public Optional<SourceRecord> next() throws IOException {
    LineReader.Line line;
    do {
      line = reader.next();
      if (line == null) {
        return Optional.empty();
      }
      if (line.problem() != null) {
        return Optional.of(failed(line.number(), null, line.problem()));
      }
    } while (line.text().isBlank());
    at(line.number(), reader.textStart(), reader.textLength());
    return Optional.of(
        record(line.number(), line.text().strip(), base, dataRoot, allowOutside, modalities, seen));
  }

  private synchronized void at(int line, long start, int length) {
    if (placed == starts.length) {
      int n = (int) Math.min(Integer.MAX_VALUE - 8L, 2L * starts.length);
      lineNumbers = java.util.Arrays.copyOf(lineNumbers, n);
      starts = java.util.Arrays.copyOf(starts, n);
      lengths = java.util.Arrays.copyOf(lengths, n);
    }
    lineNumbers[placed] = line; // increasing: a binary search finds a line
    starts[placed] = start;
    lengths[placed] = length;
    placed++;
  }

  /**
   * Reads a record this manifest delivered again, from its line's place in the file, with the same
   * data root: the record as it was, or an unreadable one when its line or a file it names changed
   * since (their digest differs) or can no longer be read. When an edit elsewhere in the file moved
   * the line (a line before it made longer or shorter, added or removed), the record is read where
   * a line with its id is now, and is the record as it was when it reads the same. The file is
   * opened for each call, so this works from any thread and after {@link #close()}.
   */
  @Override
  public SourceRecord readAgain(SourceRecord planned) {
    if (!planned.readable()) {
      return planned;
    }
    long start;
    int length;
    synchronized (this) {
      int line = planned.line();
      int at = java.util.Arrays.binarySearch(lineNumbers, 0, placed, line);
      if (at < 0) {
        throw new IllegalArgumentException(
            "record '"
                + planned.id().orElse("?")
                + "' was not read from line "
                + line
                + " of "
                + file);
      }
      start = starts[at];
      length = lengths[at];
    }
    SourceRecord again = readAt(planned, start, length);
    if (again.readable() || !Files.exists(file)) {
      return again;
    }
    // an edit elsewhere may have moved the line: the record is read where its id is now, and what
    // is there says why when it is not the record as it was (the old place holds another line)
    SourceRecord first = null;
    List<MovedLines.Place> places = moved.find(planned.id().orElseThrow());
    for (MovedLines.Place p : places == null ? List.<MovedLines.Place>of() : places) {
      if (p.start() != start || p.length() != length) {
        SourceRecord there = readAt(planned, p.start(), p.length());
        if (there.readable()) {
          return there;
        }
        first = first == null ? there : first;
      }
    }
    if (first == null && places != null && places.isEmpty() && !wholeLine(start, length)) {
      // what the old place holds now is part of other lines (which it would name as its own
      // "line N", not JSON, perhaps with another record's id): the record's line is gone
      return RereadableSource.changed(
          planned,
          "changed while the job ran: no line of "
              + file
              + " has its id now (its line was removed, or its id changed)");
    }
    return first == null ? again : first;
  }

  /**
   * Whether these bytes of the file are one whole line of it now (or reach past its end, or cannot
   * be read: what reading them says is then the reason); not when an edit moved other lines' bytes
   * there.
   */
  private boolean wholeLine(long start, int length) {
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
      long size = ch.size();
      if (start + length > size) {
        return true;
      }
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(3);
      if (start > 0) {
        boolean bom = start == 3 && ch.read(b, 0) == 3 && LineReader.startsWithBom(b.array());
        b.clear().limit(1);
        if (!bom && (ch.read(b, start - 1) != 1 || b.get(0) != '\n')) {
          return false;
        }
      }
      b.clear().limit(1);
      return start + length == size
          || (ch.read(b, start + length) == 1 && (b.get(0) == '\n' || b.get(0) == '\r'));
    } catch (IOException e) {
      return true;
    }
  }

  /** The record read from the given bytes of the file, or why it is not the planned one now. */
  private SourceRecord readAt(SourceRecord planned, long start, int length) {
    String text;
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(length);
      while (buf.hasRemaining()) {
        if (ch.read(buf, start + buf.position()) < 0) {
          return RereadableSource.changed(
              planned, "changed while the job ran: " + file + " is shorter now");
        }
      }
      buf.flip();
      text = java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(buf).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return RereadableSource.changed(
          planned,
          "changed while the job ran: its line (" + planned.line() + ") is no longer UTF-8 text");
    } catch (java.nio.file.NoSuchFileException e) {
      return RereadableSource.changed(
          planned, "could not be read again while the job ran: " + file + " no longer exists");
    } catch (IOException e) {
      return RereadableSource.unreadableAgain(planned, e);
    }
    SourceRecord again =
        record(
            planned.line(),
            text.strip(),
            base,
            dataRoot,
            allowOutside,
            modalities,
            new HashMap<>());
    if (!again.readable()) {
      // the reading's own message names the record as the line now has it: said once, not twice
      String why = again.error().get().message();
      String named = "record '" + planned.id().orElse("?") + "': ";
      return RereadableSource.changed(
          planned,
          "changed while the job ran and cannot be read now: "
              + (why.startsWith(named) ? why.substring(named.length()) : why));
    }
    if (!again.id().equals(planned.id()) || !again.inputDigest().equals(planned.inputDigest())) {
      return RereadableSource.changed(
          planned,
          "changed while the job ran: its line ("
              + planned.line()
              + ") or a file it names is not what was read when the job began");
    }
    return again;
  }

  /**
   * One manifest line read as a manifest reads it, on its own (so without the repeated-id check):
   * another machine reads a record of a job this way, with the job's data root.
   *
   * @param line the line's 1-based number in its manifest
   * @param text the line
   * @param base the manifest's folder, against which relative paths resolve
   * @param dataRoot the folder every file the line names must lie under; null for {@code base}
   * @param allowOutside whether files outside the data root may be read
   * @return the record (with the digest of its inputs), or an unreadable record naming the line and
   *     the problem
   */
  public static SourceRecord readLine(
      int line,
      String text,
      Path base,
      Path dataRoot,
      boolean allowOutside,
      List<Modality<?>> modalities) {
    return record(
        line,
        text.strip(),
        base,
        dataRoot == null ? base : dataRoot,
        allowOutside,
        modalities,
        new HashMap<>());
  }

  /**
   * Some lines of a manifest, read as a manifest reads them (strict UTF-8, {@code \r\n} or {@code
   * \n}, a byte-order mark dropped), so that their numbers are the records' line numbers.
   *
   * @param numbers the 1-based line numbers wanted
   * @return each wanted line that exists and decodes, by number
   * @throws UncheckedIOException when the file cannot be read
   */
  public static Map<Integer, String> lines(Path file, java.util.Set<Integer> numbers) {
    Map<Integer, String> out = new HashMap<>();
    try (LineReader reader = new LineReader(Files.newInputStream(file), MAX_LINE_BYTES)) {
      for (LineReader.Line l = reader.next();
          l != null && out.size() < numbers.size();
          l = reader.next()) {
        if (l.problem() == null && numbers.contains(l.number())) {
          out.put(l.number(), l.text());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read manifest " + file, e);
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  /**
   * Reads a line; a field given twice (two ids, a modality twice) fails rather than the last
   * winning, and so does anything after the line's object (two records joined on one line would
   * otherwise read as the first alone).
   */
  // A string may be as long as a line (an inline base64 image): Jackson's default limit of 20
  // million characters refused inline images over about 15 MB on lines the reader allows
  private static final com.fasterxml.jackson.databind.ObjectReader STRICT =
      com.fasterxml.jackson.databind.json.JsonMapper.builder(
              com.fasterxml.jackson.core.JsonFactory.builder()
                  .streamReadConstraints(
                      com.fasterxml.jackson.core.StreamReadConstraints.builder()
                          .maxStringLength(MAX_LINE_BYTES)
                          .build())
                  .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                  .build())
          .build()
          .reader()
          .with(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Why line {@code line} could not be parsed, in words. */
  private static String notJson(int line, JsonProcessingException e) {
    if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException
        && e.getOriginalMessage() != null
        && e.getOriginalMessage().startsWith("Trailing token")) {
      return "line "
          + line
          + " goes on after its JSON object (a second record or other text); each line holds one"
          + " record";
    }
    // the parser quotes a character outside the BMP as its first half: keep the text writable
    return "line " + line + " is not valid JSON: " + wellFormed(plain(e.getOriginalMessage()));
  }

  private static SourceRecord record(
      int line,
      String text,
      Path base,
      Path dataRoot,
      boolean allowOutside,
      List<Modality<?>> modalities,
      Map<String, Integer> seen) {
    JsonNode node;
    try {
      node = STRICT.readTree(text);
    } catch (JsonProcessingException e) {
      // the id, when it is read before what breaks the line, names the record
      return named(line, writableId(MovedLines.idOf(text)), notJson(line, e));
    }
    if (node == null || !node.isObject()) {
      return failed(line, null, "line " + line + " is not a JSON object");
    }
    String broken = loneSurrogate(node);
    if (broken != null) {
      JsonNode id = node.get("id");
      return named(
          line,
          writableId(id != null && id.isTextual() ? id.asText() : null),
          "line "
              + line
              + " holds text that is not valid Unicode (an unpaired surrogate \\u"
              + broken
              + ")");
    }
    JsonNode idNode = node.get("id");
    if (idNode == null || idNode.isNull()) {
      return failed(line, null, "line " + line + " has no 'id'");
    }
    if (!idNode.isTextual() || idNode.asText().isBlank()) {
      return failed(
          line,
          null,
          "line "
              + line
              + ": 'id' must be a non-empty string, found "
              + JsonValues.describe(Json.mapper().convertValue(idNode, Object.class)));
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
    ReadContext ctx = new ReadContext(base, id, dataRoot, allowOutside);
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
    return SourceRecord.of(line, new Datapoint(id, values, label), digest(text, ctx));
  }

  /**
   * The first unpaired UTF-16 surrogate (as 4 hex digits) in a string or field name of the tree, or
   * null: such text (a JSON escape like {@code \ud800}) cannot be written as UTF-8.
   */
  private static String loneSurrogate(JsonNode n) {
    if (n.isTextual()) {
      return loneSurrogate(n.asText());
    }
    java.util.Iterator<Map.Entry<String, JsonNode>> fields = n.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String s = loneSurrogate(f.getKey());
      s = s != null ? s : loneSurrogate(f.getValue());
      if (s != null) {
        return s;
      }
    }
    for (JsonNode e : n) {
      if (!n.isObject()) {
        String s = loneSurrogate(e);
        if (s != null) {
          return s;
        }
      }
    }
    return null;
  }

  /** A line's error, named by the record's id when there is one, as every record error is. */
  private static SourceRecord named(int line, String id, String message) {
    return failed(line, id, id == null ? message : "record '" + id + "': " + message);
  }

  /** An id that names a record in an error: not blank, valid Unicode; else null. */
  private static String writableId(String id) {
    return id == null || id.isBlank() || loneSurrogate(id) != null ? null : id;
  }

  private static String loneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return String.format("%04x", (int) c);
      }
    }
    return null;
  }

  /**
   * The parser's message without its advice on parser features (which a user of the command line
   * cannot set): "Non-standard token 'NaN': enable `JsonReadFeature...` to allow" becomes "'NaN' is
   * not a JSON value (JSON has no NaN or Infinity)".
   */
  static String plain(String s) {
    if (s == null) {
      return "unreadable";
    }
    java.util.regex.Matcher token =
        java.util.regex.Pattern.compile("Non-standard token '([^']*)': enable `[^`]*` to allow")
            .matcher(s);
    if (token.find()) {
      return "'"
          + token.group(1)
          + "' is not a JSON value (JSON has no NaN or Infinity)"
          + s.substring(token.end());
    }
    return s.replaceAll(": enable `[^`]*` to allow", "")
        .replaceAll(", from `StreamReadConstraints\\.[A-Za-z]+\\(\\)`\\)", ")")
        .replaceAll(
            " \\(not recognized as one since Feature '[A-Z_]+' not enabled for parser\\)", "")
        .replaceAll(" \\(`[A-Za-z.]+Feature\\.[A-Z_]+` not enabled\\)", "");
  }

  /** {@code s} with each unpaired surrogate replaced by U+FFFD, so that it can be written. */
  static String wellFormed(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return out.toString();
  }

  /** SHA-256 of the record's line and of the digest of the files it names. */
  private static String digest(String line, ReadContext ctx) {
    return io.dime.core.Versions.sha256(line + "\n" + ctx.filesDigest());
  }

  private static SourceRecord failed(int line, String id, String message) {
    return SourceRecord.unreadable(new RecordError(Optional.ofNullable(id), line, "read", message));
  }
}
