package io.dime.core.estimate;

import io.dime.api.Term;
import io.dime.core.infer.BatchRunner;
import io.dime.core.infer.InPlaceDestination;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code paper_faithful(N)}: Algorithm 1 of the DIME paper, for two modalities. The explained point
 * is one of N references (the other N-1 fixed from the pool); the N x N table of the model on all
 * pairs gives the row, column and grand means. When the point is perturbed its own row (or column)
 * is replaced, and the means are updated in O(N C) from kept sums instead of copying the table.
 *
 * <p>As in the paper, the column mean keeps the perturbed point's own entry, so the UC target leaks
 * about 2/N of M. Use it to reproduce the paper side by side; prefer {@code sampled}.
 */
final class PaperFaithfulEstimator extends AbstractEstimator {
  private final int references;
  private volatile int[] refs;
  private volatile double[][][] table; // [N-1][N-1][C] over the pool references
  private volatile double[] tableTotal; // [C]

  /**
   * What the standard errors leave out. Unlike {@code exact}'s, the reference set and its table are
   * made once per run from the run's seed (the paper's fixed N points), and replicates with other
   * seeds share them: their spread covers the perturbation masks, never the set's error (the term
   * values of every replicate are the same).
   */
  static final String SHARED_SET_ERRORS =
      "term values: 0 (exact given the fixed reference set; the set's own sampling error is not"
          + " included, and replicates, which share the set and its table, do not measure it: their"
          + " term values are identical); fit weights: from the fit's residuals";

  PaperFaithfulEstimator(int references) {
    super("paper_faithful", "N", "references", references, 2);
    this.references = references;
  }

  @Override
  public boolean precomputesOutputs() {
    return true;
  }

  @Override
  void addParameters(Map<String, Object> m, int k) {
    m.put("standardErrors", SHARED_SET_ERRORS);
    if (refs != null) {
      m.put("referenceIndices", refs.clone());
    }
  }

  @Override
  public long prepare(Pool pool, BatchRunner runner, long seed) {
    if (pool.modalities() != 2) {
      throw new IllegalArgumentException(
          "paper_faithful is the paper's two-modality algorithm; this model has "
              + pool.modalities()
              + " modalities: use sampled(R) or exact(N)");
    }
    int[] r = FixedReferences.choose(pool.size(), references - 1, seed);
    int n = r.length;
    double[][][] t = new double[n][n][];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        final int ii = i;
        final int jj = j;
        runner.add(
            new Object[] {pool.value(r[i], 0), pool.value(r[j], 1)}, y -> t[ii][jj] = y.clone());
      }
    }
    runner.flush();
    double[] total = null;
    for (double[][] row : t) {
      for (double[] y : row) {
        if (total == null) {
          total = new double[y.length];
        }
        for (int c = 0; c < y.length; c++) {
          total[c] += y[c];
        }
      }
    }
    refs = r;
    table = t;
    tableTotal = total;
    return (long) n * n;
  }

  @Override
  public List<Term> varyingTerms(int m, List<Term> needed) {
    return List.of(Term.EMPTY, Term.of(0), Term.of(1), Term.of(0, 1));
  }

  @Override
  public boolean deterministic(Term t, int k) {
    return true;
  }

  /** N as used: the point plus the N - 1 pool references chosen (at most the pool's size). */
  private int used() {
    int[] r = refs;
    return (r != null ? r.length : withinPool(references - 1)) + 1;
  }

  @Override
  public long rowsPerSample(int k, List<Term> varying) {
    return used();
  }

  @Override
  public long pointRows(int k, List<Term> terms) {
    return 2L * used() - 2;
  }

  @Override
  public Session open(Context ctx) {
    requirePrepared(table);
    return new PaperSession(ctx);
  }

  private final class PaperSession implements Session {
    private final Context ctx;
    private final int n = refs.length + 1; // N: the point plus N-1 references
    private double[] rowSum; // sum_n L[0][n]: the point's x1 with every x2
    private double[] colSum; // sum_i L[i][0]: every x1 with the point's x2
    private double[] corner; // L[0][0] = M(x)
    private double[] total; // sum over the whole N x N table

    PaperSession(Context ctx) {
      this.ctx = ctx;
    }

    @Override
    public PointValues point(List<Term> terms, double[] prediction) {
      int c = ctx.outputs();
      rowSum = prediction.clone();
      colSum = prediction.clone();
      corner = prediction.clone();
      for (int i = 0; i < refs.length; i++) {
        Object x1 = ctx.pool().value(refs[i], 0);
        Object x2 = ctx.pool().value(refs[i], 1);
        ctx.runner()
            .add(new Object[] {ctx.point()[0], x2}, new BatchRunner.Accumulate(rowSum, 0, 1));
        ctx.runner()
            .add(new Object[] {x1, ctx.point()[1]}, new BatchRunner.Accumulate(colSum, 0, 1));
      }
      ctx.runner().flush();
      total = new double[c];
      for (int i = 0; i < c; i++) {
        total[i] = tableTotal[i] + rowSum[i] + colSum[i] - corner[i];
      }
      Map<Term, double[]> values = new HashMap<>();
      values.put(Term.of(0), scale(rowSum, 1.0 / n));
      values.put(Term.of(1), scale(colSum, 1.0 / n));
      values.put(Term.EMPTY, scale(total, 1.0 / ((double) n * n)));
      values.put(Term.of(0, 1), prediction.clone());
      return new PointValues(values, zeroErrors(terms, c));
    }

    private double[] scale(double[] a, double s) {
      double[] out = new double[a.length];
      for (int i = 0; i < a.length; i++) {
        out[i] = a[i] * s;
      }
      return out;
    }

    @Override
    public void sample(SampleRequest s) {
      if (s.skipped(0)) {
        return; // every slot is deterministic: all or none are skipped
      }
      int m = s.m();
      List<Term> slots = s.slots();
      double[] acc = s.acc();
      Object perturbed = s.perturbed();
      int c = ctx.outputs();
      int own = slots.indexOf(Term.of(m)); // mean over the perturbed point's row (or column)
      int other = slots.indexOf(Term.of(1 - m)); // the other mean, with the leaking entry
      int empty = slots.indexOf(Term.EMPTY);
      int full = slots.indexOf(Term.of(0, 1));
      double nn = (double) n * n;
      double[] keptOther = m == 0 ? colSum : rowSum;
      double[] keptOwn = m == 0 ? rowSum : colSum;
      for (int i = 0; i < c; i++) {
        acc[other * c + i] = (keptOther[i] - corner[i]) / n;
        acc[empty * c + i] = (total[i] - keptOwn[i]) / nn;
      }
      int[] slotsFirst = {own, other, empty, full};
      double[] coefsFirst = {1.0 / n, 1.0 / n, 1.0 / nn, 1.0};
      int[] slotsRest = {own, empty};
      double[] coefsRest = {1.0 / n, 1.0 / nn};
      Object[] first =
          m == 0
              ? new Object[] {perturbed, ctx.point()[1]}
              : new Object[] {ctx.point()[0], perturbed};
      ctx.runner().add(first, new Spread(acc, c, slotsFirst, coefsFirst));
      BatchRunner.Destination rest = new Spread(acc, c, slotsRest, coefsRest);
      // One row and one index array for all references: the runner copies them.
      Object[] row = new Object[2];
      int[] poolRow = new int[2];
      int ref = 1 - m;
      for (int r : refs) {
        row[m] = perturbed;
        poolRow[m] = -1;
        row[ref] = ctx.pool().value(r, ref);
        poolRow[ref] = r;
        ctx.runner().add(row, poolRow, rest);
      }
    }

    @Override
    public long drawHash() {
      return hashOf(refs);
    }
  }

  /** Adds {@code coefs[s] * y} into slot {@code slots[s]} of {@code acc}, for every s. */
  private record Spread(double[] acc, int c, int[] slots, double[] coefs)
      implements InPlaceDestination {
    @Override
    public void accept(double[] out, int from, int length) {
      for (int s = 0; s < slots.length; s++) {
        int off = slots[s] * c;
        for (int i = 0; i < c; i++) {
          acc[off + i] += coefs[s] * out[from + i];
        }
      }
    }
  }
}
