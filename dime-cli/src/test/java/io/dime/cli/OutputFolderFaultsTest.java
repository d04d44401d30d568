package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What dime explain says when its output folder is not as it left it. */
class OutputFolderFaultsTest {
  /**
   * A file the job cannot write after its work began fails the job (exit 3) with a sentence naming
   * the file and the problem. Before, the file system's exception reached the message as it was:
   * "the job failed: OUT/report.html.cards.tmp (the records ...", a bare path, or, where a sink's
   * failure came wrapped, with Java's class name ("java.nio.file.NoSuchFileException: ...", the
   * folder deleted while the job ran).
   */
  @Test
  void aFileTheJobCannotWriteIsNamedWithItsProblemInWords(@TempDir Path dir) throws Exception {
    ExplainCommandTest.write(dir);
    Path cards = Files.createDirectories(dir.resolve("out").resolve("report.html.cards.tmp"));
    Files.writeString(cards.resolve("keep.txt"), "not the report's");
    Map.Entry<Integer, String> r = CliFixtures.run(ExplainCommandTest.args(dir));
    assertEquals(3, r.getKey(), r.getValue());
    assertTrue(
        r.getValue()
            .contains(
                "dime: the job failed: " + cards + ": a folder that is not empty (the records"),
        r.getValue());
    assertFalse(r.getValue().contains("java."), r.getValue());
  }
}
