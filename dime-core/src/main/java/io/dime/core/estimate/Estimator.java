package io.dime.core.estimate;

import io.dime.api.Term;
import io.dime.core.infer.BatchRunner;
import io.dime.core.random.Seeds;
import java.util.List;
import java.util.Map;

/**
 * Estimates v_x(T) = E[M(x_T, X_-T)], each modality outside T drawn independently from the
 * reference pool (DESIGN.md section 4). Implementations: {@link Estimators#sampled(int)}, {@link
 * Estimators#exact(int)}, {@link Estimators#paperFaithful(int)}.
 *
 * <p>An estimator is configured once, {@link #prepare prepared} once per pool, then opens one
 * {@link Session} per explained datapoint. Rows go to the model through the session's {@link
 * BatchRunner}; values come back through accumulator arrays when the runner is flushed.
 */
public interface Estimator {
  /** "sampled", "anchored", "exact" or "paper_faithful". */
  String name();

  /** Every parameter, for provenance. */
  Map<String, Object> parameters();

  /**
   * Every parameter as it is with k modalities (a size that depends on k, such as {@code
   * anchored}'s draw group, is given for that k); the default is {@link #parameters()}.
   *
   * @since 0.2
   */
  default Map<String, Object> parameters(int k) {
    return parameters();
  }

  /**
   * The size of the reference pool the engine will prepare with, told before any pass count: an
   * estimator over a fixed set of N references uses min(N, pool size) of them, and its pass formula
   * (and budget check) should count those, not N. The default ignores it.
   */
  default void poolSize(int size) {}

  /**
   * Prepares for a pool: picks fixed references, fills tables. Called once before any session.
   *
   * @return model rows spent (e.g. the paper's N x N table), reported at run level
   */
  default long prepare(Pool pool, BatchRunner runner, long seed) {
    return 0;
  }

  /**
   * Whether {@link #prepare} computes model outputs on reference rows once for every point (such
   * outputs cannot depend on the explained point, so point-bound targets are refused).
   */
  default boolean precomputesOutputs() {
    return false;
  }

  /**
   * The terms whose value is recomputed for every perturbation sample of modality m; the others are
   * constants taken from the point. Default: every needed term containing m (the full set
   * included).
   */
  default List<Term> varyingTerms(int m, List<Term> needed) {
    return needed.stream().filter(t -> t.contains(m)).toList();
  }

  /**
   * Whether a varying term's per-sample value is a function of the mask alone, so that a duplicate
   * mask may reuse it (k is the number of modalities).
   */
  boolean deterministic(Term t, int k);

  /**
   * Whether a repeated mask's values are its first occurrence's estimates, which carry a draw error
   * of their own ({@code sampled}): the repeats then share one error instead of having independent
   * ones, and the fits' standard errors must count the distinct masks, not the samples. False where
   * the values have no draw error of their own ({@code exact} and {@code paper_faithful}, whose
   * error is the fixed reference set's, shared by every sample) or where a repeat draws again
   * ({@code anchored}).
   */
  default boolean repeatsShareDrawError() {
    return false;
  }

  /**
   * Whether each perturbation sample's values are estimated from reference draws ({@code sampled},
   * {@code anchored}), so that a fitted target carries a draw error even where the fit reproduces
   * its samples exactly: a fit without residual degrees of freedom (KernelSHAP on one feature, two
   * end masks) cannot see that error, which is then unknown, not 0. False where the values are
   * exact given the reference set ({@code exact}, {@code paper_faithful}; the set's own error is
   * the jackknife's). The default: false.
   *
   * @since 0.3
   */
  default boolean samplesCarryDrawError() {
    return false;
  }

  /**
   * How many consecutive samples of a modality share one set of draws, and so one draw error
   * ({@code anchored} with a draw group; 1 for every other estimator): the fits' standard errors
   * take each such group as one error ({@link io.dime.spi.SampleDesign#errorGroup}).
   *
   * @param k the number of modalities
   * @since 0.3
   */
  default int samplesSharingDraws(int k) {
    return 1;
  }

  /**
   * The delete-group jackknife of a fixed reference set's standard errors (null: none). With G =
   * {@code jackknife().groups()} a session fills, after the slot values a {@link SampleRequest}
   * asks for, G blocks of the same layout that hold the slot values with group g's references left
   * out, when the request's accumulator has room for them ({@link SampleRequest#acc}), and its
   * {@link PointValues#leftOut} holds the point's values with each group left out. The default:
   * null.
   *
   * @since 0.3
   */
  default Jackknife jackknife() {
    return null;
  }

  /** Rows per perturbation sample for the given varying terms of a k-modality model. */
  long rowsPerSample(int k, List<Term> varying);

  /** Rows for the value decomposition at the point, for the given terms (full set excluded). */
  long pointRows(int k, List<Term> terms);

  /**
   * Refuses a configuration whose passes per explained point exceed the estimator's budget, with a
   * message naming the pass count. The default accepts everything.
   */
  default void checkBudget(long rowsPerPoint) {}

  /**
   * Refuses a model of {@code k} modalities that the estimator cannot explain, with a message
   * naming what can. The default accepts every k.
   */
  default void checkModalities(int k) {}

  /** Opens a session for one datapoint. */
  Session open(Context context);

  /**
   * What a session needs.
   *
   * @param id the datapoint id (seeds)
   * @param point the datapoint's values, one per modality
   * @param pool the reference pool
   * @param seed the run's seed
   * @param outputs number of model outputs C
   * @param runner where rows go
   */
  record Context(
      String id, Object[] point, Pool pool, long seed, int outputs, BatchRunner runner) {}

  /** One datapoint's estimation. */
  interface Session {
    /**
     * The values v_x(T) at the point for every term (the full set excluded: its value is the
     * prediction) with standard errors of the terms g_S, S in {@code terms}. Runs and flushes the
     * rows it needs.
     */
    PointValues point(List<Term> terms, double[] prediction);

    /**
     * Emits the rows of one perturbation sample: {@link #sample(SampleRequest)} with these
     * arguments (see {@link SampleRequest} for each).
     */
    default void sample(
        int m,
        long stream,
        long index,
        Object perturbed,
        List<Term> slots,
        boolean[] skip,
        double[] acc) {
      sample(new SampleRequest(m, perturbed, stream, index, slots, skip, acc));
    }

    /**
     * Emits the rows of one perturbation sample. {@code acc} is laid out slot-major ({@code acc[i *
     * C + c]} for slot i of the request's slots) and holds the slot values once the runner is
     * flushed.
     */
    void sample(SampleRequest request);

    /** A hash of every reference draw made so far (provenance). */
    long drawHash();

    /**
     * Completes the values of the samples emitted since the last call, once the runner has been
     * flushed: a session that adds rows shared between samples (or constants) adds them here, in a
     * fixed order, so that the sums do not depend on when the runner delivered rows (batch size,
     * pipelining, threads). The default: nothing to add.
     */
    default void completeSamples() {}

    /**
     * Rows of the {@link Estimator#rowsPerSample} formula that this session answered from rows it
     * had already sent (shared control rows), so far; they count as cached. The default: none.
     */
    default long reusedRows() {
      return 0;
    }

    /**
     * Rows of the {@link Estimator#pointRows} and {@link Estimator#rowsPerSample} formula that this
     * datapoint did not need at all (paper_faithful's point that is one of its references: that
     * reference's row and column), so far; they leave the datapoint's formula. The default: none.
     */
    default long rowsLeftOut() {
      return 0;
    }
  }

  /**
   * One perturbation sample to emit. Estimators that draw references per sample draw them from the
   * stream (seed, datapoint, m, {@code stream}, {@code index}); the others ignore both.
   *
   * @param m the perturbed modality
   * @param perturbed the perturbed value of modality m
   * @param stream the {@link Seeds} purpose of the reference draws: {@link Seeds#REFERENCES} for
   *     the fitted samples, {@link Seeds#HELD_OUT} or {@link Seeds#CURVE} for the faithfulness
   *     measures
   * @param index the sample's index within that stream (seeds)
   * @param slots the varying terms, as returned by {@link Estimator#varyingTerms}
   * @param skip slots to leave alone (cached from a duplicate mask); may be null
   * @param acc zero-filled accumulator of length slots.size() * C, or, to have an estimator with
   *     {@link Estimator#jackknife() G} > 0 groups fill its leave-group-out blocks too, (1 + G) *
   *     slots.size() * C: block b (from b * slots.size() * C) holds the values with group b - 1's
   *     references left out
   */
  record SampleRequest(
      int m,
      Object perturbed,
      long stream,
      long index,
      List<Term> slots,
      boolean[] skip,
      double[] acc) {
    /** Whether slot i is to be left alone. */
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

  /**
   * Values at the point.
   *
   * @param values v_x(T) per term, one entry per class
   * @param termErrors standard errors of g_S per term; when the terms stop below order k, the full
   *     set's entry is the error of the residual above the cap, M minus the sum of the other terms
   *     (absent: unknown, reported as NaN)
   * @param leftOut for an estimator with a {@link Estimator#jackknife() jackknife} of G groups, G
   *     maps like {@code values}: entry g holds the values with group g's references left out;
   *     otherwise empty
   * @param jackknife this point's set when it is not the estimator's (its G groups, some smaller:
   *     see {@link Jackknife#leaving}), or null
   */
  record PointValues(
      Map<Term, double[]> values,
      Map<Term, double[]> termErrors,
      List<Map<Term, double[]>> leftOut,
      Jackknife jackknife) {
    public PointValues {
      leftOut = List.copyOf(leftOut);
    }

    /** Values with leave-group-out values over the estimator's own {@link #jackknife()}. */
    public PointValues(
        Map<Term, double[]> values,
        Map<Term, double[]> termErrors,
        List<Map<Term, double[]>> leftOut) {
      this(values, termErrors, leftOut, null);
    }

    /** Values without leave-group-out values (an estimator without a jackknife). */
    public PointValues(Map<Term, double[]> values, Map<Term, double[]> termErrors) {
      this(values, termErrors, List.of());
    }

    /** The values with group g's references left out, as values at the point. */
    public PointValues withoutGroup(int g) {
      return new PointValues(leftOut.get(g), termErrors);
    }
  }
}
