package io.dime.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A datapoint that could not be explained, with the reason. The job goes on with the others.
 *
 * @param id the datapoint id; empty when the record's own id could not be read
 * @param line the record's 1-based line in its manifest; 0 when it did not come from a file
 * @param stage where it failed: "read" (the manifest line or its files), "input" (the value, or a
 *     modality's check or encoder failing on it), "featurize", "perturb" (a modality's feature set
 *     hiding features), "model", "fit" (the surrogate), "limit" (a per-record limit)
 * @param message what is wrong, naming the problem
 * @since 0.1
 */
public record RecordError(Optional<String> id, int line, String stage, String message)
    implements ExplainResult {
  public RecordError {
    requireNonNull(id, "id is null");
    if (line < 0) {
      throw new IllegalArgumentException("line must be >= 0, found " + line);
    }
    requireNonNull(stage, "stage is null");
    requireNonNull(message, "message is null");
  }

  /** The error of a datapoint built in code (no manifest line). */
  public RecordError(String id, String stage, String message) {
    this(Optional.of(requireNonNull(id, "id is null")), 0, stage, message);
  }

  /** This error at a manifest line. */
  public RecordError atLine(int manifestLine) {
    return new RecordError(id, manifestLine, stage, message);
  }

  @Override
  public Optional<String> recordId() {
    return id;
  }
}
