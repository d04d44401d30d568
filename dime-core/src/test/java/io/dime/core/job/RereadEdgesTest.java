package io.dime.core.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.run.SourceRecord;
import io.dime.core.modality.VectorModality;
import io.dime.spi.Modality;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JsonlManifest#readAgain} on odd files and edits: a byte-order mark, {@code \r\n} and a
 * last line ending in {@code \r}, blank lines; a line edited to one that cannot be read, a deleted
 * file; many threads at once.
 */
class RereadEdgesTest {
  private static final List<Modality<?>> MODS = List.of(VectorModality.of("a", 2));

  private static List<SourceRecord> light(JsonlManifest m) throws IOException {
    List<SourceRecord> out = new ArrayList<>();
    try (m) {
      for (Optional<SourceRecord> r = m.next(); r.isPresent(); r = m.next()) {
        out.add(RereadableSource.light(r.get()));
      }
    }
    return out;
  }

  @Test
  void aBomCrlfBlankLinesAndALastLineEndingInCrAreReadAgainAsTheyWereRead(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("m.jsonl");
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    String text =
        "{\"id\": \"é1\", \"a\": [1.5, 2]}\r\n"
            + "\r\n"
            + "   \r\n"
            + "  {\"id\": \"x2\", \"a\": [3, 4]}  \r\n"
            + "{\"id\": \"\u00fc\u4e2d3\", \"a\": [5, 6]}\n"
            + "{\"id\": \"r4\", \"a\": [7, 8]}\r";
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, all, 0, 3);
    System.arraycopy(body, 0, all, 3, body.length);
    Files.write(file, all);
    List<SourceRecord> held = JsonlManifest.readAll(file, MODS);
    JsonlManifest m = JsonlManifest.open(file, MODS);
    List<SourceRecord> light = light(m);
    assertEquals(4, held.size());
    assertEquals(List.of(1, 4, 5, 6), light.stream().map(SourceRecord::line).toList());
    for (int i = 0; i < held.size(); i++) {
      assertTrue(held.get(i).readable(), held.get(i).toString());
      SourceRecord again = m.readAgain(light.get(i));
      assertTrue(again.readable(), again.error().map(Object::toString).orElse(""));
      assertEquals(held.get(i).id(), again.id());
      assertEquals(held.get(i).inputDigest(), again.inputDigest());
      assertArrayEquals(
          (double[]) held.get(i).datapoint().get().value("a"),
          (double[]) again.datapoint().get().value("a"));
    }
  }

  @Test
  void aLineEditedToOneThatCannotBeReadNamesItsRecordOnce(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("m.jsonl");
    Files.writeString(file, "{\"id\": \"r1\", \"a\": [1, 2]}\n{\"id\": \"r2\", \"a\": [3, 4]}\n");
    JsonlManifest m = JsonlManifest.open(file, MODS);
    List<SourceRecord> light = light(m);
    // the same length, its modality renamed: the line is JSON with the same id, but unreadable
    Files.writeString(file, "{\"id\": \"r1\", \"a\": [1, 2]}\n{\"id\": \"r2\", \"b\": [3, 4]}\n");
    SourceRecord r2 = m.readAgain(light.get(1));
    assertFalse(r2.readable());
    assertEquals(Optional.of("r2"), r2.error().get().recordId());
    assertEquals(2, r2.error().get().line());
    assertEquals(
        "record 'r2': changed while the job ran and cannot be read now: missing modality 'a'; a"
            + " rerun explains it as it is now",
        r2.error().get().message());
    // a line that is no longer JSON names its line once, as the manifest says it
    Files.writeString(file, "{\"id\": \"r1\", \"a\": [1, 2]}\n{\"id\": \"r2\", \"a\": [3, 4]]\n");
    String notJson = m.readAgain(light.get(1)).error().get().message();
    assertTrue(
        notJson.startsWith(
            "record 'r2': changed while the job ran and cannot be read now: line 2 is not valid"
                + " JSON: "),
        notJson);
    assertEquals(notJson.indexOf("line 2"), notJson.lastIndexOf("line 2"), notJson);
    // the same length, another id
    Files.writeString(file, "{\"id\": \"r1\", \"a\": [1, 2]}\n{\"id\": \"r9\", \"a\": [3, 4]}\n");
    assertEquals(
        "record 'r2': changed while the job ran: its line (2) or a file it names is not what was"
            + " read when the job began; a rerun explains it as it is now",
        m.readAgain(light.get(1)).error().get().message());
    assertTrue(m.readAgain(light.get(0)).readable(), "the line before is as it was");
  }

  @Test
  void aDeletedOrReplacedFileMakesItsRecordsUnreadableNamingThem(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("m.jsonl");
    Files.writeString(file, "{\"id\": \"r1\", \"a\": [1, 2]}\n{\"id\": \"r2\", \"a\": [3, 4]}\n");
    JsonlManifest m = JsonlManifest.open(file, MODS);
    List<SourceRecord> light = light(m);
    Path other = dir.resolve("other.jsonl");
    Files.writeString(other, "{\"id\": \"r1\", \"a\": [1, 2]}\n{\"id\": \"r2\", \"a\": [3, 5]}\n");
    Files.move(other, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertTrue(m.readAgain(light.get(0)).readable(), "the same line in the new file");
    assertFalse(m.readAgain(light.get(1)).readable(), "a value changed in the new file");
    Files.delete(file);
    SourceRecord r1 = m.readAgain(light.get(0));
    assertEquals(
        "record 'r1': could not be read again while the job ran: "
            + file
            + " no longer exists; a rerun explains it as it is now",
        r1.error().get().message());
  }

  @Test
  void manyThreadsReadRecordsAgainAtOnce(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("m.jsonl");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      b.append("{\"id\": \"r").append(i).append("\", \"a\": [").append(i).append(", 1]}\n");
    }
    Files.writeString(file, b);
    JsonlManifest m = JsonlManifest.open(file, MODS);
    List<SourceRecord> light = light(m);
    ExecutorService exec = Executors.newFixedThreadPool(8);
    try {
      List<Future<SourceRecord>> fs = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        for (SourceRecord r : light) {
          fs.add(exec.submit(() -> m.readAgain(r)));
        }
      }
      for (int i = 0; i < fs.size(); i++) {
        SourceRecord r = fs.get(i).get();
        assertEquals(Optional.of("r" + (i % 400)), r.id());
        assertEquals(i % 400, ((double[]) r.datapoint().get().value("a"))[0]);
      }
    } finally {
      exec.shutdownNow();
    }
  }
}
