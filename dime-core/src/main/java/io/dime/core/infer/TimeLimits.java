package io.dime.core.infer;

import io.dime.api.LimitException;
import io.dime.api.ModelException;

/**
 * How a {@link BatchRunner} fails a record whose time limit ({@code maxSecondsPerPoint}) passed.
 */
final class TimeLimits {
  private TimeLimits() {}

  /** The record's own work used its time before a model call was awaited: its limit. */
  static LimitException overTime(double limitSeconds) {
    return new LimitException(
        null,
        "the explanation took longer than "
            + limitSeconds
            + " s (limit maxSecondsPerPoint): --max-seconds-per-point raises it (0: none)");
  }

  /**
   * The deadline passed during a model call: the model's failure when it answered no call of the
   * record within the limit (stalled: it counts towards stopping the job), else the record's limit
   * (a healthy model, a record too costly for its limit).
   *
   * @param answered the record's calls the model had answered
   */
  static RuntimeException noAnswer(double limitSeconds, long answered, Throwable cause) {
    if (answered > 0) {
      LimitException e =
          new LimitException(
              null,
              "the explanation took longer than "
                  + limitSeconds
                  + " s (limit maxSecondsPerPoint); the model was computing a batch then, and the"
                  + " call was interrupted");
      if (cause != null) {
        e.initCause(cause);
      }
      return e;
    }
    return new ModelException(
        "the model gave no answer within the record's time limit ("
            + limitSeconds
            + " s, maxSecondsPerPoint); the call was interrupted",
        cause);
  }
}
