package io.dime.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which output classes to explain for a datapoint: the predicted class, the label's class, named or
 * indexed classes, or a combination (each class once, with every reason it was chosen).
 */
public final class Targets {
  private final boolean predicted;
  private final boolean label;
  private final boolean all;
  private final List<String> named;

  private Targets(boolean predicted, boolean label, List<String> named) {
    this(predicted, label, false, named);
  }

  private Targets(boolean predicted, boolean label, boolean all, List<String> named) {
    this.predicted = predicted;
    this.label = label;
    this.all = all;
    this.named = List.copyOf(named);
  }

  /** Every output (every class, or every target of a pipeline's targets). */
  public static Targets all() {
    return new Targets(false, false, true, List.of());
  }

  public static Targets predicted() {
    return new Targets(true, false, List.of());
  }

  public static Targets label() {
    return new Targets(false, true, List.of());
  }

  public static Targets predictedAndLabel() {
    return new Targets(true, true, List.of());
  }

  /** Classes by output name or index ("1", "yes"). */
  public static Targets classes(String... names) {
    java.util.Objects.requireNonNull(names, "class names are null");
    for (int i = 0; i < names.length; i++) {
      java.util.Objects.requireNonNull(names[i], "class name " + i + " is null");
    }
    return new Targets(false, false, List.of(names));
  }

  /**
   * Parses "predicted", "label", "all", "predicted,label" or a comma-separated list of class names
   * or indices (which may be mixed with the three words).
   */
  public static Targets parse(String spec) {
    java.util.Objects.requireNonNull(spec, "targets spec is null: e.g. \"predicted\"");
    boolean p = false;
    boolean l = false;
    boolean a = false;
    List<String> n = new ArrayList<>();
    for (String part : spec.split(",")) {
      String s = part.trim();
      if (s.equals("predicted")) {
        p = true;
      } else if (s.equals("all")) {
        a = true;
      } else if (s.equals("label")) {
        l = true;
      } else if (!s.isEmpty()) {
        n.add(s);
      }
    }
    if (!p && !l && !a && n.isEmpty()) {
      throw new IllegalArgumentException("no classes to explain in '" + spec + "'");
    }
    return new Targets(p, l, a, n);
  }

  /**
   * Resolves to class index -> reasons.
   *
   * @throws io.dime.api.InputException naming the record when a label or name is not an output
   */
  Map<Integer, List<String>> resolve(
      String recordId, double[] outputs, Optional<String> labelValue, List<String> outputNames) {
    Map<Integer, List<String>> out = new LinkedHashMap<>();
    if (predicted) {
      int best = 0;
      for (int i = 1; i < outputs.length; i++) {
        if (outputs[i] > outputs[best]) {
          best = i;
        }
      }
      out.computeIfAbsent(best, x -> new ArrayList<>()).add("predicted");
    }
    if (label) {
      if (labelValue.isEmpty()) {
        if (!predicted) {
          throw new io.dime.api.InputException(recordId, "no label to explain");
        }
      } else {
        out.computeIfAbsent(index(recordId, labelValue.get(), outputNames), x -> new ArrayList<>())
            .add("label");
      }
    }
    for (String n : named) {
      requested(out, index(recordId, n, outputNames));
    }
    if (all) {
      for (int i = 0; i < outputs.length; i++) {
        requested(out, i);
      }
    }
    return out;
  }

  /** Adds "requested" to class i's reasons once, however often it was named (by name or index). */
  private static void requested(Map<Integer, List<String>> out, int i) {
    List<String> reasons = out.computeIfAbsent(i, x -> new ArrayList<>());
    if (!reasons.contains("requested")) {
      reasons.add("requested");
    }
  }

  /**
   * Checks the named classes against a model's outputs before any work, so that a typo is a usage
   * error rather than an error for every record.
   *
   * @throws IllegalArgumentException naming the first class that is neither an output name nor an
   *     output index, and the outputs
   */
  public void check(List<String> outputNames) {
    for (String n : named) {
      index("", n, outputNames);
    }
  }

  private static int index(String recordId, String name, List<String> outputNames) {
    int i = outputNames.indexOf(name);
    if (i >= 0) {
      return i;
    }
    try {
      int j = Integer.parseInt(name.trim());
      if (j >= 0 && j < outputNames.size()) {
        return j;
      }
    } catch (NumberFormatException e) {
      // not an index
    }
    String problem = "class '" + name + "' is not a model output; outputs: " + outputNames;
    if (recordId.isEmpty()) {
      throw new IllegalArgumentException(problem);
    }
    throw new io.dime.api.InputException(recordId, problem);
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (predicted) {
      parts.add("predicted");
    }
    if (label) {
      parts.add("label");
    }
    if (all) {
      parts.add("all");
    }
    parts.addAll(named);
    return String.join(",", parts);
  }
}
