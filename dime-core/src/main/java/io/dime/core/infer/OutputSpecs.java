package io.dime.core.infer;

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
   * read row by row in the same order.
   */
  static int outputCount(TensorSpec outSpec) {
    long[] shape = outSpec.shape();
    long count = 1;
    int wide = 0;
    boolean known = true;
    for (int i = 1; i < shape.length; i++) {
      if (shape[i] < 1) {
        known = false;
      } else if (shape[i] > 1) {
        wide++;
        count = shape[i];
      }
    }
    if (!known || wide > 1 || count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "output '"
              + outSpec.name()
              + "' must have shape [batch] or [batch, classes] with a known class count (other"
              + " dimensions of size 1 aside), found "
              + TensorSpec.shapeText(shape)
              + " (select and reduce it with pipeline targets: see the README)");
    }
    return (int) count;
  }

  /** The class names, or the indices when none are given. */
  static List<String> outputNames(List<String> classNames, int outputCount, String out) {
    if (classNames != null && !classNames.isEmpty() && classNames.size() != outputCount) {
      throw new IllegalArgumentException(
          classNames.size() + " class names for " + outputCount + " outputs of '" + out + "'");
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < outputCount; i++) {
      names.add(
          classNames == null || classNames.isEmpty() ? Integer.toString(i) : classNames.get(i));
    }
    return List.copyOf(names);
  }
}
