package io.dime.core.job;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where a manifest's records lie now, found by their ids, for a file edited during a job so that
 * its lines moved (a line fixed before them, made longer or shorter, one added or removed): a
 * record whose line is no longer where it was read is looked up here and read at its new place, and
 * it is explained when it is as it was (its id and input digest). Built on the first such record by
 * one pass over the file that reads only each line's {@code id}, and built again when the file's
 * size or modification time differs from the pass's; it keeps 20 bytes a record (a 64-bit hash of
 * the id, the line's first byte and its length), so ids that share a hash are each tried.
 */
final class MovedLines {
  private static final JsonFactory IDS =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxStringLength(JsonlManifest.MAX_LINE_BYTES).build())
          .build();

  /** A line of the file: its first byte and its length in bytes. */
  record Place(long start, int length) {}

  private final Path file;
  private long size = -1;
  private FileTime modified;
  private long[] hashes = new long[0];
  private long[] starts = new long[0];
  private int[] lengths = new int[0];

  MovedLines(Path file) {
    this.file = file;
  }

  /**
   * The places of the lines whose {@code id} is {@code id} in the file as it is now (usually one;
   * none when no line has it), or null when the file cannot be read.
   */
  synchronized List<Place> find(String id) {
    try {
      long nowSize = Files.size(file);
      FileTime nowModified = Files.getLastModifiedTime(file);
      if (nowSize != size || !nowModified.equals(modified)) {
        index();
        size = nowSize;
        modified = nowModified;
      }
    } catch (IOException e) {
      return null; // the caller's own reading says why
    }
    long h = hash(id);
    int at = Arrays.binarySearch(hashes, h);
    if (at < 0) {
      return List.of();
    }
    while (at > 0 && hashes[at - 1] == h) {
      at--;
    }
    List<Place> out = new ArrayList<>(1);
    for (; at < hashes.length && hashes[at] == h; at++) {
      out.add(new Place(starts[at], lengths[at]));
    }
    return out;
  }

  private void index() throws IOException {
    int n = 0;
    long[] keys = new long[1024];
    long[] from = new long[1024];
    int[] bytes = new int[1024];
    try (LineReader reader =
        new LineReader(Files.newInputStream(file), JsonlManifest.MAX_LINE_BYTES)) {
      for (LineReader.Line l = reader.next(); l != null; l = reader.next()) {
        String id = l.problem() == null ? idOf(l.text()) : null;
        if (id == null) {
          continue;
        }
        if (n == keys.length) {
          int grown = (int) Math.min(Integer.MAX_VALUE - 8L, 2L * n);
          keys = Arrays.copyOf(keys, grown);
          from = Arrays.copyOf(from, grown);
          bytes = Arrays.copyOf(bytes, grown);
        }
        keys[n] = hash(id);
        from[n] = reader.textStart();
        bytes[n] = reader.textLength();
        n++;
      }
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    long[] k = keys;
    Arrays.sort(order, (a, b) -> Long.compare(k[a], k[b]));
    hashes = new long[n];
    starts = new long[n];
    lengths = new int[n];
    for (int i = 0; i < n; i++) {
      hashes[i] = keys[order[i]];
      starts[i] = from[order[i]];
      lengths[i] = bytes[order[i]];
    }
  }

  /**
   * A line's top-level {@code id} when it is a string, else null; null too when the line gives
   * {@code id} twice. A line that breaks after its id still gives it (a broken record is named by
   * it).
   */
  static String idOf(String line) {
    String id = null;
    boolean twice = false;
    try (JsonParser p = IDS.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("id".equals(name)) {
          twice = twice || id != null;
          id = value == JsonToken.VALUE_STRING ? p.getText() : "";
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      // not JSON from here on: what was read before names the line
    }
    return twice || id == null || id.isEmpty() ? null : id;
  }

  /** FNV-1a over the id's chars, 64 bits. */
  static long hash(String id) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      h ^= id.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }
}
