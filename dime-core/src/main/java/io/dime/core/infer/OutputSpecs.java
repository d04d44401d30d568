package io.dime.core.infer;

import io.dime.api.ElementType;
import io.dime.api.OutputKind;
import io.dime.api.TensorSpec;
import io.dime.spi.ModelSignature;
import java.util.ArrayList;
import java.util.List;

/** {@link EncodedModel}'s reading of the explained output: which one, its classes, their names. */
final class OutputSpecs {
  private OutputSpecs() {}

  /** The output to explain: the named one, or the only one when none is named. */
  static TensorSpec outputSpec(ModelSignature sig, String output) {
    if (output == null) {
      if (sig.outputs().size() != 1) {
        throw new IllegalArgumentException(
            "the model has outputs "
                + sig.outputs().stream().map(TensorSpec::name).toList()
                + "; name the one to explain");
      }
      return sig.outputs().get(0);
    }
    return sig.output(output)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no model output '"
                        + output
                        + "'; outputs: "
                        + sig.outputs().stream().map(TensorSpec::name).toList()));
  }

  /**
   * The class count of an output of shape [batch] (1) or [batch, classes], or of one with further
   * dimensions of size 1 ([batch, 1, classes], [batch, classes, 1], [batch, 1, 1]): its values are
   * read row by row in the same order. A model that leaves its one class dimension unnamed ([batch,
   * ?], as some exports do) has as many classes as {@code classNames} names; each call's output is
   * then checked against that count.
   *
   * @param classNames the pipeline's class names, or null or empty for none
   */
  static int outputCount(TensorSpec outSpec, List<String> classNames) {
    long[] shape = outSpec.shape();
    long count = 1;
    int wide = 0;
    int unknown = 0;
    for (int i = 1; i < shape.length; i++) {
      if (shape[i] < 1) {
        unknown++;
      } else if (shape[i] > 1) {
        wide++;
        count = shape[i];
      }
    }
    boolean named = classNames != null && !classNames.isEmpty();
    if (unknown == 1 && wide == 0 && named) {
      return classNames.size();
    }
    if (unknown > 0 || wide > 1 || count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "output '"
              + outSpec.name()
              + "' must have shape [batch] or [batch, classes] with a known class count (other"
              + " dimensions of size 1 aside), found "
              + TensorSpec.shapeText(shape)
              + (unknown == 1 && wide == 0
                  ? ": the model does not fix its class count, so list the classes in the"
                      + " pipeline's classNames (one name per output value)"
                  : " (select and reduce it with pipeline targets: see the README)"));
    }
    return (int) count;
  }

  /**
   * Refuses to explain an integer output (a classifier's predicted class) unless {@code kind} is
   * {@link OutputKind#REGRESSION}: a class index is not a score.
   */
  static void checkScores(ModelSignature sig, TensorSpec outSpec, OutputKind kind) {
    if (outSpec.type() == ElementType.FLOAT32 || kind == OutputKind.REGRESSION) {
      return;
    }
    List<String> floats = new ArrayList<>();
    for (TensorSpec o : sig.outputs()) {
      if (o.type() == ElementType.FLOAT32) {
        floats.add("'" + o.name() + "' " + TensorSpec.shapeText(o.shape()));
      }
    }
    throw new IllegalArgumentException(
        "output '"
            + outSpec.name()
            + "' ("
            + outSpec.type()
            + " "
            + TensorSpec.shapeText(outSpec.shape())
            + ") holds integers, as a classifier's predicted class does, and a class index is not"
            + " a score to decompose: explain the scores it is taken from"
            + (floats.isEmpty()
                ? " (the model has no float output: export its scores too)"
                : " (the model's float outputs: "
                    + String.join(", ", floats)
                    + ") with output:"
                    + " NAME")
            + ", or set outputKind: regression if the integers are amounts (a count)");
  }

  /** The class names, or the indices when none are given. */
  static List<String> outputNames(List<String> classNames, int outputCount, String out) {
    if (classNames != null && !classNames.isEmpty() && classNames.size() != outputCount) {
      // "3 class names for 2 outputs of 'y'" named neither the setting nor what to give
      throw new IllegalArgumentException(
          "classNames lists "
              + classNames.size()
              + (classNames.size() == 1 ? " name" : " names")
              + ", but output '"
              + out
              + "' has "
              + outputCount
              + (outputCount == 1 ? " class" : " classes")
              + "; give one name per class, in the output's order");
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < outputCount; i++) {
      names.add(
          classNames == null || classNames.isEmpty() ? Integer.toString(i) : classNames.get(i));
    }
    return List.copyOf(names);
  }
}
