package io.dime.core.infer.targets;

import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.ModelSignature;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One explained score computed from a model's raw outputs, one number per row: an element, slice or
 * reduction of an output ({@link Reduction}), the score of a decoded sequence ({@link
 * SequenceScore}), or the similarity of two outputs ({@link Similarity}). A pipeline's {@code
 * targets} section lists them; each becomes one explainable "class" named by the target.
 *
 * <p>A target may depend on the explained point ({@link #pointBound()}): a sequence score scores
 * the sequence decoded at the point on every perturbed row. {@link #bind} makes that state from the
 * point's own outputs; rows scored without it (the reference pool's) use their own decoding.
 */
public abstract sealed class OutputTarget permits Reduction, SequenceScore, Similarity {
  private final String name;

  OutputTarget(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a target has no name");
    }
    this.name = name;
  }

  /** The target's name: the name of the explained "class". */
  public final String name() {
    return name;
  }

  /** The model outputs it reads. */
  public abstract List<String> outputs();

  /**
   * Checks, before any work, the outputs' shapes against the model's signature (dimensions the
   * signature leaves open are checked on the first batch).
   *
   * @throws IllegalArgumentException naming the target, the output and the problem
   */
  public abstract void check(ModelSignature signature);

  /** Whether the score depends on the explained point (it must then be {@link #bind bound}). */
  public boolean pointBound() {
    return false;
  }

  /**
   * The state this target keeps for one explained point, made from the point's outputs (a batch of
   * one row); null for targets that keep none.
   */
  public Object bind(Map<String, Tensor> pointOutputs) {
    return null;
  }

  /**
   * Scores a batch of n rows into {@code out[i * stride + col]}.
   *
   * @param binding what {@link #bind} returned for the explained point, or null (no point)
   */
  public abstract void score(
      Map<String, Tensor> outputs, int n, Object binding, double[] out, int col, int stride);

  /** A description for provenance and messages. */
  public abstract String describe();

  @Override
  public String toString() {
    return describe();
  }

  // ---- shared helpers ----

  /** The output's spec, or an error naming the target and the model's outputs. */
  final TensorSpec spec(ModelSignature sig, String output) {
    return sig.output(output)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "target '"
                        + name
                        + "': no model output '"
                        + output
                        + "'; outputs: "
                        + sig.outputs().stream().map(OutputTarget::shapeOf).toList()));
  }

  /** An output as {@code name [d0, d1, ...]} with open dimensions as '?'. */
  static String shapeOf(TensorSpec s) {
    return s.name() + " " + dims(s.shape());
  }

  /** A shape with open dimensions written as '?'. */
  static String dims(long[] shape) {
    return io.dime.api.TensorSpec.shapeText(shape);
  }

  /** The batch's tensor of an output, checked to hold n rows of equal size. */
  final Tensor tensor(Map<String, Tensor> outputs, String output, int n) {
    Tensor y = outputs.get(output);
    if (y == null) {
      throw new ModelException(
          "target '" + name + "': the model returned no output '" + output + "'");
    }
    if (y.shape().length == 0 || y.shape()[0] != n) {
      throw new ModelException(
          "target '"
              + name
              + "': output '"
              + output
              + "' has shape "
              + Arrays.toString(y.shape())
              + " for a batch of "
              + n
              + " rows");
    }
    return y;
  }

  /** Element i of a tensor as a double. */
  static double at(Tensor y, int i) {
    return y.type() == ElementType.FLOAT32 ? y.floats()[i] : y.longs()[i];
  }

  /** Reads a tensor's elements [from, from + len) as doubles into dst. */
  static void copy(Tensor y, int from, double[] dst, int len) {
    if (y.type() == ElementType.FLOAT32) {
      float[] f = y.floats();
      for (int i = 0; i < len; i++) {
        dst[i] = f[from + i];
      }
    } else {
      long[] l = y.longs();
      for (int i = 0; i < len; i++) {
        dst[i] = l[from + i];
      }
    }
  }
}
