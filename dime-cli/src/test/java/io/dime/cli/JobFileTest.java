package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.core.Versions;
import io.dime.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  /** Like the run's other JSON documents, job.json has a schemaVersion and the provenance. */
  @Test
  void jobJsonCarriesTheSchemaVersionAndTheRunsProvenance(@TempDir Path dir) throws Exception {
    Path out = ReportChecksTest.run(dir);
    JsonNode job = Json.mapper().readTree(out.resolve(JobFile.NAME).toFile());
    JsonNode summary = Json.mapper().readTree(out.resolve(ExplainCommand.SUMMARY).toFile());
    assertEquals("schemaVersion", job.fieldNames().next(), "first, as in the other documents");
    assertEquals(1, job.path("schemaVersion").intValue());
    assertTrue(job.path("schemaVersion").isInt(), job.toString());
    assertEquals(summary.path("provenance"), job.path("provenance"));
    assertEquals(0, job.path("provenance").path("seed").longValue());
    assertEquals(
        Versions.sha256(dir.resolve("data.jsonl")),
        job.path("provenance").path("manifestSha256").asText());
  }

  /**
   * A job.json written before it had a schemaVersion and provenance is still read by {@code dime
   * report}, and a rerun into its folder still resumes (and writes the new fields).
   */
  @Test
  void anOldJobJsonWithoutThemIsStillReadAndResumed(@TempDir Path dir) throws Exception {
    Path out = ReportChecksTest.run(dir);
    Path file = out.resolve(JobFile.NAME);
    ObjectNode job = (ObjectNode) Json.mapper().readTree(file.toFile());
    job.remove(List.of("schemaVersion", "provenance"));
    Files.writeString(file, job.toPrettyString());

    String[] r = InspectModelCommandTest.run("report", out.toString());
    assertEquals("0", r[0], r[2]);

    r = InspectModelCommandTest.run(ReportChecksTest.explain(dir, "out"));
    assertEquals("0", r[0], r[2]);
    JsonNode summary = Json.mapper().readTree(out.resolve(ExplainCommand.SUMMARY).toFile());
    assertEquals(6, summary.path("counts").path("resumed").intValue(), summary.toString());
    assertEquals(1, Json.mapper().readTree(file.toFile()).path("schemaVersion").intValue());
  }

  /**
   * A job.json of another schemaVersion is refused naming the file and the version, before its
   * fields (which this DIME may not know) are read; so is one whose version is not a number.
   */
  @Test
  void aJobJsonOfAnotherSchemaVersionIsRefused(@TempDir Path dir) throws Exception {
    Path out = ReportChecksTest.run(dir);
    Path file = out.resolve(JobFile.NAME);
    ObjectNode job = (ObjectNode) Json.mapper().readTree(file.toFile());
    job.put("schemaVersion", 2).put("aFieldOfVersion2", true);
    Files.writeString(file, job.toPrettyString());

    String[] r = InspectModelCommandTest.run("report", out.toString());
    assertEquals("2", r[0], r[2]);
    assertEquals(
        "dime: "
            + file
            + ": schemaVersion 2 is not one this DIME reads (1); draw it with the DIME that wrote"
            + " it\n",
        r[2]);

    job.put("schemaVersion", "1");
    Files.writeString(file, job.toPrettyString());
    r = InspectModelCommandTest.run("report", out.toString());
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains(file + ": schemaVersion \"1\" is not one this DIME reads"), r[2]);
  }
}
