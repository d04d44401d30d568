package io.dime.core.estimate;

import io.dime.api.Term;
import io.dime.core.random.Seeds;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the estimators share, their mathematics aside: a name and one size parameter (N references
 * or R draws) checked when built, the provenance map that starts with both, and a {@link
 * BaseSession} that hands each perturbation sample over as one {@link SampleRequest}.
 */
abstract class AbstractEstimator implements Estimator {
  private final String name;
  private final String sizeKey;
  private final int size;

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
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("estimator", name);
    m.put(sizeKey, size);
    addParameters(m);
    return m;
  }

  /** Adds the estimator's other parameters for provenance; the default adds none. */
  void addParameters(Map<String, Object> m) {}

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

  /**
   * The arguments of one {@link Session#sample} call (see there for each).
   *
   * @param m the perturbed modality
   * @param stream the purpose of the reference draws ({@link Seeds})
   * @param index the sample's index within that stream
   * @param perturbed the perturbed value of modality m
   * @param slots the varying terms
   * @param skip slots to leave alone; may be null
   * @param acc the slot-major accumulator
   */
  record SampleRequest(
      int m,
      long stream,
      long index,
      Object perturbed,
      List<Term> slots,
      boolean[] skip,
      double[] acc) {
    /** Whether slot i is to be left alone (cached from a duplicate mask). */
    boolean skipped(int i) {
      return skip != null && skip[i];
    }

    /** A copy of the point with modality m replaced by the perturbed value. */
    Object[] perturb(Object[] point) {
      Object[] x = point.clone();
      x[m] = perturbed;
      return x;
    }
  }

  /** A session for one datapoint: {@link #sample} becomes {@link #emitSample}. */
  abstract static class BaseSession implements Session {
    final Context ctx;

    BaseSession(Context ctx) {
      this.ctx = ctx;
    }

    @Override
    public final void sample(
        int m,
        long stream,
        long index,
        Object perturbed,
        List<Term> slots,
        boolean[] skip,
        double[] acc) {
      emitSample(new SampleRequest(m, stream, index, perturbed, slots, skip, acc));
    }

    /** Emits the rows of one perturbation sample into the context's runner. */
    abstract void emitSample(SampleRequest s);
  }
}
