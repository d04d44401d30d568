package io.dime.core.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The line reader of manifests and of {@code explanations.jsonl}: the same lines and problems
 * whatever the lines' lengths against its read-ahead, and a large file read in bulk. A resume of
 * 20,000 finished records spent about a minute reading their 210 MB explanations.jsonl one byte at
 * a time (two synchronized calls a byte), as long as the run that explained them.
 */
class LineReaderTest {
  private static List<String> lines(byte[] bytes, int maxBytes) throws IOException {
    List<String> out = new ArrayList<>();
    try (LineReader r = new LineReader(new ByteArrayInputStream(bytes), maxBytes)) {
      for (LineReader.Line l = r.next(); l != null; l = r.next()) {
        out.add(l.number() + ":" + (l.problem() == null ? l.text() : "!" + l.problem()));
      }
      assertNull(r.next());
    }
    return out;
  }

  @Test
  void linesAcrossTheReadAheadKeepTheirTextAndProblems() throws IOException {
    String longLine = "x".repeat(70_000); // longer than the 64 KiB read-ahead
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    b.write(("first\r\n\n" + longLine + "\n").getBytes(UTF_8));
    b.write(new byte[] {'a', (byte) 0xFF, '\n'});
    b.write("é last".getBytes(UTF_8));
    assertEquals(
        List.of(
            "1:first",
            "2:",
            "3:" + longLine,
            "4:!line 4 is not UTF-8 text: byte 2 (0xFF) cannot start or continue a character",
            "5:é last"),
        lines(b.toByteArray(), Integer.MAX_VALUE - 8));
    assertEquals(
        List.of(
            "1:!line 1 is longer than 60000 bytes",
            "2:short",
            "3:!line 3 is longer than 60000 bytes"),
        lines((longLine + "\nshort\n" + longLine).getBytes(UTF_8), 60_000));
    assertEquals(List.of(), lines(new byte[0], 10));
    assertEquals(List.of("1:"), lines("\n".getBytes(UTF_8), 10));
  }

  /**
   * Read in bulk, never a byte at a time: counted by the calls the stream gets (a time limit here
   * failed under load on CI's kind of machine, and time is for benchmarks).
   */
  @Test
  void aLargeFileIsReadInBulk() throws IOException {
    byte[] line = ("{\"id\": \"" + "y".repeat(10_000) + "\"}\n").getBytes(UTF_8);
    int count = 800; // 8 MB
    long[] singleReads = {0};
    long[] bulkReads = {0};
    InputStream in =
        new InputStream() {
          private long at;
          private final long size = (long) line.length * count;

          @Override
          public int read() {
            singleReads[0]++;
            return at < size ? line[(int) (at++ % line.length)] : -1;
          }

          @Override
          public int read(byte[] dst, int off, int len) {
            bulkReads[0]++;
            if (at >= size) {
              return -1;
            }
            int from = (int) (at % line.length);
            int n = Math.min(len, line.length - from);
            System.arraycopy(line, from, dst, off, n);
            at += n;
            return n;
          }
        };
    int n = 0;
    try (LineReader r = new LineReader(in, Integer.MAX_VALUE - 8)) {
      for (LineReader.Line l = r.next(); l != null; l = r.next()) {
        assertTrue(l.problem() == null && l.text().length() == line.length - 1);
        n++;
      }
    }
    assertEquals(count, n);
    assertEquals(0, singleReads[0], "no byte read on its own");
    // the stream hands out at most one line a call, so a call per line and its read-ahead's ends
    assertTrue(bulkReads[0] <= 3L * count, bulkReads[0] + " bulk reads for " + count + " lines");
  }

  /**
   * Where each line's text lies in the file (past a byte-order mark, without its {@code \r\n}),
   * across the read-ahead's ends: a resume reads a kept explanation again from there.
   */
  @Test
  void eachLinesTextIsFoundAtItsPosition() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    String longLine = "z".repeat(70_000);
    b.write(("first\r\n\n" + longLine + "\r\n" + "y".repeat(65_530) + "\né end").getBytes(UTF_8));
    byte[] bytes = b.toByteArray();
    int n = 0;
    try (LineReader r = new LineReader(new ByteArrayInputStream(bytes), Integer.MAX_VALUE - 8)) {
      for (LineReader.Line l = r.next(); l != null; l = r.next()) {
        String at = new String(bytes, (int) r.textStart(), r.textLength(), UTF_8);
        assertEquals(l.text(), at, "line " + l.number());
        n++;
      }
    }
    assertEquals(5, n);
  }
}
