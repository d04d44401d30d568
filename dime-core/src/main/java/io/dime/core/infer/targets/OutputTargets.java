package io.dime.core.infer.targets;

import io.dime.api.Tensor;
import io.dime.spi.ModelSignature;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The targets of a model, in order: target t is explained "class" t. Scores a batch of raw outputs
 * into one row of target scores per row.
 */
public final class OutputTargets {
  private final List<OutputTarget> targets;
  private final List<String> outputs;
  private final boolean pointBound;

  public OutputTargets(List<OutputTarget> targets) {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("no targets");
    }
    this.targets = List.copyOf(targets);
    Set<String> names = new HashSet<>();
    Set<String> outs = new LinkedHashSet<>();
    boolean bound = false;
    for (OutputTarget t : this.targets) {
      if (!names.add(t.name())) {
        throw new IllegalArgumentException("two targets are named '" + t.name() + "'");
      }
      outs.addAll(t.outputs());
      bound |= t.pointBound();
    }
    this.outputs = List.copyOf(outs);
    this.pointBound = bound;
  }

  public List<OutputTarget> list() {
    return targets;
  }

  /** The targets' names, in order. */
  public List<String> names() {
    return targets.stream().map(OutputTarget::name).toList();
  }

  /** The model outputs any target reads, each once. */
  public List<String> outputs() {
    return outputs;
  }

  /** Whether any target depends on the explained point. */
  public boolean pointBound() {
    return pointBound;
  }

  /** Checks every target against the model's outputs. */
  public void check(ModelSignature signature) {
    for (OutputTarget t : targets) {
      t.check(signature);
    }
  }

  /** Each target's state for the point whose outputs (one row) these are. */
  public Object[] bind(Map<String, Tensor> pointOutputs) {
    Object[] b = new Object[targets.size()];
    for (int t = 0; t < b.length; t++) {
      b[t] = targets.get(t).bind(pointOutputs);
    }
    return b;
  }

  /**
   * Scores n rows: {@code out[i * size() + t]} is target t of row i.
   *
   * @param binding what {@link #bind} returned, or null (no point)
   */
  public double[] score(Map<String, Tensor> outputs, int n, Object[] binding) {
    int c = targets.size();
    double[] out = new double[n * c];
    for (int t = 0; t < c; t++) {
      targets.get(t).score(outputs, n, binding == null ? null : binding[t], out, t, c);
    }
    return out;
  }

  public int size() {
    return targets.size();
  }

  /** One description per target, for provenance. */
  public List<String> describe() {
    List<String> d = new ArrayList<>();
    for (OutputTarget t : targets) {
      d.add(t.describe());
    }
    return d;
  }
}
