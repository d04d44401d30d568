package io.dime.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.run.SourceRecord;
import io.dime.core.PoolEncodings;
import io.dime.core.job.JsonlManifest;
import io.dime.core.job.RereadableSource;
import io.dime.core.modality.VectorModality;
import io.dime.spi.Modality;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool chosen from records held without their values (checked as they were read, the chosen ones
 * read again) is the pool chosen from the same records held with them: the same datapoints in the
 * same order, the same records left out with the same warnings, the same counts.
 */
class ReferencePoolChoiceTest {
  /** A free-length modality, so that one record can encode unlike the rest. */
  private static final List<Modality<?>> MODS =
      List.of(
          VectorModality.of("a", 2),
          new VectorModality("b", io.dime.spi.PluginConfig.of("vector b", "input", "b")));

  private static Path manifest(Path dir) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      if (i == 5) {
        b.append("{\"id\": \"bad-json\"\n");
      } else if (i == 9) {
        b.append("{\"id\": \"wrong\", \"a\": [1], \"b\": [1, 2, 3]}\n"); // a has 1 entry
      } else if (i == 17) {
        b.append("{\"id\": \"odd\", \"a\": [1, 2], \"b\": [1, 2]}\n"); // b unlike the rest
      } else {
        b.append("{\"id\": \"p").append(i).append("\", \"a\": [").append(i).append(", 1], ");
        b.append("\"b\": [").append(i).append(", 2, 3]}\n");
      }
    }
    Path file = dir.resolve("pool.jsonl");
    Files.writeString(file, b, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void aPoolChosenFromRecordsReadAgainIsThePoolChosenFromTheRecordsHeld(@TempDir Path dir)
      throws IOException {
    Path file = manifest(dir);
    for (Integer size : Arrays.asList(null, 10, 36, 100)) {
      for (boolean separate : new boolean[] {true, false}) {
        ReferencePool held =
            ReferencePool.choose(
                JsonlManifest.readAll(file, MODS), "pool.jsonl", separate, MODS, size, 5);
        ReferencePool again = chosenFromLight(file, separate, size);
        String what = "size " + size + ", separate " + separate;
        assertEquals(ids(held.points()), ids(again.points()), what);
        for (int i = 0; i < held.points().size(); i++) {
          assertArrayEquals(
              (double[]) held.points().get(i).value("b"),
              (double[]) again.points().get(i).value("b"),
              what);
        }
        assertEquals(held.skipped(), again.skipped(), what);
        assertEquals(held.warnings(), again.warnings(), what);
        assertEquals(held.selection(), again.selection(), what);
        assertEquals(separate ? 3 : 1, held.warnings().size(), what);
        assertTrue(held.warnings().stream().anyMatch(w -> w.contains("'odd'")), what);
      }
    }
  }

  @Test
  void aChosenRecordThatChangedBeforeItWasReadAgainIsLeftOutWithAWarning(@TempDir Path dir)
      throws IOException {
    Path file = manifest(dir);
    Light read = light(file);
    Files.writeString(
        file, Files.readString(file).replace("\"p3\", \"a\": [3,", "\"p3\", \"a\": [4,"));
    ReferencePool p = read.choose(true, null);
    assertEquals(36, p.points().size());
    assertEquals(4, p.skipped());
    assertEquals(
        "record 'p3' (line 4 of pool.jsonl): changed while the job ran: its line (4) or a file it"
            + " names is not what was read when the job began; a rerun explains it as it is now",
        p.warnings().get(p.warnings().size() - 1));
  }

  /** A manifest's records held without their values, checked as they were read. */
  private record Light(JsonlManifest manifest, List<SourceRecord> records, List<String> problems) {
    ReferencePool choose(boolean separate, Integer size) {
      return ReferencePool.choose(
          records, problems, manifest::readAgain, "pool.jsonl", separate, size, 5);
    }
  }

  private static Light light(Path file) throws IOException {
    JsonlManifest m = JsonlManifest.open(file, MODS);
    PoolEncodings.Tally tally = new PoolEncodings.Tally(MODS);
    List<SourceRecord> light = new ArrayList<>();
    try (m) {
      for (Optional<SourceRecord> r = m.next(); r.isPresent(); r = m.next()) {
        r.get().datapoint().ifPresent(tally::add);
        light.add(RereadableSource.light(r.get()));
      }
    }
    return new Light(m, light, tally.problems());
  }

  private static ReferencePool chosenFromLight(Path file, boolean separate, Integer size)
      throws IOException {
    return light(file).choose(separate, size);
  }

  private static List<String> ids(List<Datapoint> points) {
    return points.stream().map(Datapoint::id).toList();
  }
}
