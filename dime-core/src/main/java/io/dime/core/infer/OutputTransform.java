package io.dime.core.infer;

import io.dime.api.ModelException;
import io.dime.api.OutputKind;

/**
 * Turns raw model outputs into the scores that are explained: logits and regression outputs as they
 * are, probabilities as log-probabilities, and, when centring, each row's scores minus their mean
 * over the outputs (the centred log-ratio of the class probabilities). Rejects NaN and wrong
 * lengths.
 *
 * <p>Why centre: a softmax classifier's logits are defined only up to a constant per row (adding
 * the same number to every class leaves the probabilities unchanged). DIME averages one class's
 * score over rows that mix modalities, so a row-wise level that moves with the inputs enters the
 * unimodal and interaction terms although the model's predictions ignore it. Centred scores are the
 * one representative of the row's softmax-equivalent logits that sums to 0; two models with the
 * same probabilities get the same centred scores, and so the same explanations.
 */
public final class OutputTransform {
  private final boolean log;
  private final boolean center;
  private final int outputs;

  public OutputTransform(boolean log, int outputs) {
    this(log, false, outputs);
  }

  /**
   * @param log take the logarithm (probability outputs)
   * @param center subtract each row's mean over the outputs; needs at least two outputs
   * @param outputs the number of outputs of a row
   */
  public OutputTransform(boolean log, boolean center, int outputs) {
    if (center && outputs < 2) {
      throw new IllegalArgumentException(
          "centred scores need at least 2 outputs; the model has " + outputs);
    }
    this.log = log;
    this.center = center;
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

  /**
   * The predicted class: the index of the largest score (the first of equals); -1 for no scores.
   * Taking logarithms or centring does not move it.
   */
  public static int argmax(double[] scores) {
    int best = -1;
    for (int i = 0; i < scores.length; i++) {
      if (best < 0 || scores[i] > scores[best]) {
        best = i;
      }
    }
    return best;
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
    if (c == 2 && !log && center && flat.length % 2 == 0) {
      applyPairs(flat);
      return;
    }
    // one pass, row by row: each row checked, then logged and centred (a batch with a bad value
    // fails as a whole, so rows transformed before it do not matter)
    for (int from = 0; from < flat.length; from += c) {
      for (int i = from; i < from + c; i++) {
        if (!Double.isFinite(flat[i])) {
          throw new ModelException("model returned " + flat[i] + " for output " + (i - from));
        }
      }
      if (log) {
        for (int i = from; i < from + c; i++) {
          flat[i] = Math.log(Math.max(flat[i], 1e-300));
        }
      }
      if (center) {
        centre(flat, from, c);
      }
    }
  }

  /**
   * {@link #applyAll} for centred logits of two classes (a binary classifier), with the same
   * arithmetic in the same order as the general loop, so the same bits.
   */
  private static void applyPairs(double[] flat) {
    for (int i = 0; i + 1 < flat.length; i += 2) {
      double a = flat[i];
      double b = flat[i + 1];
      if (!Double.isFinite(a) || !Double.isFinite(b)) {
        throw new ModelException(
            "model returned "
                + (Double.isFinite(a) ? b : a)
                + " for output "
                + (Double.isFinite(a) ? 1 : 0));
      }
      double mean = 0;
      mean += a;
      mean += b;
      mean /= 2;
      flat[i] = a - mean;
      flat[i + 1] = b - mean;
    }
  }

  private static void centre(double[] y, int from, int c) {
    double mean = 0;
    for (int i = from; i < from + c; i++) {
      mean += y[i];
    }
    mean /= c;
    for (int i = from; i < from + c; i++) {
      y[i] -= mean;
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
    if (center) {
      centre(y, 0, y.length);
    }
    return y;
  }
}
