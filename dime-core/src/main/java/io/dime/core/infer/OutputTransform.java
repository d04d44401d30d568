package io.dime.core.infer;

import io.dime.api.ModelException;
import io.dime.api.OutputKind;
import java.util.List;

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
  /**
   * The smallest probability whose logarithm is taken as it is: float32's smallest positive value
   * (1.4e-45). A float32 model returns 0 for any probability below it, so lower values, 0 included,
   * are floored there (log = -103.28) and counted: the record warns about them.
   */
  public static final double PROBABILITY_FLOOR = Float.MIN_VALUE;

  private static final double LOG_FLOOR = Math.log(PROBABILITY_FLOOR);

  private final boolean log;
  private final boolean center;
  private final int outputs;

  /** The outputs' names (class labels), or null: messages name an output by its index only. */
  private final List<String> names;

  public OutputTransform(boolean log, int outputs) {
    this(log, false, outputs);
  }

  /**
   * @param log take the logarithm (probability outputs)
   * @param center subtract each row's mean over the outputs; needs at least two outputs
   * @param outputs the number of outputs of a row
   */
  public OutputTransform(boolean log, boolean center, int outputs) {
    this(log, center, outputs, null);
  }

  /**
   * A transform whose messages name an output by its index and its name ("output 2 ('cat')"), where
   * the name is not the index itself (a model without class names).
   *
   * @param log take the logarithm (probability outputs)
   * @param center subtract each row's mean over the outputs; needs at least two outputs
   * @param names the outputs' names (class labels), one per output of a row
   */
  public OutputTransform(boolean log, boolean center, List<String> names) {
    this(log, center, names.size(), List.copyOf(names));
  }

  private OutputTransform(boolean log, boolean center, int outputs, List<String> names) {
    if (center && outputs < 2) {
      throw new IllegalArgumentException(
          "centred scores need at least 2 outputs; the model has " + outputs);
    }
    this.log = log;
    this.center = center;
    this.outputs = outputs;
    this.names = names;
  }

  /** "output I", and its name in quotes when it has one other than I: "output 2 ('cat')". */
  private String output(int i) {
    String name = names == null ? null : names.get(i);
    return name == null || name.equals(Integer.toString(i))
        ? "output " + i
        : "output " + i + " ('" + name + "')";
  }

  /**
   * Decides, for {@link OutputKind#AUTO}, from one output row: the engine passes the model's output
   * on the first reference-pool datapoint, once per run before the first explanation (every
   * explained point must get the same transform), not the output at each explained point.
   */
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
   *
   * @return how many probabilities were below {@link #PROBABILITY_FLOOR} and floored (0 unless
   *     logarithms are taken)
   */
  public int applyAll(double[] flat, int c) {
    if (c != outputs) {
      throw new ModelException("model returned " + c + " outputs for a row; expected " + outputs);
    }
    if (c == 2 && !log && center && flat.length % 2 == 0) {
      applyPairs(flat);
      return 0;
    }
    int floored = 0;
    // one pass, row by row: each row checked, then logged and centred (a batch with a bad value
    // fails as a whole, so rows transformed before it do not matter)
    for (int from = 0; from < flat.length; from += c) {
      for (int i = from; i < from + c; i++) {
        if (!Double.isFinite(flat[i])) {
          throw new ModelException("model returned " + flat[i] + " for " + output(i - from));
        }
      }
      if (log) {
        for (int i = from; i < from + c; i++) {
          if (flat[i] < PROBABILITY_FLOOR) {
            negative(flat[i], i - from);
            floored++;
          }
          flat[i] = logProbability(flat[i]);
        }
      }
      if (center) {
        centre(flat, from, c);
      }
    }
    return floored;
  }

  /** The logarithm of a probability, floored at {@link #PROBABILITY_FLOOR}. */
  private static double logProbability(double p) {
    return p < PROBABILITY_FLOOR ? LOG_FLOOR : Math.log(p);
  }

  /** Refuses a negative value where probabilities are explained. */
  private void negative(double v, int output) {
    if (v < 0) {
      throw new ModelException(
          "model returned "
              + v
              + " for "
              + output(output)
              + ", which is explained as a probability (the outputs were declared probabilities,"
              + " or, with outputKind auto, summed to 1 on the first reference-pool datapoint): set"
              + " outputKind: logits or regression if they are not probabilities");
    }
  }

  /**
   * How many of a row's values are probabilities below {@link #PROBABILITY_FLOOR}, before {@link
   * #apply(double[])}: 0 unless logarithms are taken.
   */
  public int flooredIn(double[] y) {
    int n = 0;
    if (log && y != null) {
      for (double v : y) {
        n += v < PROBABILITY_FLOOR ? 1 : 0;
      }
    }
    return n;
  }

  /**
   * {@link #applyAll} for centred logits of two classes (a binary classifier), with the same
   * arithmetic in the same order as the general loop, so the same bits.
   */
  private void applyPairs(double[] flat) {
    for (int i = 0; i + 1 < flat.length; i += 2) {
      double a = flat[i];
      double b = flat[i + 1];
      if (!Double.isFinite(a) || !Double.isFinite(b)) {
        throw new ModelException(
            "model returned "
                + (Double.isFinite(a) ? b : a)
                + " for "
                + output(Double.isFinite(a) ? 1 : 0));
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
        throw new ModelException("model returned " + v + " for " + output(c));
      }
      if (log) {
        negative(v, c);
        y[c] = logProbability(v);
      }
    }
    if (center) {
      centre(y, 0, y.length);
    }
    return y;
  }
}
