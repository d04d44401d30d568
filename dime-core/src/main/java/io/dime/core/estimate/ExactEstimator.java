package io.dime.core.estimate;

import io.dime.api.Term;
import io.dime.core.infer.BatchRunner;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code exact(N)}: all N^(k-|T|) combinations of one fixed set of N references (chosen once per
 * pool from the seed by a {@link ReferenceSelection}; the whole pool when it has at most N
 * datapoints). Every structural identity holds to rounding, whichever references are chosen. A
 * replicate run with another seed gets its own set, chosen the same way from that seed, so that the
 * spread over replicates measures the reference set's error, this estimator's main one.
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
    m.put("standardErrors", AbstractEstimator.FIXED_SET_ERRORS);
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
              + "; use sampled(R), fewer references, a lower interaction order, or raise the"
              + " budget");
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

    ExactSession(Context ctx, int[] refSet) {
      this.ctx = ctx;
      this.refSet = refSet;
      this.k = ctx.point().length;
    }

    /** Emits every combination for term t around x; each row adds coef * y into dest. */
    private void emit(Term t, Object[] x, BatchRunner.Destination dest) {
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
      while (true) {
        for (int o = 0; o < odo.length; o++) {
          int j = outside.get(o);
          row[j] = ctx.pool().value(refSet[odo[o]], j);
          poolRow[j] = refSet[odo[o]];
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

    @Override
    public PointValues point(List<Term> terms, double[] prediction) {
      int c = ctx.outputs();
      Map<Term, double[]> values = new HashMap<>();
      for (Term t : terms) {
        if (t.order() == k) {
          values.put(t, prediction.clone());
          continue;
        }
        double[] acc = new double[c];
        values.put(t, acc);
        emit(t, ctx.point(), new BatchRunner.Accumulate(acc, 0, 1.0 / combos(k, t)));
      }
      ctx.runner().flush();
      return new PointValues(values, zeroErrors(terms, c));
    }

    @Override
    public void sample(SampleRequest s) {
      int c = ctx.outputs();
      Object[] x = s.perturb(ctx.point());
      for (int i = 0; i < s.slots().size(); i++) {
        if (s.skipped(i)) {
          continue;
        }
        Term t = s.slots().get(i);
        emit(t, x, new BatchRunner.Accumulate(s.acc(), i * c, 1.0 / combos(k, t)));
      }
    }

    @Override
    public long drawHash() {
      return hashOf(refSet);
    }
  }
}
