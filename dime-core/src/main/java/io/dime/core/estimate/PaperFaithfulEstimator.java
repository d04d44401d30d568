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
 * pairs gives the row, column and grand means. A point that is itself one of the N-1 (equal values
 * in both modalities: the pool holds the explained data) is in its table once: that reference
 * leaves the point's table, whose N is then one less, and the jackknife's set with it. When the
 * point is perturbed its own row (or column) is replaced, and the means are updated in O(N C) from
 * kept sums instead of copying the table.
 *
 * <p>As in the paper, the column mean keeps the perturbed point's own entry, so the UC target leaks
 * about 2/N of M. Use it to reproduce the paper side by side; prefer {@code sampled}. Its standard
 * errors come from a delete-group {@link Jackknife} over the N - 1 pool references, which the paper
 * leaves out (see {@link #SHARED_SET_ERRORS}).
 */
final class PaperFaithfulEstimator extends AbstractEstimator {
  private final int references;
  private volatile int[] refs;
  private volatile double[][][] table; // [N-1][N-1][C] over the pool references
  private volatile double[] tableTotal; // [C]
  private volatile Jackknife jack; // over the N - 1 pool references; null below 2
  // [g][C]: the table's total without the rows and columns of group g's references
  private volatile double[][] tableWithout;

  /**
   * What the standard errors are made of. Unlike {@code exact}'s, the reference set and its table
   * are made once per run from the run's seed (the paper's fixed N points), and replicates with
   * other seeds share them: their spread covers the perturbation masks, never the set's error (the
   * term values of every replicate are the same). The set is drawn at random, so a delete-group
   * {@link Jackknife} over its N - 1 pool references (the point stays) measures that error within
   * the run, from sums kept while the rows come back and the table's sums by group.
   */
  static final String SHARED_SET_ERRORS =
      "term values: the fixed reference set's sampling error, by a delete-group jackknife over its"
          + " N - 1 randomly drawn pool references (jackknifeGroups groups; none with 1 reference:"
          + " NaN); replicates, which share the set and its table, do not measure it: their term"
          + " values are identical; fit weights: the fit's residual error and that jackknife's,"
          + " combined as a root sum of squares";

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
    m.put("jackknifeGroups", Jackknife.groups(used() - 1));
    if (refs != null) {
      if (used() < references) {
        m.put("referencesUsed", used()); // N with the point: the pool holds fewer than N - 1
      }
      m.put("referenceIndices", refs.clone());
    }
  }

  @Override
  public void checkModalities(int k) {
    if (k != 2) {
      throw new IllegalArgumentException(
          "paper_faithful is the paper's two-modality algorithm; this model has "
              + k
              + " modalities: use sampled(R) or exact(N)");
    }
  }

  @Override
  public long prepare(Pool pool, BatchRunner runner, long seed) {
    checkModalities(pool.modalities());
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
    Jackknife j = Jackknife.of(n);
    double[][] without = null;
    if (j != null && total != null) {
      // per group: the total less every entry in a row or a column of one of its references
      without = new double[j.groups()][];
      for (int g = 0; g < j.groups(); g++) {
        without[g] = total.clone();
      }
      for (int i = 0; i < n; i++) {
        for (int jj = 0; jj < n; jj++) {
          int gi = j.groupOf(i);
          int gj = j.groupOf(jj);
          double[] y = t[i][jj];
          for (int c = 0; c < y.length; c++) {
            without[gi][c] -= y[c];
            if (gj != gi) {
              without[gj][c] -= y[c];
            }
          }
        }
      }
    }
    refs = r;
    table = t;
    tableTotal = total;
    jack = j;
    tableWithout = without;
    return (long) n * n;
  }

  @Override
  public List<Term> varyingTerms(int m, List<Term> needed) {
    return List.of(Term.EMPTY, Term.of(0), Term.of(1), Term.of(0, 1));
  }

  @Override
  public Jackknife jackknife() {
    int[] r = refs;
    return r == null ? null : Jackknife.of(r.length);
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
    // the reference equal to the point (left out of its table: the point is one of the N once), or
    // -1; set by point()
    private int self = -1;
    private int n = refs.length + 1; // N: the point plus N-1 references (less self)
    private long leftOut; // rows of the formula not needed: self's, see rowsLeftOut
    private double[] ownTableTotal = tableTotal; // the table's total, less self's row and column
    private double[][] ownTableWithout = tableWithout; // the same by group
    private double[] rowSum; // sum_n L[0][n]: the point's x1 with every x2
    private double[] colSum; // sum_i L[i][0]: every x1 with the point's x2
    private double[] corner; // L[0][0] = M(x)
    private double[] total; // sum over the whole N x N table
    private Jackknife jk = jack; // null: one pool reference; without self once point() found it
    private final int groups = jack == null ? 0 : jack.groups();
    private double[][] rowIn; // [g]: the part of rowSum from group g's references
    private double[][] colIn; // [g]: the part of colSum from group g's references
    private final List<Pending> pending = new java.util.ArrayList<>();

    PaperSession(Context ctx) {
      this.ctx = ctx;
    }

    /** N without group g's references. */
    private int without(int g) {
      return n - jk.size(g);
    }

    /**
     * The reference whose values equal the point's in both modalities (the pool holds the explained
     * datapoint), or -1. Such a reference is the point itself: the paper's N datapoints hold the
     * point once, so it leaves this point's table (its row and column of the run's table with it),
     * and the point's N is one less.
     */
    private int findSelf() {
      Object[] x = ctx.point();
      for (int i = 0; i < refs.length; i++) {
        if (java.util.Objects.deepEquals(ctx.pool().value(refs[i], 0), x[0])
            && java.util.Objects.deepEquals(ctx.pool().value(refs[i], 1), x[1])) {
          return i;
        }
      }
      return -1;
    }

    /** The run's table sums less reference {@code s}'s row and column (whole and by group). */
    private void leaveOutOfTable(int s) {
      double[][][] t = table;
      int c = tableTotal.length;
      double[] row = new double[c]; // sum_j t[s][j]
      double[] col = new double[c]; // sum_i t[i][s]
      double[][] rowIn = new double[groups][c]; // the part of row from group g's columns
      double[][] colIn = new double[groups][c];
      for (int j = 0; j < refs.length; j++) {
        int g = groups > 0 ? jk.groupOf(j) : -1;
        for (int i = 0; i < c; i++) {
          row[i] += t[s][j][i];
          col[i] += t[j][s][i];
          if (g >= 0) {
            rowIn[g][i] += t[s][j][i];
            colIn[g][i] += t[j][s][i];
          }
        }
      }
      double[] diag = t[s][s];
      ownTableTotal = new double[c];
      for (int i = 0; i < c; i++) {
        ownTableTotal[i] = tableTotal[i] - row[i] - col[i] + diag[i];
      }
      if (tableWithout == null) {
        return;
      }
      int gs = jk.groupOf(s);
      ownTableWithout = new double[groups][];
      for (int g = 0; g < groups; g++) {
        ownTableWithout[g] = tableWithout[g].clone();
        if (g == gs) {
          continue; // group g's rows and columns, s's among them, are out already
        }
        for (int i = 0; i < c; i++) {
          ownTableWithout[g][i] -= (row[i] - rowIn[g][i]) + (col[i] - colIn[g][i]) - diag[i];
        }
      }
    }

    @Override
    public PointValues point(List<Term> terms, double[] prediction) {
      int c = ctx.outputs();
      self = findSelf();
      if (self >= 0) {
        n = refs.length;
        leaveOutOfTable(self);
        if (jk != null) {
          jk = jk.leaving(self);
        }
        leftOut += 2; // (the point's x1, self's x2) and (self's x1, the point's x2)
      }
      rowSum = prediction.clone();
      colSum = prediction.clone();
      corner = prediction.clone();
      rowIn = new double[groups][c];
      colIn = new double[groups][c];
      for (int i = 0; i < refs.length; i++) {
        if (i == self) {
          continue;
        }
        Object x1 = ctx.pool().value(refs[i], 0);
        Object x2 = ctx.pool().value(refs[i], 1);
        int g = groups > 0 ? jk.groupOf(i) : -1;
        ctx.runner().add(new Object[] {ctx.point()[0], x2}, into(rowSum, g < 0 ? null : rowIn[g]));
        ctx.runner().add(new Object[] {x1, ctx.point()[1]}, into(colSum, g < 0 ? null : colIn[g]));
      }
      ctx.runner().flush();
      total = new double[c];
      for (int i = 0; i < c; i++) {
        total[i] = ownTableTotal[i] + rowSum[i] + colSum[i] - corner[i];
      }
      Map<Term, double[]> values = values(rowSum, colSum, total, n, prediction);
      if (groups == 0) {
        return new PointValues(values, nanErrors(terms, c));
      }
      List<Map<Term, double[]>> leftOut = new java.util.ArrayList<>();
      for (int g = 0; g < groups; g++) {
        double[] row = minus(rowSum, rowIn[g]);
        double[] col = minus(colSum, colIn[g]);
        double[] tot = new double[c];
        for (int i = 0; i < c; i++) {
          tot[i] = ownTableWithout[g][i] + row[i] + col[i] - corner[i];
        }
        leftOut.add(values(row, col, tot, without(g), prediction));
      }
      return new PointValues(values, jk.termErrors(terms, 2, values, leftOut), leftOut, jk);
    }

    /** v(T) of every term from the row, column and table sums over n x n entries. */
    private Map<Term, double[]> values(
        double[] row, double[] col, double[] tot, int n, double[] prediction) {
      Map<Term, double[]> values = new HashMap<>();
      values.put(Term.of(0), scale(row, 1.0 / n));
      values.put(Term.of(1), scale(col, 1.0 / n));
      values.put(Term.EMPTY, scale(tot, 1.0 / ((double) n * n)));
      values.put(Term.of(0, 1), prediction.clone());
      return values;
    }

    private double[] minus(double[] a, double[] b) {
      double[] out = new double[a.length];
      for (int i = 0; i < a.length; i++) {
        out[i] = a[i] - b[i];
      }
      return out;
    }

    /** Adds each row's output into {@code sum} and, when given, into {@code group} too. */
    private BatchRunner.Destination into(double[] sum, double[] group) {
      return group == null
          ? new BatchRunner.Accumulate(sum, 0, 1)
          : new Spread(sum, sum.length, new int[] {0}, new double[] {1}, group, 0);
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
      int stride = slots.size() * c;
      boolean blocks = groups > 0 && acc.length == (1 + groups) * stride;
      if (!blocks && acc.length != stride) {
        throw new IllegalArgumentException(
            "an accumulator of " + acc.length + " values for " + stride + " slot values");
      }
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
      if (self >= 0) {
        leftOut++; // (the perturbed value, self's other modality)
      }
      // each reference's row also adds its output, as it is, into its group's block at the own
      // slot (the sum that completeSamples leaves out)
      BatchRunner.Destination[] rest = new BatchRunner.Destination[blocks ? groups : 1];
      for (int g = 0; g < rest.length; g++) {
        rest[g] =
            blocks
                ? new Spread(acc, c, slotsRest, coefsRest, acc, (1 + g) * stride + own * c)
                : new Spread(acc, c, slotsRest, coefsRest);
      }
      // One row and one index array for all references: the runner copies them.
      Object[] row = new Object[2];
      int[] poolRow = new int[2];
      int ref = 1 - m;
      for (int i = 0; i < refs.length; i++) {
        if (i == self) {
          continue;
        }
        row[m] = perturbed;
        poolRow[m] = -1;
        row[ref] = ctx.pool().value(refs[i], ref);
        poolRow[ref] = refs[i];
        ctx.runner().add(row, poolRow, rest[blocks ? jk.groupOf(i) : 0]);
      }
      if (blocks) {
        pending.add(new Pending(m, acc, own, other, empty, full, stride));
      }
    }

    /**
     * The samples' values with each group of references left out, once every row is in: the
     * perturbed row's sum loses the group's entries (kept apart while the rows came back), the
     * other modality's kept sum and the table lose theirs, and the means divide by N less the
     * group.
     */
    @Override
    public void completeSamples() {
      int c = ctx.outputs();
      for (Pending p : pending) {
        double[] acc = p.acc();
        double[] keptOther = p.m() == 0 ? colSum : rowSum;
        double[] keptOwn = p.m() == 0 ? rowSum : colSum;
        double[][] otherIn = p.m() == 0 ? colIn : rowIn;
        double[][] ownIn = p.m() == 0 ? rowIn : colIn;
        for (int g = 0; g < groups; g++) {
          int b = (1 + g) * p.stride();
          double n1 = without(g);
          for (int i = 0; i < c; i++) {
            double fo = acc[p.full() * c + i]; // M with the perturbed value and the point's other
            double rowAll = acc[p.own() * c + i] * n; // fo and every reference's entry
            double rowLeft = rowAll - acc[b + p.own() * c + i];
            double tableLeft =
                ownTableWithout[g][i]
                    + (rowSum[i] - rowIn[g][i])
                    + (colSum[i] - colIn[g][i])
                    - corner[i];
            acc[b + p.own() * c + i] = rowLeft / n1;
            acc[b + p.other() * c + i] = (keptOther[i] - otherIn[g][i] - corner[i] + fo) / n1;
            acc[b + p.empty() * c + i] =
                (tableLeft - (keptOwn[i] - ownIn[g][i]) + rowLeft) / (n1 * n1);
            acc[b + p.full() * c + i] = fo;
          }
        }
      }
      pending.clear();
    }

    @Override
    public long rowsLeftOut() {
      return leftOut;
    }

    @Override
    public long drawHash() {
      return hashOf(refs);
    }
  }

  /** A sample whose leave-group-out blocks await {@code completeSamples}, with its slots. */
  private record Pending(
      int m, double[] acc, int own, int other, int empty, int full, int stride) {}

  /**
   * Adds {@code coefs[s] * y} into slot {@code slots[s]} of {@code acc}, for every s, and, when
   * {@code raw} is given, y as it is into {@code raw} at {@code rawAt}.
   */
  private record Spread(double[] acc, int c, int[] slots, double[] coefs, double[] raw, int rawAt)
      implements InPlaceDestination {
    Spread(double[] acc, int c, int[] slots, double[] coefs) {
      this(acc, c, slots, coefs, null, 0);
    }

    @Override
    public void accept(double[] out, int from, int length) {
      for (int s = 0; s < slots.length; s++) {
        int off = slots[s] * c;
        for (int i = 0; i < c; i++) {
          acc[off + i] += coefs[s] * out[from + i];
        }
      }
      if (raw != null) {
        for (int i = 0; i < c; i++) {
          raw[rawAt + i] += out[from + i];
        }
      }
    }
  }
}
