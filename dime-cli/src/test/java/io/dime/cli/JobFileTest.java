package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code job.json}: when a run writes it, and what {@code dime report} reads from it. */
class JobFileTest {
  /**
   * A rerun into the folder with another seed is refused before any work, but it had already
   * replaced job.json with its own inputs: the folder's lines and summary stayed the first run's,
   * and {@code dime report} then refused the folder ("'seed' is 5 in job.json, 0 in summary.json").
   */
  @Test
  void aRerunRefusedForOtherSettingsLeavesJobJsonAsItWas(@TempDir Path dir) throws Exception {
    Path out = ReportChecksTest.run(dir);
    Path job = out.resolve(JobFile.NAME);
    byte[] before = Files.readAllBytes(job);

    String[] r = InspectModelCommandTest.run(ReportChecksTest.explain(dir, "out", "--seed", "5"));
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains("'seed' differs"), r[2]);
    assertArrayEquals(before, Files.readAllBytes(job), "job.json as the first run wrote it");

    r = InspectModelCommandTest.run("report", out.toString());
    assertEquals("0", r[0], r[2]);
  }
}
