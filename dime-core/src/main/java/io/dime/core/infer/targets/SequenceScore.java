package io.dime.core.infer.targets;

import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.ModelSignature;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The score of a decoded sequence for an output of step-wise class scores, shape {@code [batch,
 * steps, classes]} (a text recogniser, a captioner, a speech model): the sum, over the chosen
 * steps, of the log-probability of the class chosen at that step.
 *
 * <p>The sequence is decoded greedily at the explained point (the largest score at each step) and
 * then held fixed: every perturbed row is scored on the point's sequence, so the explanation says
 * which features support what the model read at the point. With {@code decode: ctc} the chosen
 * steps are those that emit a character under greedy CTC decoding (not the blank, not a repeat of
 * the step before); with {@code decode: greedy} every step is chosen. Rows scored without a point
 * (the reference pool's) use their own decoding.
 *
 * <p>Step scores are probabilities (the default; their logarithm is taken, floored at {@link
 * #FLOOR}) or logits (log-softmax over the classes of each chosen step).
 */
public final class SequenceScore extends OutputTarget {
  /** The smallest probability whose logarithm is taken: a zero counts as this. */
  public static final double FLOOR = 1e-12;

  /** How the sequence is decoded. */
  public enum Decode {
    GREEDY,
    CTC
  }

  private final String output;
  private final Decode decode;
  private final boolean logits;
  private final int blank;

  /** The sequence decoded at a point: {@code classOf[t]} for each step, -1 where not chosen. */
  record Path(int[] classOf) {}

  /**
   * @param decode greedy or ctc (null: ctc)
   * @param steps probabilities or logits (null: probabilities)
   * @param blank the CTC blank class (null: 0)
   */
  public SequenceScore(String name, String output, String decode, String steps, Integer blank) {
    super(name);
    if (output == null || output.isBlank()) {
      throw new IllegalArgumentException(
          "target '" + name + "' names no output (give output: when the model has several)");
    }
    this.output = output;
    this.decode = parseDecode(name, decode);
    this.logits = parseSteps(name, steps);
    this.blank = blank == null ? 0 : blank;
    if (this.blank < 0) {
      throw new IllegalArgumentException("target '" + name + "': blank is negative");
    }
  }

  private static Decode parseDecode(String name, String s) {
    if (s == null || s.isBlank()) {
      return Decode.CTC;
    }
    try {
      return Decode.valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "target '" + name + "': decode is '" + s + "'; allowed: ctc, greedy");
    }
  }

  private static boolean parseSteps(String name, String s) {
    if (s == null || s.isBlank() || s.trim().equalsIgnoreCase("probabilities")) {
      return false;
    }
    if (s.trim().equalsIgnoreCase("logits")) {
      return true;
    }
    throw new IllegalArgumentException(
        "target '" + name + "': steps is '" + s + "'; allowed: probabilities, logits");
  }

  @Override
  public List<String> outputs() {
    return List.of(output);
  }

  @Override
  public boolean pointBound() {
    return true;
  }

  @Override
  public void check(ModelSignature signature) {
    TensorSpec s = spec(signature, output);
    long[] shape = s.shape();
    if (shape.length != 3) {
      throw new IllegalArgumentException(
          "target '"
              + name()
              + "': a sequence score needs an output [batch, steps, classes]; "
              + shapeOf(s)
              + " has "
              + shape.length
              + " axes");
    }
    if (decode == Decode.CTC && shape[2] >= 0 && blank >= shape[2]) {
      throw new IllegalArgumentException(
          "target '" + name() + "': blank " + blank + " is not a class of " + shapeOf(s));
    }
  }

  private int[] dims(Tensor y) {
    long[] s = y.shape();
    if (s.length != 3 || s[1] < 1 || s[2] < 1) {
      throw new ModelException(
          "target '"
              + name()
              + "': output '"
              + output
              + "' has shape "
              + Arrays.toString(s)
              + "; a sequence score needs [batch, steps, classes]");
    }
    if (decode == Decode.CTC && blank >= s[2]) {
      throw new ModelException(
          "target '" + name() + "': blank " + blank + " is not one of " + s[2] + " classes");
    }
    return new int[] {(int) s[1], (int) s[2]};
  }

  @Override
  public Object bind(Map<String, Tensor> pointOutputs) {
    Tensor y = tensor(pointOutputs, output, 1);
    int[] d = dims(y);
    return decode(y, 0, d[0], d[1], new double[d[1]]);
  }

  /** The greedy path of row i. */
  private Path decode(Tensor y, int i, int steps, int classes, double[] buf) {
    int[] classOf = new int[steps];
    int prev = -1;
    for (int t = 0; t < steps; t++) {
      copy(y, (i * steps + t) * classes, buf, classes);
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (buf[c] > buf[best]) {
          best = c;
        }
      }
      boolean chosen = decode == Decode.GREEDY || (best != blank && best != prev);
      classOf[t] = chosen ? best : -1;
      prev = best;
    }
    return new Path(classOf);
  }

  @Override
  public void score(
      Map<String, Tensor> outputs, int n, Object binding, double[] out, int col, int stride) {
    Tensor y = tensor(outputs, output, n);
    int[] d = dims(y);
    int steps = d[0];
    int classes = d[1];
    Path bound = (Path) binding;
    if (bound != null && bound.classOf().length != steps) {
      throw new ModelException(
          "target '"
              + name()
              + "': output '"
              + output
              + "' has "
              + steps
              + " steps here and "
              + bound.classOf().length
              + " at the explained point");
    }
    double[] buf = new double[classes];
    for (int i = 0; i < n; i++) {
      Path p = bound != null ? bound : decode(y, i, steps, classes, buf);
      double s = 0;
      for (int t = 0; t < steps; t++) {
        int c = p.classOf()[t];
        if (c >= 0) {
          s += logScore(y, (i * steps + t) * classes, classes, c, buf);
        }
      }
      out[i * stride + col] = s;
    }
  }

  /** The log-probability of class c at the step whose scores start at {@code from}. */
  private double logScore(Tensor y, int from, int classes, int c, double[] buf) {
    if (!logits) {
      return Math.log(Math.max(at(y, from + c), FLOOR));
    }
    copy(y, from, buf, classes);
    double max = Double.NEGATIVE_INFINITY;
    for (double v : buf) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : buf) {
      sum += Math.exp(v - max);
    }
    return buf[c] - max - Math.log(sum);
  }

  /** The classes of the sequence decoded at the point, in order (for messages and reports). */
  public static int[] decoded(Object binding) {
    return Arrays.stream(((Path) binding).classOf()).filter(c -> c >= 0).toArray();
  }

  @Override
  public String describe() {
    return name()
        + " = "
        + decode.name().toLowerCase(Locale.ROOT)
        + " sequence score of "
        + output
        + (logits ? " (logits)" : "")
        + (decode == Decode.CTC ? " (blank " + blank + ")" : "");
  }
}
