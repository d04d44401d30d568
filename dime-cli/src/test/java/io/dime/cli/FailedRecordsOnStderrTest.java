package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dime explain} names each failed record on standard error as it fails (its line, stage and
 * message), the first ten, then counts the rest, unless --quiet: it only counted them in its
 * closing line ("failed 4"), and the README said errors go to standard error.
 */
class FailedRecordsOnStderrTest {
  private static List<String> errors(String stderr) {
    return stderr.lines().filter(l -> l.startsWith("dime: error: ")).toList();
  }

  @Test
  void eachFailedRecordIsNamedOnStandardErrorUnlessQuiet(@TempDir Path dir) throws Exception {
    ExplainCommandTest.write(dir);
    for (boolean quiet : new boolean[] {false, true}) {
      List<String> a = new ArrayList<>(List.of(ExplainCommandTest.args(dir)));
      a.set(a.indexOf("--out") + 1, dir.resolve(quiet ? "quiet" : "loud").toString());
      if (!quiet) {
        a.remove("--quiet");
      }
      String[] r = InspectModelCommandTest.run(a.toArray(String[]::new));
      assertEquals("1", r[0], r[2]);
      List<String> expected =
          List.of(
              "dime: error: line 3, stage read: record 'short': modality 'd1' has 9 entries;"
                  + " expected 10",
              "dime: error: line 4, stage read: record 'nod2': missing modality 'd2'",
              "dime: error: line 5, stage read: record 'broken': line 5 is not valid JSON:"
                  + " Unexpected end-of-input within/between Array entries",
              "dime: error: line 9, stage read: record 'p1': duplicate id (first on line 2)");
      assertEquals(quiet ? List.of() : expected, errors(r[2]), r[2]);
      assertTrue(r[2].lines().noneMatch(l -> l.contains("more records failed")), r[2]);
      // no error shares a line with the progress bar
      assertTrue(r[2].lines().noneMatch(l -> l.contains("] ") && l.contains("dime: error")), r[2]);
    }
  }

  @Test
  void afterTenTheRestAreCountedWithWhereTheirErrorsAre(@TempDir Path dir) throws Exception {
    ExplainCommandTest.write(dir);
    List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("data.jsonl")));
    for (int i = 0; i < 12; i++) {
      lines.add("{\"id\":\"bad" + i + "\",\"d1\":[1,2]}");
    }
    Files.write(dir.resolve("data.jsonl"), lines);
    List<String> a = new ArrayList<>(List.of(ExplainCommandTest.args(dir)));
    a.remove("--quiet");
    String[] r = InspectModelCommandTest.run(a.toArray(String[]::new));
    assertEquals("1", r[0], r[2]);
    assertEquals(10, errors(r[2]).size(), r[2]);
    Path file = dir.resolve("out").resolve(ExplainCommand.EXPLANATIONS);
    assertTrue(
        r[2].contains("dime: 6 more records failed; each has its error line in " + file), r[2]);
  }
}
