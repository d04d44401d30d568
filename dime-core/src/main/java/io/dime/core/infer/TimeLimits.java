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

  /** A call on a model thread: interrupted and asked to end; the record does not wait for it. */
  static final String INTERRUPTED = "the call was interrupted";

  /** A call on the record's own thread that stopped, with a failure, once asked to end. */
  static final String ENDED = "the call was ended";

  /**
   * A call on the record's own thread that went on and returned its output after it was asked to
   * end (a model whose calls cannot be ended): the record failed only then, not at its limit.
   */
  static final String RAN_ON =
      "the call, asked to end, ran on to its end: the model does not end a call in progress (a"
          + " smaller --batch-size makes each call shorter)";

  /**
   * The deadline passed during a call on the record's own thread, which has returned since (it was
   * waited for): the message says whether asking it to end ended it ({@code failure}: what it
   * threw) or it ran on to its end regardless, the record failing only then ({@link #noAnswer}).
   */
  static RuntimeException waitedFor(double limitSeconds, long answered, Throwable failure) {
    return noAnswer(limitSeconds, answered, failure, failure != null ? ENDED : RAN_ON);
  }

  /**
   * The deadline passed during a model call: the model's failure when it answered no call of the
   * record within the limit (stalled: it counts towards stopping the job), else the record's limit
   * (a healthy model, a record too costly for its limit).
   *
   * @param answered the record's calls the model had answered
   * @param call what became of the call: {@link #INTERRUPTED}, {@link #ENDED} or {@link #RAN_ON}
   */
  static RuntimeException noAnswer(
      double limitSeconds, long answered, Throwable cause, String call) {
    if (answered > 0) {
      LimitException e =
          new LimitException(
              null,
              "the explanation took longer than "
                  + limitSeconds
                  + " s (limit maxSecondsPerPoint); the model was computing a batch then, and "
                  + call);
      if (cause != null) {
        e.initCause(cause);
      }
      return e;
    }
    return new ModelException(
        "the model gave no answer within the record's time limit ("
            + limitSeconds
            + " s, maxSecondsPerPoint); "
            + call,
        cause);
  }
}
