package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run at a time in an output folder; a refused resume is a usage error, not a failed job. */
class OutputLockTest {
  @Test
  void aSecondRunIntoAFolderInUseIsRefusedAndWritesNothing(@TempDir Path dir) throws Exception {
    Path out = ReportChecksTest.run(dir);
    List<String> written = Files.readAllLines(out.resolve("explanations.jsonl"));
    String report = Files.readString(out.resolve("report.html"));
    try (OutputLock held = OutputLock.take(out)) {
      String[] r = InspectModelCommandTest.run(ReportChecksTest.explain(dir, "out", "--seed", "9"));
      assertEquals("2", r[0], r[2]);
      assertTrue(r[2].contains("another dime run is writing to " + out), r[2]);
    }
    assertEquals(written, Files.readAllLines(out.resolve("explanations.jsonl")));
    assertEquals(report, Files.readString(out.resolve("report.html")));
    // once the lock is free, the same command reaches the checkpoint, which refuses other
    // settings before any work: exit 2, and nothing to resume
    String[] r = InspectModelCommandTest.run(ReportChecksTest.explain(dir, "out", "--seed", "9"));
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains("holds explanations made with other settings"), r[2]);
    assertTrue(!r[2].contains("a rerun resumes"), r[2]);
    assertEquals(written, Files.readAllLines(out.resolve("explanations.jsonl")));
  }

  @Test
  void aReportOfAFolderARunIsWritingToIsRefused(@TempDir Path dir) throws Exception {
    Path out = ReportChecksTest.run(dir);
    String report = Files.readString(out.resolve("report.html"));
    Path elsewhere = dir.resolve("elsewhere.html");
    try (OutputLock held = OutputLock.take(out)) {
      String[] r = InspectModelCommandTest.run("report", out.toString());
      assertEquals("2", r[0], r[2]);
      assertTrue(r[2].contains("is writing to " + out), r[2]);
      assertTrue(r[2].contains("draw its report once it has ended"), r[2]);
      // drawing elsewhere reads the run's files all the same: refused too, nothing written
      r = InspectModelCommandTest.run("report", out.toString(), "--report", elsewhere.toString());
      assertEquals("2", r[0], r[2]);
      assertTrue(r[2].contains("a dime run is writing to " + out), r[2]);
    }
    assertEquals(report, Files.readString(out.resolve("report.html")));
    assertTrue(!Files.exists(elsewhere));
    // once the run has ended, both are drawn
    String[] r = InspectModelCommandTest.run("report", out.toString());
    assertEquals("0", r[0], r[2]);
    r = InspectModelCommandTest.run("report", out.toString(), "--report", elsewhere.toString());
    assertEquals("0", r[0], r[2]);
    assertTrue(Files.exists(elsewhere));
  }

  @Test
  void aReportOfAFolderNoRunLockedTakesNoLockThere(@TempDir Path dir) throws Exception {
    Path out = ReportChecksTest.run(dir);
    Files.delete(out.resolve(OutputLock.FILE));
    Path elsewhere = dir.resolve("elsewhere.html");
    String[] r =
        InspectModelCommandTest.run("report", out.toString(), "--report", elsewhere.toString());
    assertEquals("0", r[0], r[2]);
    assertTrue(!Files.exists(out.resolve(OutputLock.FILE)));
    // a folder that is not a run's is refused by name, and gets no lock file
    Path empty = Files.createDirectory(dir.resolve("empty"));
    r = InspectModelCommandTest.run("report", empty.toString());
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains("no job.json in " + empty), r[2]);
    assertTrue(!Files.exists(empty.resolve(OutputLock.FILE)));
  }
}
