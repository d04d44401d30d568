package io.dime.core.job;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.dime.api.RecordError;
import io.dime.api.run.SourceRecord;
import io.dime.core.modality.VectorModality;
import io.dime.spi.Modality;
import io.dime.testkit.fuzz.Fuzz;
import io.dime.testkit.fuzz.Mutator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing the JSONL manifest (bounded for CI; {@code -Pfuzz} runs longer): mutated manifests, and
 * mutated bytes under the line reader, give records or per-line errors naming their line or record,
 * never another exception, a hang or a blow-up; no message holds an absolute path or half a
 * surrogate pair.
 *
 * <p>CI runs 1000 + 2000 tries (about 5 s on 2 cores). A long run: {@code ./mvnw -o -B install
 * -Djacoco.skip -pl dime-core -am -Dtest=ManifestFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Ddime.fuzz.scale=100 -Ddime.fuzz.maxSeconds=1800} (add {@code -Ddime.fuzz.seed=random} for new
 * inputs).
 */
@Tag("fuzz")
class ManifestFuzzTest {
  private static final List<Modality<?>> MODS =
      List.of(VectorModality.of("v", 2), VectorModality.of("w", 0));

  static List<byte[]> manifests() {
    ByteArrayOutputStream bom = new ByteArrayOutputStream();
    bom.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    bom.writeBytes(
        ("{\"id\": \"caf\u00e9 \uD83D\uDE00\", \"v\": [1, 2], \"w\": [3], \"label\": \"\u05d0\"}\r\n"
                + "{\"id\": \"b\", \"v\": [0.5, -3e2], \"w\": [1, 2, 3, 4]}\r\n")
            .getBytes(UTF_8));
    return List.of(
        ("{\"id\": \"a\", \"v\": [1, 2], \"w\": [0], \"label\": \"cat\"}\n"
                + "{\"id\": \"b\", \"v\": [0.5, -3e2], \"w\": [1, 2, 3]}\n"
                + "\n"
                + "{\"id\": \"c\", \"v\": [1e-3, 7], \"w\": [9, 9], \"label\": 3}\n")
            .getBytes(UTF_8),
        bom.toByteArray(),
        ("{\"id\":\"x\",\"v\":[1,2],\"w\":[1],\"extra\":{\"k\":[1,{\"z\":null}],\"s\":\"\\u00e9\"}}")
            .getBytes(UTF_8));
  }

  @Test
  void mutatedManifestsGiveRecordsOrErrorsNamingTheirLine(@TempDir Path dir) {
    Path file = dir.resolve("m.jsonl");
    Fuzz.of("manifest", new Mutator(manifests(), Mutator.TEXT_TOKENS))
        .tries(1000)
        .timeout(Duration.ofSeconds(10))
        .maxAllocatedBytes(512L << 20)
        .run(
            input -> {
              Files.write(file, input);
              return check(JsonlManifest.readAll(file, MODS), input);
            });
  }

  /** Lines in order; each record read (with a digest) or an error naming its line or record. */
  static String check(List<SourceRecord> records, byte[] input) {
    long lines = 1;
    for (byte b : input) {
      lines += b == '\n' ? 1 : 0;
    }
    int previous = 0;
    int errors = 0;
    for (SourceRecord r : records) {
      if (r.line() <= previous || r.line() > lines) {
        throw new AssertionError("line: record on line " + r.line() + " after " + previous);
      }
      previous = r.line();
      if (r.error().isPresent()) {
        errors++;
        RecordError e = r.error().get();
        String m = e.message();
        String named = e.id().map(id -> "record '" + id + "'").orElse("line " + r.line());
        Fuzz.checkMessage(new IllegalArgumentException(m), named);
        if (m.contains("cannot be read: ")) {
          throw new AssertionError("unexpected: a modality threw: " + m);
        }
      } else if (r.inputDigest().isEmpty() || r.id().orElse("").isBlank()) {
        throw new AssertionError("record: a record without digest or id on line " + r.line());
      }
    }
    return errors == 0 ? "all read" : errors == records.size() ? "all errors" : "some errors";
  }

  @Test
  void theLineReaderSplitsAndDecodesEachLineAlone() {
    int max = 48;
    Fuzz.of("line-reader", new Mutator(manifests(), Mutator.TEXT_TOKENS))
        .tries(2000)
        .run(
            input -> {
              List<LineReader.Line> got = new ArrayList<>();
              try (LineReader r = new LineReader(new ByteArrayInputStream(input), max)) {
                for (LineReader.Line l = r.next(); l != null; l = r.next()) {
                  got.add(l);
                }
              }
              List<String> expected = expectedLines(input, max);
              if (got.size() != expected.size()) {
                throw new AssertionError(
                    "count: " + got.size() + " lines read, " + expected.size() + " expected");
              }
              int problems = 0;
              for (int i = 0; i < got.size(); i++) {
                LineReader.Line l = got.get(i);
                String want = expected.get(i);
                if (l.number() != i + 1) {
                  throw new AssertionError("number: line " + (i + 1) + " numbered " + l.number());
                }
                if (want.startsWith("\u0000problem ")) {
                  problems++;
                  String prefix = "line " + (i + 1) + " is " + want.substring(9);
                  if (l.problem() == null || !l.problem().startsWith(prefix)) {
                    throw new AssertionError("problem: line " + (i + 1) + " gave " + l);
                  }
                } else if (!want.equals(l.text())) {
                  throw new AssertionError("text: line " + (i + 1) + " gave " + l);
                }
              }
              return problems == 0 ? "all text" : "some problems";
            });
  }

  /**
   * What each line should be: its text (strict UTF-8, a CR before the LF and a BOM on line 1
   * dropped), or {@code "\0problem longer"} / {@code "\0problem not UTF-8"}.
   */
  private static List<String> expectedLines(byte[] input, int max) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= input.length; i++) {
      if (i == input.length || input[i] == '\n') {
        if (i == input.length && i == start) {
          break;
        }
        byte[] line = Arrays.copyOfRange(input, start, i);
        start = i + 1;
        if (line.length > max) {
          out.add("\u0000problem longer than " + max + " bytes");
          continue;
        }
        int end = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
        boolean bom =
            out.isEmpty()
                && line.length >= 3
                && (line[0] & 0xFF) == 0xEF
                && (line[1] & 0xFF) == 0xBB
                && (line[2] & 0xFF) == 0xBF;
        int from = bom ? 3 : 0;
        try {
          out.add(
              UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT)
                  .decode(ByteBuffer.wrap(line, from, Math.max(0, end - from)))
                  .toString());
        } catch (CharacterCodingException e) {
          out.add("\u0000problem not UTF-8 text");
        }
      }
    }
    return out;
  }
}
