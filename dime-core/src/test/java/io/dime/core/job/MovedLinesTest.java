package io.dime.core.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.run.SourceRecord;
import io.dime.core.modality.VectorModality;
import io.dime.spi.Modality;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data file edited during a job so that its lines move: each record is read again where its id is
 * now, and only a record that itself changed fails.
 */
class MovedLinesTest {
  private static final List<Modality<?>> MODS = List.of(VectorModality.of("a", 2));

  private static String lines(int from, int to) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < to; i++) {
      b.append("{\"id\": \"r").append(i).append("\", \"a\": [").append(i).append(", 1]}\n");
    }
    return b.toString();
  }

  private static List<SourceRecord> light(JsonlManifest m) throws IOException {
    List<SourceRecord> out = new ArrayList<>();
    try (m) {
      for (Optional<SourceRecord> r = m.next(); r.isPresent(); r = m.next()) {
        out.add(RereadableSource.light(r.get()));
      }
    }
    return out;
  }

  private static void assertAsRead(SourceRecord planned, SourceRecord again, int value) {
    assertTrue(again.readable(), again.error().map(Object::toString).orElse(""));
    assertEquals(planned.id(), again.id());
    assertEquals(planned.inputDigest(), again.inputDigest());
    assertEquals(planned.line(), again.line(), "the line the job planned it from");
    assertArrayEquals(new double[] {value, 1}, (double[]) again.datapoint().get().value("a"));
  }

  @Test
  void aLineMadeLongerBeforeTheOthersMovesThemAndOnlyItselfHasChanged(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("m.jsonl");
    Files.writeString(file, lines(0, 50));
    JsonlManifest m = JsonlManifest.open(file, MODS);
    List<SourceRecord> light = light(m);
    // record r3 is fixed by hand, longer: every later line moves by 3 bytes
    Files.writeString(
        file,
        lines(0, 50)
            .replace("{\"id\": \"r3\", \"a\": [3, 1]}", "{\"id\": \"r3\", \"a\": [300, 1]}"));
    for (int i = 0; i < 50; i++) {
      SourceRecord again = m.readAgain(light.get(i));
      if (i == 3) {
        assertEquals(
            "record 'r3': changed while the job ran: its line (4) or a file it names is not what"
                + " was read when the job began; a rerun explains it as it is now",
            again.error().get().message());
      } else {
        assertAsRead(light.get(i), again, i);
      }
    }
  }

  @Test
  void linesAddedAndRemovedBeforeARecordLeaveItReadable(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("m.jsonl");
    Files.writeString(file, lines(0, 20));
    JsonlManifest m = JsonlManifest.open(file, MODS);
    List<SourceRecord> light = light(m);
    // r0 to r4 removed, two new records and a blank line put first, r10 moved to the end
    String moved =
        "{\"id\": \"new1\", \"a\": [7, 7]}\n\n{\"id\": \"new2\", \"a\": [8, 8]}\n"
            + lines(5, 10)
            + lines(11, 20)
            + lines(10, 11);
    Files.writeString(file, moved);
    for (int i = 0; i < 20; i++) {
      SourceRecord again = m.readAgain(light.get(i));
      if (i < 5) {
        assertFalse(again.readable(), "r" + i + " is gone");
        assertEquals(Optional.of("r" + i), again.error().get().recordId());
      } else {
        assertAsRead(light.get(i), again, i);
      }
    }
    // edited again: the place found before is not trusted, the file is looked through once more
    Files.writeString(file, "\n\n\n" + moved);
    assertAsRead(light.get(10), m.readAgain(light.get(10)), 10);
    assertAsRead(light.get(19), m.readAgain(light.get(19)), 19);
  }

  @Test
  void aRecordMovedAndChangedFailsAndAnIdGivenTwiceIsReadWhereItIsAsItWas(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("m.jsonl");
    Files.writeString(file, lines(0, 3));
    JsonlManifest m = JsonlManifest.open(file, MODS);
    List<SourceRecord> light = light(m);
    Files.writeString(
        file,
        "{\"id\": \"r2\", \"a\": [99, 1]}\n"
            + "{\"id\": \"x\", \"a\": [0, 0], \"note\": {\"id\": \"r1\"}}\n"
            + "{\"id\": \"r1\", \"a\": [5, 1]}\n"
            + lines(2, 3));
    assertEquals(
        "record 'r1': changed while the job ran: its line (2) or a file it names is not what was"
            + " read when the job began; a rerun explains it as it is now",
        m.readAgain(light.get(1)).error().get().message(),
        "moved and changed; an id nested in another record's field is not its line");
    assertAsRead(light.get(2), m.readAgain(light.get(2)), 2);
    assertFalse(m.readAgain(light.get(0)).readable(), "r0 is gone");
  }

  @Test
  void aRecordWhoseLineIsGoneSaysSoNotWhatTheBytesMovedToItsPlaceAre(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("m.jsonl");
    Files.writeString(file, lines(0, 20));
    JsonlManifest m = JsonlManifest.open(file, MODS);
    List<SourceRecord> light = light(m);
    // r9 removed: its place now holds the first 25 of the 27 bytes of r10's line, which read as
    // "record 'r10': line 10 is not valid JSON" inside r9's error
    Files.writeString(file, lines(0, 9) + lines(10, 20));
    String gone =
        "changed while the job ran: no line of "
            + file
            + " has its id now (its line was removed, or its id changed); a rerun explains it as"
            + " it is now";
    assertEquals("record 'r9': " + gone, m.readAgain(light.get(9)).error().get().message());
    // and a record whose id changed in a file whose lines moved
    Files.writeString(file, "\n" + lines(0, 9) + lines(10, 20).replace("\"r12\"", "\"x12\""));
    assertEquals("record 'r12': " + gone, m.readAgain(light.get(12)).error().get().message());
    assertAsRead(light.get(13), m.readAgain(light.get(13)), 13);
    // a line that is still whole where it was says what it is now, as before
    Files.writeString(file, lines(0, 5) + "{\"id\": \"r5\", \"a\": [5, 1]]\n" + lines(6, 20));
    String broken = m.readAgain(light.get(5)).error().get().message();
    assertTrue(
        broken.startsWith(
            "record 'r5': changed while the job ran and cannot be read now: line 6 is not valid"
                + " JSON: "),
        broken);
  }

  @Test
  void onlyALinesOwnStringIdIsRead() {
    assertEquals("r1", MovedLines.idOf("{\"a\": {\"id\": \"no\"}, \"id\": \"r1\"}"));
    assertEquals("r1", MovedLines.idOf("  {\"a\": [1, {\"id\": 2}], \"id\": \"r1\", \"b\": x"));
    assertNull(MovedLines.idOf("{\"id\": 7}"));
    assertNull(MovedLines.idOf("[\"id\", \"r1\"]"));
    assertNull(MovedLines.idOf("not json"));
    assertNull(MovedLines.idOf("{\"a\": [1, 2}"));
    assertEquals("r1", MovedLines.idOf("{\"id\": \"r1\", \"a\": [1, 2]]"), "broken after its id");
    assertNull(MovedLines.idOf("{\"id\": \"r1\", \"id\": \"r2\"}"), "two ids name no record");
    assertNull(MovedLines.idOf("{\"id\": \"r1\", \"id\": 3}"));
    assertNull(MovedLines.idOf("{\"id\": \"r"));
  }
}
