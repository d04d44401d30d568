package io.dime.core.job;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The lines of a text file, each decoded on its own as strict UTF-8, so that one bad byte or one
 * overlong line is a problem of its line only (the rest of the file is still read). A byte-order
 * mark at the start is dropped; {@code \r\n} ends a line as {@code \n} does.
 */
public final class LineReader implements AutoCloseable {
  /** One line: its text, or why it could not be read. */
  public record Line(int number, String text, String problem) {}

  private final InputStream in;
  private final int maxBytes;
  // the bytes read ahead: chunk[pos, limit) (one byte at a time through a buffered stream's
  // synchronized read() cost about a minute for the 210 MB explanations.jsonl of 20,000 records)
  private final byte[] chunk = new byte[1 << 16];
  private int pos;
  private int limit;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
  private int number;
  private boolean atEnd;
  private long chunkStart; // the file offset of chunk[0]
  private long textStart; // the last line's text: where it starts in the file, and its bytes
  private int textLength;

  /** Reads {@code in}; a line of more than {@code maxBytes} bytes is a problem of its own. */
  public LineReader(InputStream in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  /** The next line, or null at the end of the file. */
  public Line next() throws IOException {
    if (atEnd) {
      return null;
    }
    buf.reset();
    long lineStart = chunkStart + pos;
    boolean overlong = false;
    int b = -1; // '\n' once the line's end is found, -1 at the end of the file
    while (true) {
      if (pos == limit) {
        int n = in.read(chunk, 0, chunk.length);
        if (n < 0) {
          break;
        }
        chunkStart += limit;
        pos = 0;
        limit = n;
      }
      int end = pos;
      while (end < limit && chunk[end] != '\n') {
        end++;
      }
      int room = maxBytes - buf.size();
      int take = Math.min(end - pos, Math.max(room, 0));
      buf.write(chunk, pos, take);
      overlong |= take < end - pos;
      pos = end;
      if (end < limit) {
        pos++; // past the '\n'
        b = '\n';
        break;
      }
    }
    if (b == -1) {
      atEnd = true;
      if (buf.size() == 0 && !overlong) {
        return null;
      }
    }
    number++;
    if (overlong) {
      return new Line(number, null, "line " + number + " is longer than " + maxBytes + " bytes");
    }
    byte[] bytes = buf.toByteArray();
    int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
    int start = number == 1 && startsWithBom(bytes) ? 3 : 0;
    textStart = lineStart + start;
    textLength = len - start;
    ByteBuffer src = ByteBuffer.wrap(bytes, start, len - start);
    CharBuffer out = CharBuffer.allocate(len - start);
    utf8.reset();
    CoderResult r = utf8.decode(src, out, true);
    if (!r.isError()) {
      r = utf8.flush(out);
    }
    if (r.isError()) {
      int at = src.position();
      return new Line(
          number,
          null,
          String.format(
              "line %d is not UTF-8 text: byte %d (0x%02X) cannot start or continue a character",
              number, at - start + 1, bytes[Math.min(at, len - 1)] & 0xFF));
    }
    out.flip();
    return new Line(number, out.toString(), null);
  }

  /**
   * Where the text of the line {@link #next} returned last lies in the file: its first byte's
   * offset (past a byte-order mark), valid for a line without a problem.
   */
  public long textStart() {
    return textStart;
  }

  /** The number of bytes of that line's text (without its {@code \r\n} or {@code \n}). */
  public int textLength() {
    return textLength;
  }

  static boolean startsWithBom(byte[] b) {
    return b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
