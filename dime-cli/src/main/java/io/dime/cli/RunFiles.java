package io.dime.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.dime.api.Explanation;
import io.dime.api.run.RunSummary;
import io.dime.core.io.SummaryJson;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of a finished run that {@code dime report} reads, each refused with a message that
 * names the file and the problem ("missing", "is a directory", "not valid JSON at line L, column C:
 * ...") instead of a bare path or a parser's text.
 */
final class RunFiles {
  private RunFiles() {}

  /**
   * Checks that {@code file} is a regular, readable file.
   *
   * @param missing what to add to "FILE: missing", or "" for nothing
   * @throws IllegalArgumentException naming the file and the problem
   */
  static void require(Path file, String missing) {
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(file + ": is a directory, not the run's file");
    }
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(file + ": missing" + missing);
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(file + ": cannot be read (not a readable file)");
    }
  }

  /** The problem of a file that is not valid JSON, with where the parser stopped. */
  static IllegalArgumentException notJson(Path file, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where =
        at == null || at.getLineNr() < 1
            ? ""
            : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return new IllegalArgumentException(
        file + ": not valid JSON" + where + ": " + LineProblems.reason(e), e);
  }

  /**
   * The run's {@code summary.json}, which {@code dime explain} writes when the job ends.
   *
   * @throws IllegalArgumentException naming the file and the problem: missing (a job that stopped
   *     writes none), not valid JSON, a field missing or of another type, another schema version
   */
  static RunSummary summary(Path dir) throws IOException {
    Path file = dir.resolve(ExplainCommand.SUMMARY);
    require(
        file,
        " (dime explain writes it when the job ends: did the run stop before? explain again into"
            + " the same folder to finish it)");
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(file + ": not UTF-8 text", e);
    }
    RunSummary summary;
    try {
      summary = SummaryJson.read(text);
    } catch (JsonProcessingException e) {
      throw notJson(file, e);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    if (summary.schemaVersion() != Explanation.SCHEMA_VERSION) {
      throw new IllegalArgumentException(
          file
              + ": schemaVersion "
              + summary.schemaVersion()
              + " is not one this DIME reads ("
              + Explanation.SCHEMA_VERSION
              + "); draw it with the DIME that wrote it");
    }
    return summary;
  }

  /** The run's {@code explanations.jsonl}, checked to be there. */
  static Path explanations(Path dir) {
    Path file = dir.resolve(ExplainCommand.EXPLANATIONS);
    require(file, "");
    return file;
  }
}
