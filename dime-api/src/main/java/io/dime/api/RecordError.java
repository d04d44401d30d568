package io.dime.api;

import static java.util.Objects.requireNonNull;

/**
 * A datapoint that could not be explained, with the reason. The job goes on with the others.
 *
 * @param id the datapoint id (or the manifest line when the id itself could not be read)
 * @param stage where it failed: "read", "featurize", "perturb", "model", "fit"
 * @param message what is wrong, naming the problem
 */
public record RecordError(String id, String stage, String message) implements ExplainResult {
  public RecordError {
    requireNonNull(id, "id is null");
    requireNonNull(stage, "stage is null");
    requireNonNull(message, "message is null");
  }
}
