package io.dime.api;

import java.util.Optional;

/**
 * Bad input for one record: unreadable file, empty text, NaN in a series, a missing modality. The
 * job reports it for that record and goes on with the others.
 *
 * @since 0.1
 */
public class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String recordId;

  /**
   * @param recordId the datapoint id, or null when not known at the point of failure (the engine
   *     fills it in when it reports the error)
   * @param problem what is wrong, in words a user can act on
   */
  public InputException(String recordId, String problem) {
    super(recordId == null ? problem : "record '" + recordId + "': " + problem);
    this.recordId = recordId;
  }

  public InputException(String recordId, String problem, Throwable cause) {
    super(recordId == null ? problem : "record '" + recordId + "': " + problem, cause);
    this.recordId = recordId;
  }

  /** The datapoint id, when known. */
  public Optional<String> recordId() {
    return Optional.ofNullable(recordId);
  }
}
