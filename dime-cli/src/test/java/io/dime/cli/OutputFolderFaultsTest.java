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

  /**
   * --out a symbolic link to a folder that does not exist (an unmounted disk, a deleted target),
   * itself or above it: a usage error naming the link and its target, before any work. Before, it
   * was "dime: out: already exists".
   */
  @Test
  void anOutThatIsALinkToNothingIsRefusedNamingTheLink(@TempDir Path dir) throws Exception {
    ExplainCommandTest.write(dir);
    Path gone = dir.resolve("unmounted");
    Path link = Files.createSymbolicLink(dir.resolve("out"), gone);
    for (Path out : new Path[] {link, link.resolve("run1")}) {
      String[] args = ExplainCommandTest.args(dir);
      args[java.util.Arrays.asList(args).indexOf("--out") + 1] = out.toString();
      Map.Entry<Integer, String> r = CliFixtures.run(args);
      assertEquals(2, r.getKey(), r.getValue());
      assertEquals(
          "dime: --out "
              + out
              + ": "
              + link
              + " is a symbolic link to "
              + gone
              + ", which does not exist; make that folder, or give another --out",
          r.getValue().strip());
    }
    assertFalse(Files.exists(gone));
  }
}
