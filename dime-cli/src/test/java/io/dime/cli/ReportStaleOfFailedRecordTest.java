package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record explained once whose file is gone at a rerun gets an error line in its place, and its
 * earlier explanation is kept at the end of the file as a stale line (nothing written is lost;
 * summary.json counts it in staleLines). {@code dime report} read that kept line as a second line
 * of the id, "not drawn", and then found fewer stale lines than the summary counts ("0 explained
 * records are not in the manifest now (the run kept 1 stale lines)"), exit 1: a run that is whole
 * reported as damaged. It now reads it as the stale line it is.
 */
class ReportStaleOfFailedRecordTest {
  @Test
  void theKeptLineOfARecordThatNowFailsIsAStaleLineNotADamagedRun(@TempDir Path dir)
      throws Exception {
    Path model = ResumeChangedPoolTest.model(dir);
    ResumeChangedPoolTest.seriesPipeline(dir);
    Files.writeString(dir.resolve("r1.csv"), "x\n1\n2\n");
    Files.writeString(
        dir.resolve("data.jsonl"),
        """
        {"id": "r0", "a": [1, 2, 3], "b": [0.5, -1]}
        {"id": "r1", "a": [0, 1, 0], "b": "r1.csv"}
        {"id": "r2", "a": [1, 0, 1], "b": [-1, 3]}
        """);
    Files.writeString(
        dir.resolve("pool.jsonl"),
        """
        {"id": "p0", "a": [1, 1, 1], "b": [2, 1]}
        {"id": "p1", "a": [0, 0, 1], "b": [-2, 4]}
        """);
    String[] args =
        CliFixtures.explain(model, dir, "data.jsonl", "out", "--samples", "30", "--quiet");
    Map.Entry<Integer, String> first = CliFixtures.run(args);
    assertEquals(0, first.getKey(), first.getValue());

    Files.delete(dir.resolve("r1.csv"));
    Map.Entry<Integer, String> again = CliFixtures.run(args);
    assertEquals(1, again.getKey(), again.getValue());
    String summary = Files.readString(dir.resolve("out/summary.json"));
    assertTrue(summary.replace(" ", "").contains("\"staleLines\":1"), summary);
    assertEquals(4, Files.readAllLines(dir.resolve("out/explanations.jsonl")).size());

    Map.Entry<Integer, String> report = CliFixtures.run("report", dir.resolve("out").toString());
    assertFalse(report.getValue().contains("not in the manifest now"), report.getValue());
    assertFalse(report.getValue().contains("second line"), report.getValue());
    assertEquals(0, report.getKey(), report.getValue());
  }
}
