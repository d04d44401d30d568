package io.dime.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.run.SourceRecord;
import io.dime.core.modality.VectorModality;
import io.dime.spi.Modality;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSONL manifest reads line by line, strictly: a byte that is not UTF-8, an overlong line, a
 * broken JSON line are problems of their line only (named with its number), and every other line is
 * still read; a byte-order mark and CRLF line ends are fine; every readable record carries the
 * digest of its line.
 */
class JsonlManifestTest {
  private static final List<Modality<?>> MODS = List.of(VectorModality.of("v", 2));

  @Test
  void badBytesAndBadLinesFailAloneAndTheRestIsRead(@TempDir Path dir) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}); // BOM
    b.write("{\"id\": \"a\", \"v\": [1, 2]}\r\n".getBytes(StandardCharsets.UTF_8));
    b.write("{\"id\": \"b\", \"v\": [1, 2], \"label\": \"caf".getBytes(StandardCharsets.UTF_8));
    b.write(new byte[] {(byte) 0xE9}); // Latin-1 e-acute: not UTF-8
    b.write("\"}\n\n".getBytes(StandardCharsets.UTF_8));
    b.write(
        "{\"id\": \"c\", \"v\": [3, 4], \"label\": \"café\"}\n".getBytes(StandardCharsets.UTF_8));
    b.write("{not json\n".getBytes(StandardCharsets.UTF_8));
    b.write("{\"id\": \"d\", \"v\": [5, 6]}".getBytes(StandardCharsets.UTF_8)); // no final newline
    Path file = dir.resolve("m.jsonl");
    Files.write(file, b.toByteArray());

    List<SourceRecord> r = JsonlManifest.readAll(file, MODS);
    assertEquals(5, r.size());
    assertEquals("a", r.get(0).id().orElseThrow());
    assertEquals(1, r.get(0).line());
    String bad = r.get(1).error().orElseThrow().message();
    assertEquals(
        "line 2 is not UTF-8 text: byte 39 (0xE9) cannot start or continue a character", bad);
    assertEquals("café", r.get(2).datapoint().orElseThrow().label().orElseThrow());
    assertEquals(4, r.get(2).line(), "the blank line 3 counts");
    assertTrue(r.get(3).error().orElseThrow().message().startsWith("line 5 is not valid JSON"));
    assertEquals("d", r.get(4).id().orElseThrow());
    assertEquals(64, r.get(0).inputDigest().orElseThrow().length());
  }

  @Test
  void textThatIsNotValidUnicodeIsAProblemOfItsLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("s.jsonl");
    Files.writeString(
        file,
        "{\"id\": \"a\\ud800\", \"v\": [1, 2]}\n"
            + "{\"id\": \"b\", \"v\": [1, 2], \"label\": \"\\ud83d\\ude00\"}\n",
        StandardCharsets.UTF_8);
    List<SourceRecord> r = JsonlManifest.readAll(file, MODS);
    assertEquals(
        "line 1 holds text that is not valid Unicode (an unpaired surrogate \\ud800)",
        r.get(0).error().orElseThrow().message());
    assertEquals(Optional.empty(), r.get(0).error().orElseThrow().recordId(), "its id is broken");
    assertEquals("\ud83d\ude00", r.get(1).datapoint().orElseThrow().label().orElseThrow());
  }

  /**
   * A line that cannot be read is named by its id where the id itself reads (found by sweep 29:
   * such errors had no id, so the output and the report named them by line alone).
   */
  @Test
  void anUnreadableLineWhoseIdReadsIsNamedByIt(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("ids.jsonl");
    Files.writeString(
        file,
        "{\"id\": \"r1\", \"v\": [1, 2]]\n"
            + "{\"id\": \"r2\", \"v\": [1, 2], \"label\": \"\\udc00\"}\n"
            + "{\"v\": [1, 2], \"id\": \"r3\"\n"
            + "{\"id\": \"  \", \"v\": [1, 2}\n"
            + "{\"id\": \"r5\", \"v\": [1, 2]}\n",
        StandardCharsets.UTF_8);
    List<SourceRecord> r = JsonlManifest.readAll(file, MODS);
    assertEquals(Optional.of("r1"), r.get(0).error().orElseThrow().recordId());
    assertTrue(
        r.get(0)
            .error()
            .orElseThrow()
            .message()
            .startsWith("record 'r1': line 1 is not valid JSON"));
    assertEquals(Optional.of("r2"), r.get(1).error().orElseThrow().recordId());
    assertEquals(
        "record 'r2': line 2 holds text that is not valid Unicode (an unpaired surrogate \\udc00)",
        r.get(1).error().orElseThrow().message());
    assertEquals(Optional.of("r3"), r.get(2).error().orElseThrow().recordId());
    assertEquals(Optional.empty(), r.get(3).error().orElseThrow().recordId(), "a blank id");
    assertEquals("r5", r.get(4).id().orElseThrow());
  }

  @Test
  void anOverlongLineIsAProblemOfItsOwn() throws IOException {
    byte[] text = "short\nthis line is too long\nok\n".getBytes(StandardCharsets.UTF_8);
    try (LineReader lines = new LineReader(new ByteArrayInputStream(text), 10)) {
      assertEquals("short", lines.next().text());
      LineReader.Line l = lines.next();
      assertEquals("line 2 is longer than 10 bytes", l.problem());
      assertEquals("ok", lines.next().text());
      assertNull(lines.next());
    }
  }

  /**
   * Found by ManifestFuzzTest: a line that is one emoji (bytes F0 9F 98 80). The JSON parser quotes
   * the unexpected character as its high surrogate alone; the message must stay valid Unicode.
   */
  @Test
  void aLineStartingWithACharacterOutsideTheBmpGivesAWritableMessage(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("m.jsonl");
    Files.write(file, new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80});

    List<SourceRecord> r = JsonlManifest.readAll(file, MODS);
    assertEquals(1, r.size());
    String m = r.get(0).error().orElseThrow().message();
    assertTrue(m.startsWith("line 1 is not valid JSON: Unexpected character ('\uFFFD'"), m);
    assertTrue(m.chars().noneMatch(c -> Character.isSurrogate((char) c)), m);
    assertEquals(
        m, new String(m.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), "round trip");
  }

  @Test
  void parserMessagesLoseTheirAdviceOnParserFeatures() throws Exception {
    for (String[] c :
        new String[][] {
          {
            "{\"id\": \"a\", \"x\": [NaN]}",
            "'NaN' is not a JSON value (JSON has no NaN or Infinity)"
          },
          {"{\"id\": \"a\", \"x\": [-Infinity]}", "'-Infinity' is not a JSON value"},
          {"{\"id\": \"a\" /* c */}", "maybe a (non-standard) comment?"},
          {"{'id': 'a'}", "was expecting double-quote to start field name"},
        }) {
      String message;
      try {
        io.dime.core.io.Json.mapper().readTree(c[0]);
        throw new AssertionError("parsed: " + c[0]);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        message = JsonlManifest.plain(e.getOriginalMessage());
      }
      assertTrue(message.contains(c[1]), c[0] + " -> " + message);
      assertTrue(!message.contains("Feature") && !message.contains("enable"), message);
    }
  }

  @Test
  void anIdThatIsNotAStringSaysWhatItIs(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("ids.jsonl");
    Files.writeString(
        file,
        "{\"id\": 123, \"v\": [1, 2]}\n{\"id\": [\"a\"], \"v\": [1, 2]}\n{\"id\": \" \", \"v\": [1, 2]}\n");
    List<SourceRecord> r = JsonlManifest.readAll(file, MODS);
    assertEquals(
        "line 1: 'id' must be a non-empty string, found a number 123",
        r.get(0).error().orElseThrow().message());
    assertEquals(
        "line 2: 'id' must be a non-empty string, found an array of 1 entry [\"a\"]",
        r.get(1).error().orElseThrow().message());
    assertEquals(
        "line 3: 'id' must be a non-empty string, found a string \" \"",
        r.get(2).error().orElseThrow().message());
  }

  /** A field given twice is ambiguous: its line fails, naming the field, and the rest is read. */
  @Test
  void aFieldGivenTwiceFailsItsLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("dup.jsonl");
    Files.writeString(
        file,
        "{\"id\": \"a\", \"id\": \"b\", \"v\": [1, 2]}\n"
            + "{\"id\": \"c\", \"v\": [1, 2], \"v\": [3, 4]}\n"
            + "{\"id\": \"d\", \"v\": [1, 2], \"meta\": {\"k\": 1, \"k\": 2}}\n"
            + "{\"id\": \"e\", \"v\": [1, 2]}\n");
    List<SourceRecord> r = JsonlManifest.readAll(file, MODS);
    assertEquals(4, r.size());
    assertEquals(
        "line 1 is not valid JSON: Duplicate field 'id'", r.get(0).error().orElseThrow().message());
    assertEquals(
        "record 'c': line 2 is not valid JSON: Duplicate field 'v'",
        r.get(1).error().orElseThrow().message());
    assertEquals(
        "record 'd': line 3 is not valid JSON: Duplicate field 'k'",
        r.get(2).error().orElseThrow().message());
    assertEquals("e", r.get(3).id().orElseThrow());
    // a line's one id names its error; two ids name none
    assertEquals(Optional.empty(), r.get(0).error().orElseThrow().recordId());
    assertEquals(Optional.of("c"), r.get(1).error().orElseThrow().recordId());
    assertEquals(Optional.of("d"), r.get(2).error().orElseThrow().recordId());
  }

  /**
   * Two records joined on one line, or a record followed by other text, fail their line: the first
   * object alone was read and the rest dropped without a word.
   */
  @Test
  void aLineThatGoesOnAfterItsObjectFails(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("joined.jsonl");
    Files.writeString(
        file,
        "{\"id\": \"a\", \"v\": [1, 2]}{\"id\": \"b\", \"v\": [3, 4]}\n"
            + "{\"id\": \"c\", \"v\": [1, 2]} [5]\n"
            + "{\"id\": \"d\", \"v\": [1, 2]} garbage\n"
            + "{\"id\": \"e\", \"v\": [1, 2]}   \n");
    List<SourceRecord> r = JsonlManifest.readAll(file, MODS);
    assertEquals(4, r.size());
    for (int i = 0; i < 2; i++) {
      assertEquals(
          "record '"
              + "ac".charAt(i)
              + "': line "
              + (i + 1)
              + " goes on after its JSON object (a second record or other text); each line holds"
              + " one record",
          r.get(i).error().orElseThrow().message());
    }
    assertTrue(
        r.get(2)
            .error()
            .orElseThrow()
            .message()
            .startsWith("record 'd': line 3 is not valid JSON: "),
        r.get(2).error().orElseThrow().message());
    assertEquals("e", r.get(3).id().orElseThrow(), "spaces after the object are fine");
    assertTrue(r.get(3).error().isEmpty());
  }

  /** The parser's limits are named without its method names. */
  @Test
  void aLineOverTheParsersLimitsSaysSoPlainly(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("limits.jsonl");
    Files.writeString(
        file,
        "{\"id\": \"a\", \"v\": "
            + "[".repeat(1001)
            + "]".repeat(1001)
            + "}\n{\"id\": \"b\", \"v\": [1"
            + "0".repeat(1000)
            + ", 2]}\n");
    List<SourceRecord> r = JsonlManifest.readAll(file, MODS);
    assertEquals(
        "record 'a': line 1 is not valid JSON: Document nesting depth (1001) exceeds the maximum"
            + " allowed"
            + " (1000)",
        r.get(0).error().orElseThrow().message());
    assertEquals(
        "record 'b': line 2 is not valid JSON: Number value length (1001) exceeds the maximum"
            + " allowed (1000)",
        r.get(1).error().orElseThrow().message());
  }

  /**
   * A string as long as a line allows is read (an inline base64 image): Jackson's default limit of
   * 20 million characters failed such a line as "not valid JSON" from about 15 MB of image.
   */
  @Test
  void aStringAsLongAsALineAllowsIsRead(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("long.jsonl");
    Files.writeString(file, "{\"id\": \"a\", \"v\": \"" + "A".repeat(25_000_000) + "\"}\n");
    List<SourceRecord> r = JsonlManifest.readAll(file, MODS);
    String message = r.get(0).error().orElseThrow().message();
    assertFalse(message.contains("not valid JSON"), message);
    assertTrue(message.contains("'v'"), "the modality's own check: " + message);
  }

  @Test
  void wellFormedReplacesOnlyUnpairedSurrogates() {
    assertEquals("a\uD83D\uDE00b", JsonlManifest.wellFormed("a\uD83D\uDE00b"));
    assertEquals("\uFFFDx\uFFFD\uFFFD", JsonlManifest.wellFormed("\uD83Dx\uDE00\uD800"));
    assertEquals("", JsonlManifest.wellFormed(""));
  }
}
