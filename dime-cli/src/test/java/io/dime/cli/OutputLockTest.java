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
}
