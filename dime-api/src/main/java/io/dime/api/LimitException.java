package io.dime.api;

/**
 * A record that would exceed one of the engine's limits (features per modality, model passes or
 * wall time per record): reported for that record, with stage {@code "limit"}, while the job goes
 * on with the others. The message names the limit and how to raise it.
 *
 * @since 0.1
 */
public class LimitException extends InputException {
  private static final long serialVersionUID = 1L;

  /**
   * @param recordId the datapoint id, or null when not known at the point of failure
   * @param problem what exceeds which limit
   */
  public LimitException(String recordId, String problem) {
    super(recordId, problem);
  }
}
