package io.dime.core;

import io.dime.api.InputException;
import io.dime.api.LimitException;
import io.dime.api.ModelException;
import io.dime.core.infer.PluginErrors;

/**
 * A plugin's code failing on one datapoint in a way its contract does not name: a modality's check
 * or featurizer or a surrogate throwing a {@link NullPointerException}, an {@link
 * ArrayIndexOutOfBoundsException}, an OpenCV error, or a surrogate answering with the wrong shape
 * or non-finite weights. {@link Dime#explainOrError} reports it as the record's error at its stage
 * ({@code input} for a modality's check, {@code featurize}, {@code perturb}, {@code fit}) with the
 * plugin's own words and where it was thrown, and the job goes on with the other records (it was:
 * the exception stopped the job, and each rerun stopped again at the same record).
 */
final class StageFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String stage;

  StageFailure(String stage, String message, Throwable cause) {
    super(message, cause);
    this.stage = stage;
  }

  StageFailure(String stage, String message) {
    super(message);
    this.stage = stage;
  }

  /**
   * The {@link io.dime.api.RecordError} stage: {@code input}, {@code featurize}, {@code perturb} or
   * {@code fit}.
   */
  String stage() {
    return stage;
  }

  /**
   * Whether a plugin's exception is one the engine reports as it is (bad input, a limit, the
   * model's failure, a bad argument: each names its own problem), not as a failure of the plugin.
   */
  static boolean named(RuntimeException e) {
    return e instanceof InputException
        || e instanceof LimitException
        || e instanceof ModelException
        || e instanceof IllegalArgumentException
        || e instanceof StageFailure;
  }

  /**
   * {@code e} itself when it names its own problem ({@link #named}), else the record's failure at
   * {@code stage}: "{@code doing} failed: " and the exception in words ({@link
   * PluginErrors#describe}).
   */
  static RuntimeException wrap(String stage, String doing, RuntimeException e) {
    return named(e)
        ? e
        : new StageFailure(stage, doing + " failed: " + PluginErrors.describe(e), e);
  }
}
