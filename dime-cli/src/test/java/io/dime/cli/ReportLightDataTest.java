package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dime report} over a run made with {@code --pool}, whose data file's records it holds
 * without their values and reads again one at a time: a record whose line can no longer be read is
 * named once in the report's finding, with the manifest's own words.
 */
class ReportLightDataTest {
  @Test
  void aRecordThatCannotBeReadNowIsNamedOnce(@TempDir Path dir) throws Exception {
    Path model = ResumeChangedPoolTest.model(dir);
    Files.writeString(dir.resolve("pipeline.yaml"), CliFixtures.twoVectors(3, 2, "[no, yes]"));
    Files.writeString(
        dir.resolve("data.jsonl"),
        "{\"id\": \"r0\", \"a\": [1, 2, 3], \"b\": [0.5, -1]}\n"
            + "{\"id\": \"r1\", \"a\": [0, 1, 0], \"b\": [2, 1]}\n");
    Files.writeString(
        dir.resolve("pool.jsonl"),
        "{\"id\": \"p0\", \"a\": [1, 1, 1], \"b\": [1, 2]}\n"
            + "{\"id\": \"p1\", \"a\": [0, 0, 1], \"b\": [-2, 4]}\n");
    Map.Entry<Integer, String> ran =
        CliFixtures.run(
            CliFixtures.explain(model, dir, "data.jsonl", "out", "--samples", "20", "--quiet"));
    assertEquals(0, ran.getKey(), ran.getValue());

    Files.writeString(
        dir.resolve("data.jsonl"),
        "{\"id\": \"r0\", \"a\": [1, 2, 3], \"b\": [0.5, -1]}\n"
            + "{\"id\": \"r1\", \"a\": [0, 1, 0], \"c\": [2, 1]}\n");
    Map.Entry<Integer, String> report = CliFixtures.run("report", dir.resolve("out").toString());
    String said = report.getValue();
    assertTrue(
        said.contains("record 'r1': its input cannot be read now: missing modality 'b'"), said);
    String finding = said.lines().filter(l -> l.contains("cannot be read now:")).findFirst().get();
    assertEquals(finding.indexOf("'r1'"), finding.lastIndexOf("'r1'"), finding);
    String html = Files.readString(dir.resolve("out").resolve(ExplainCommand.REPORT));
    assertTrue(html.contains("Its input cannot be read now (missing modality"), html);
  }
}
