package io.dime.core.estimate;

import io.dime.api.Term;
import io.dime.core.infer.BatchRunner;
import io.dime.core.infer.InPlaceDestination;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code exact(N)}: all N^(k-|T|) combinations of one fixed set of N references (chosen once per
 * pool from the seed by a {@link ReferenceSelection}; the whole pool when it has at most N
 * datapoints). Every structural identity holds to rounding, whichever references are chosen. A
 * replicate run with another seed gets its own set, chosen the same way from that seed, so that the
 * spread over replicates measures the reference set's error, this estimator's main one.
 *
 * <p>That error is also estimated within a run, by the delete-group {@link Jackknife} over the set
 * (up to {@value Jackknife#MAX_GROUPS} groups): each row adds its output to the sums that leave out
 * each group its references are not in, so the term values and the fits get their values with every
 * group left out at no extra model row, and their standard errors include the set's error.
 */
final class ExactEstimator extends AbstractEstimator {
  private final int references;
  private final long maxRowsPerPoint;
  private final ReferenceSelection selection;
  private volatile int[] refs;
  private volatile String applied;
  private volatile Pool preparedPool;
  private volatile long preparedSeed;

  /** Reference sets of replicate seeds other than the run's, chosen on first use. */
  private final java.util.concurrent.ConcurrentHashMap<Long, int[]> replicateRefs =
      new java.util.concurrent.ConcurrentHashMap<>();

  ExactEstimator(int references, long maxRowsPerPoint, ReferenceSelection selection) {
    super("exact", "N", "references", references, 1);
    if (maxRowsPerPoint < 0) {
      throw new IllegalArgumentException(
          "exact(N): maxRowsPerPoint must be >= 0 (0: no limit), found " + maxRowsPerPoint);
    }
    this.references = references;
    this.maxRowsPerPoint = maxRowsPerPoint;
    this.selection = java.util.Objects.requireNonNull(selection, "selection is null");
  }

  @Override
  void addParameters(Map<String, Object> m, int k) {
    boolean jackknifed = jackknifed();
    m.put("standardErrors", jackknifed ? JACKKNIFE_ERRORS : FIXED_SET_ERRORS);
    if (jackknifed) {
      m.put("jackknifeGroups", Jackknife.groups(used()));
    }
    m.put("maxRowsPerPoint", maxRowsPerPoint);
    m.put("referenceSelection", applied != null ? applied : selection.id());
    if (refs != null) {
      if (refs.length < references) {
        m.put("referencesUsed", refs.length); // the pool holds fewer than N
      }
      m.put("referenceIndices", refs.clone());
      m.put(
          "replicateReferences",
          "each replicate chooses its own set the same way from its own seed, so the spread over"
              + " replicates includes the reference set's error");
    }
  }

  @Override
  public long prepare(Pool pool, BatchRunner runner, long seed) {
    ReferenceSelection.Choice c = selection.choose(pool, references, seed);
    applied = c.applied();
    replicateRefs.clear();
    preparedPool = pool;
    preparedSeed = seed;
    refs = c.indices();
    return 0;
  }

  /**
   * What the standard errors are made of under a random set, for provenance: the set's error within
   * the run (the jackknife) and the fits' own.
   */
  static final String JACKKNIFE_ERRORS =
      "term values: the fixed reference set's sampling error, by a delete-group jackknife over the"
          + " randomly drawn set (jackknifeGroups groups; none with 1 reference: NaN); fit weights:"
          + " the fit's residual error and that jackknife's, combined as a root sum of squares";

  /**
   * Under a representative set (or the whole pool): the jackknife measures a random set's error, 4
   * times a representative set's spread over seeds in ExactJackknifeCalibrationTest, so it is not
   * applied.
   */
  static final String FIXED_SET_ERRORS =
      "term values: 0 (exact given the fixed reference set; a representative set's own error is"
          + " not included: a jackknife would measure a random set's, several times larger; the"
          + " spread over replicates, each choosing its own set, measures it; with the whole pool"
          + " as the set there is none); fit weights: from the fit's residuals";

  /**
   * Whether the set is drawn at random from a larger pool, the case the jackknife is valid for (a
   * representative set's error is much smaller; the whole pool has none).
   */
  private boolean jackknifed() {
    String a = applied != null ? applied : selection.id();
    return a.startsWith(ReferenceSelection.RANDOM.id());
  }

  @Override
  public Jackknife jackknife() {
    return jackknifed() ? Jackknife.of(used()) : null;
  }

  @Override
  public boolean deterministic(Term t, int k) {
    return true;
  }

  /** N as used: the chosen set's size once prepared, else min(N, the pool's size when told). */
  private int used() {
    int[] r = refs;
    return r != null ? r.length : withinPool(references);
  }

  private long combos(int k, Term t) {
    int n = used();
    long c = 1;
    for (int i = 0; i < k - t.order(); i++) {
      c = Math.multiplyExact(c, (long) n);
    }
    return c;
  }

  @Override
  public long rowsPerSample(int k, List<Term> varying) {
    long rows = 0;
    for (Term t : varying) {
      rows += combos(k, t);
    }
    return rows;
  }

  @Override
  public long pointRows(int k, List<Term> terms) {
    long rows = 0;
    for (Term t : terms) {
      if (t.order() < k) {
        rows += combos(k, t);
      }
    }
    return rows;
  }

  @Override
  public void checkBudget(long rows) {
    if (maxRowsPerPoint > 0 && rows > maxRowsPerPoint) {
      throw new IllegalArgumentException(
          "exact("
              + references
              + ")"
              + (used() < references ? " (" + used() + " references: the pool's size)" : "")
              + " needs "
              + rows
              + " model passes per explained point, over the budget of "
              + maxRowsPerPoint
              + "; use sampled(R) or fewer references, or raise the budget (on the command"
              + " line --max-passes-per-point; in Java Estimators.exact(N, maxRowsPerPoint))");
    }
  }

  @Override
  public Session open(Context ctx) {
    requirePrepared(refs);
    return new ExactSession(ctx, referenceSet(ctx.seed()));
  }

  /** The run's reference set, or a replicate seed's own, chosen the same way on first use. */
  private int[] referenceSet(long seed) {
    return seed == preparedSeed
        ? this.refs
        : replicateRefs.computeIfAbsent(
            seed, s -> selection.choose(preparedPool, references, s).indices());
  }

  private final class ExactSession implements Session {
    private final Context ctx;
    private final int[] refSet;
    private final int k;
    private final Jackknife jack; // null: one reference, or not a random set: no jackknife
    private final boolean randomSet;
    private final List<Pending> pending = new java.util.ArrayList<>();

    ExactSession(Context ctx, int[] refSet) {
      this.ctx = ctx;
      this.refSet = refSet;
      this.k = ctx.point().length;
      this.randomSet = jackknifed();
      this.jack = randomSet ? Jackknife.of(refSet.length) : null;
    }

    /**
     * Emits every combination for term t around x; each row adds coef * y into {@code acc} at
     * {@code offset} and, with {@code stride} > 0, y into block 1 + g (at {@code offset + (1 + g) *
     * stride}) for each group g that one of its references is in (at most k - |T| groups: the sums
     * that {@link #leaveOut} turns into the term's value with each group left out).
     */
    private void emit(Term t, Object[] x, double[] acc, int offset, int stride) {
      double coef = 1.0 / combos(k, t);
      List<Integer> outside = new java.util.ArrayList<>();
      for (int j = 0; j < k; j++) {
        if (!t.contains(j)) {
          outside.add(j);
        }
      }
      int[] odo = new int[outside.size()];
      int n = refSet.length;
      // One row and one index array for every combination: the runner copies them.
      Object[] row = x.clone();
      int[] poolRow = new int[k];
      java.util.Arrays.fill(poolRow, -1);
      BatchRunner.Destination total = new BatchRunner.Accumulate(acc, offset, coef);
      int groups = stride > 0 ? jack.groups() : 0;
      // one destination per pattern of groups (the groups of each outside modality's reference),
      // made on first use, while the patterns are few; beyond that one a row
      long patterns = groups == 0 ? 0 : (long) Math.pow(groups, odo.length);
      Contains[] byPattern = patterns > 0 && patterns <= 4096 ? new Contains[(int) patterns] : null;
      while (true) {
        int pattern = 0;
        for (int o = 0; o < odo.length; o++) {
          int j = outside.get(o);
          row[j] = ctx.pool().value(refSet[odo[o]], j);
          poolRow[j] = refSet[odo[o]];
          pattern = groups == 0 ? 0 : pattern * groups + jack.groupOf(odo[o]);
        }
        BatchRunner.Destination dest = total;
        if (groups > 0) {
          Contains d = byPattern != null ? byPattern[pattern] : null;
          if (d == null) {
            d = new Contains(acc, offset, coef, stride, groupsOf(odo));
            if (byPattern != null) {
              byPattern[pattern] = d;
            }
          }
          dest = d;
        }
        ctx.runner().add(row, poolRow, dest);
        int o = 0;
        while (o < odo.length && ++odo[o] == n) {
          odo[o] = 0;
          o++;
        }
        if (o == odo.length) {
          break;
        }
      }
    }

    /** The distinct groups of the references at these positions of the set. */
    private int[] groupsOf(int[] positions) {
      int bits = 0;
      for (int p : positions) {
        bits |= 1 << jack.groupOf(p);
      }
      int[] out = new int[Integer.bitCount(bits)];
      for (int i = 0; bits != 0; i++, bits &= bits - 1) {
        out[i] = Integer.numberOfTrailingZeros(bits);
      }
      return out;
    }

    /**
     * Turns the sums of {@link #emit} into values with each group left out: block 1 + g becomes
     * (the term's sum over every combination - the sum over those holding a reference of group g) /
     * the combinations holding none.
     */
    private void leaveOut(Term t, double[] acc, int offset, int stride) {
      int c = ctx.outputs();
      long all = combos(k, t);
      for (int g = 0; g < jack.groups(); g++) {
        double left = Math.pow(refSet.length - jack.size(g), k - t.order());
        int at = offset + (1 + g) * stride;
        for (int i = 0; i < c; i++) {
          acc[at + i] = (acc[offset + i] * all - acc[at + i]) / left;
        }
      }
    }

    @Override
    public PointValues point(List<Term> terms, double[] prediction) {
      int c = ctx.outputs();
      int groups = jack == null ? 0 : jack.groups();
      Map<Term, double[]> values = new HashMap<>();
      Map<Term, double[]> accs = new HashMap<>();
      for (Term t : terms) {
        if (t.order() == k) {
          values.put(t, prediction.clone());
          continue;
        }
        double[] acc = new double[c * (1 + groups)];
        accs.put(t, acc);
        emit(t, ctx.point(), acc, 0, groups > 0 ? c : 0);
      }
      ctx.runner().flush();
      if (groups > 0) {
        accs.forEach((t, acc) -> leaveOut(t, acc, 0, c));
      }
      List<Map<Term, double[]>> leftOut = new java.util.ArrayList<>();
      for (int g = 0; g < groups; g++) {
        leftOut.add(new HashMap<>());
      }
      for (Term t : terms) {
        double[] acc = accs.get(t);
        for (int g = -1; g < groups; g++) {
          Map<Term, double[]> into = g < 0 ? values : leftOut.get(g);
          into.put(
              t,
              acc == null
                  ? prediction.clone()
                  : java.util.Arrays.copyOfRange(acc, (g + 1) * c, (g + 2) * c));
        }
      }
      Map<Term, double[]> errors =
          jack != null
              ? jack.termErrors(terms, k, values, leftOut)
              : randomSet ? nanErrors(terms, c) : zeroErrors(terms, c);
      return new PointValues(values, errors, leftOut);
    }

    @Override
    public void sample(SampleRequest s) {
      int c = ctx.outputs();
      Object[] x = s.perturb(ctx.point());
      int stride = s.slots().size() * c;
      int groups = jack == null ? 0 : jack.groups();
      boolean blocks = groups > 0 && s.acc().length == (1 + groups) * stride;
      if (!blocks && s.acc().length != stride) {
        throw new IllegalArgumentException(
            "an accumulator of " + s.acc().length + " values for " + stride + " slot values");
      }
      for (int i = 0; i < s.slots().size(); i++) {
        if (s.skipped(i)) {
          continue;
        }
        emit(s.slots().get(i), x, s.acc(), i * c, blocks ? stride : 0);
        if (blocks) {
          pending.add(new Pending(s.slots().get(i), s.acc(), i * c, stride));
        }
      }
    }

    /** The samples' leave-group-out sums, once the runner has delivered every row. */
    @Override
    public void completeSamples() {
      for (Pending p : pending) {
        leaveOut(p.term(), p.acc(), p.offset(), p.stride());
      }
      pending.clear();
    }

    @Override
    public long drawHash() {
      return hashOf(refSet);
    }
  }

  /** A sample's slot whose leave-group-out sums await {@code leaveOut}. */
  private record Pending(Term term, double[] acc, int offset, int stride) {}

  /**
   * A row's output into its term's value ({@code coef} times it, at {@code offset}) and, as it is,
   * into the sum of every group its references are in (block 1 + g, at {@code offset + (1 + g) *
   * stride}).
   */
  private record Contains(double[] acc, int offset, double coef, int stride, int[] groups)
      implements InPlaceDestination {
    @Override
    public void accept(double[] out, int from, int length) {
      for (int c = 0; c < length; c++) {
        acc[offset + c] += coef * out[from + c];
      }
      for (int g : groups) {
        int at = offset + (1 + g) * stride;
        for (int c = 0; c < length; c++) {
          acc[at + c] += out[from + c];
        }
      }
    }
  }
}
