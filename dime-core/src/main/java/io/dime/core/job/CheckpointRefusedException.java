package io.dime.core.job;

/**
 * A checkpoint holds explanations made with other settings (model, pipeline, parameters), so the
 * job refuses to resume into it before explaining anything: a usage problem, not a failed job.
 *
 * @since 0.3
 */
public final class CheckpointRefusedException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public CheckpointRefusedException(String message) {
    super(message);
  }
}
