package io.dime.core.infer;

import io.dime.api.ModelException;
import io.dime.api.OutputKind;

/**
 * Turns raw model outputs into the scores that are explained: logits and regression outputs as they
 * are, probabilities as log-probabilities. Rejects NaN and wrong lengths.
 */
public final class OutputTransform {
  private final boolean log;
  private final int outputs;

  public OutputTransform(boolean log, int outputs) {
    this.log = log;
    this.outputs = outputs;
  }

  /** Decides, for {@link OutputKind#AUTO}, from the model's output at the explained point. */
  public static boolean looksLikeProbabilities(double[] y) {
    if (y.length < 2) {
      return false;
    }
    double s = 0;
    for (double v : y) {
      if (v < 0 || v > 1) {
        return false;
      }
      s += v;
    }
    return Math.abs(s - 1) < 1e-4;
  }

  public boolean isLog() {
    return log;
  }

  /**
   * Checks and transforms, in place, a batch's outputs laid out row after row, {@code c} values a
   * row; the same checks and messages as {@link #apply(double[])}.
   */
  public void applyAll(double[] flat, int c) {
    if (c != outputs) {
      throw new ModelException("model returned " + c + " outputs for a row; expected " + outputs);
    }
    boolean bad = false;
    for (double v : flat) {
      bad |= !Double.isFinite(v);
    }
    if (bad) {
      for (int i = 0; i < flat.length; i++) {
        double v = flat[i];
        if (!Double.isFinite(v)) {
          throw new ModelException("model returned " + v + " for output " + (i % c));
        }
      }
    }
    if (log) {
      for (int i = 0; i < flat.length; i++) {
        flat[i] = Math.log(Math.max(flat[i], 1e-300));
      }
    }
  }

  /** Checks and transforms one output row in place. */
  public double[] apply(double[] y) {
    if (y == null || y.length != outputs) {
      throw new ModelException(
          "model returned "
              + (y == null ? "no output" : y.length + " outputs")
              + " for a row; expected "
              + outputs);
    }
    for (int c = 0; c < y.length; c++) {
      double v = y[c];
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        throw new ModelException("model returned " + v + " for output " + c);
      }
      if (log) {
        y[c] = Math.log(Math.max(v, 1e-300));
      }
    }
    return y;
  }
}
