package io.dime.core.estimate;

import io.dime.api.Term;
import io.dime.core.random.Seeds;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the estimators share, their mathematics aside: a name and one size parameter (N references
 * or R draws) checked when built, the provenance map that starts with both, the guard against a
 * session before {@link #prepare}, and the bookkeeping of the estimators without sampling error.
 */
abstract class AbstractEstimator implements Estimator {
  private final String name;
  private final String sizeKey;
  private final int size;
  private volatile int poolSize; // 0: not told

  /**
   * @param name the estimator's name, e.g. "exact"
   * @param symbol the size parameter's symbol in messages, e.g. "N"
   * @param sizeKey the size parameter's key in {@link #parameters}, e.g. "references"
   * @param size its value
   * @param min the smallest value allowed
   */
  AbstractEstimator(String name, String symbol, String sizeKey, int size, int min) {
    if (size < min) {
      throw new IllegalArgumentException(
          name + "(" + symbol + ") needs " + symbol + " >= " + min + ", found " + size);
    }
    this.name = name;
    this.sizeKey = sizeKey;
    this.size = size;
  }

  @Override
  public final String name() {
    return name;
  }

  /** The name, the size parameter, then what {@link #addParameters} adds, in that order. */
  @Override
  public final Map<String, Object> parameters() {
    return parameters(0);
  }

  @Override
  public final Map<String, Object> parameters(int k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("estimator", name);
    m.put(sizeKey, size);
    addParameters(m, k);
    return m;
  }

  /**
   * Adds the estimator's other parameters for provenance, as they are with k modalities (0: not
   * known); the default adds none.
   */
  void addParameters(Map<String, Object> m, int k) {}

  @Override
  public final void poolSize(int size) {
    this.poolSize = size;
  }

  /** {@code n} pool references as a fixed set can hold them: at most the pool's size, once told. */
  final int withinPool(int n) {
    int p = poolSize;
    return p > 0 ? Math.min(n, p) : n;
  }

  /** Refuses to open a session while the state that {@link #prepare} fills is still null. */
  final void requirePrepared(Object prepared) {
    if (prepared == null) {
      throw new IllegalStateException(name + " estimator used before prepare()");
    }
  }

  /** A hash of a fixed reference set, for {@link Session#drawHash}. */
  static long hashOf(int[] references) {
    long h = 17;
    for (int r : references) {
      h = Seeds.mix(h ^ r);
    }
    return h;
  }

  /** Zero standard errors for every term: the estimators whose values carry no sampling error. */
  static Map<Term, double[]> zeroErrors(List<Term> terms, int outputs) {
    Map<Term, double[]> errors = new HashMap<>();
    for (Term t : terms) {
      errors.put(t, new double[outputs]);
    }
    return errors;
  }

  /** NaN standard errors for every term: one reference, whose error cannot be estimated. */
  static Map<Term, double[]> nanErrors(List<Term> terms, int outputs) {
    Map<Term, double[]> errors = new HashMap<>();
    for (Term t : terms) {
      double[] e = new double[outputs];
      java.util.Arrays.fill(e, Double.NaN);
      errors.put(t, e);
    }
    return errors;
  }
}
