package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dime report --report FILE} writes no page over what is not a page's place: a directory or
 * a pipe, or one of the run's own files or inputs (however the path is spelled), each refused with
 * exit 2 and left as it was.
 */
class ReportTargetTest {
  @Test
  void theRunsFilesAndInputsAreNotReplaced(@TempDir Path dir) throws Exception {
    Path out = ReportChecksTest.run(dir);
    List<Path> files =
        List.of(
            out.resolve(ExplainCommand.EXPLANATIONS),
            out.resolve(ExplainCommand.SUMMARY),
            out.resolve(JobFile.NAME),
            dir.resolve("pipeline.yaml"),
            dir.resolve("data.jsonl"));
    for (Path file : files) {
      byte[] before = Files.readAllBytes(file);
      // spelled through another folder: the real paths are compared
      Path spelled = out.resolve("..").resolve(dir.relativize(file));
      String[] r =
          InspectModelCommandTest.run("report", "--report", spelled.toString(), out.toString());
      assertEquals("2", r[0], file + ": " + r[2]);
      assertTrue(r[2].contains("is the run's file"), r[2]);
      assertTrue(r[2].contains("which the page would replace"), r[2]);
      assertArrayEquals(before, Files.readAllBytes(file), file + " unchanged");
    }
    Path link = dir.resolve("link.html");
    Files.createSymbolicLink(link, out.resolve(ExplainCommand.SUMMARY));
    String[] r = InspectModelCommandTest.run("report", "--report", link.toString(), out.toString());
    assertEquals("2", r[0], r[2]);
    assertTrue(Files.isSymbolicLink(link));

    // another file is written
    r =
        InspectModelCommandTest.run(
            "report", "--report", dir.resolve("mine.html").toString(), out.toString());
    assertEquals("0", r[0], r[2]);
    assertTrue(Files.readString(dir.resolve("mine.html")).startsWith("<!DOCTYPE html>"));
  }

  @Test
  void aDirectoryOrAPipeIsNotReplaced(@TempDir Path dir) throws Exception {
    Path out = ReportChecksTest.run(dir);
    Path folder = Files.createDirectories(dir.resolve("folder.html"));
    String[] r =
        InspectModelCommandTest.run("report", "--report", folder.toString(), out.toString());
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains("--report " + folder + " is a directory"), r[2]);
    assertTrue(Files.isDirectory(folder));

    Path fifo = dir.resolve("fifo.html");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(mk.waitFor() == 0, "mkfifo is available");
    r = InspectModelCommandTest.run("report", "--report", fifo.toString(), out.toString());
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains("is not a regular file (a pipe or a device)"), r[2]);
    assertTrue(
        Files.readAttributes(fifo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther(),
        "still a pipe");
  }
}
