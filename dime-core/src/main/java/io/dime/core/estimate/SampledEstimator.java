package io.dime.core.estimate;

import io.dime.api.Term;
import io.dime.core.decompose.Moebius;
import io.dime.core.infer.BatchRunner;
import io.dime.core.infer.InPlaceDestination;
import io.dime.core.random.Seeds;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code sampled(R)}: for every perturbation sample, R fresh index tuples, each modality's index
 * drawn independently and uniformly from the pool (the product measure), the same tuples for every
 * term of that sample. Unbiased for the pool's product measure; identities hold in expectation.
 *
 * <p>{@code anchored(R)} (the fast preset's estimator, {@link Estimators#anchored}) adds a control
 * variate: for each of a sample's draws r and each varying term T other than the full set, it also
 * runs the unperturbed point with the same draw, M(x_T, r_-T), and estimates
 *
 * <pre>
 *   v_{x'}(T) ~ (1/R) sum_r [ M(x'_T, r_-T) - M(x_T, r_-T) ] + v^_x(T)
 * </pre>
 *
 * where v^_x(T) is the point's own estimate ({@link Session#point}, max(R, {@value #POINT_DRAWS})
 * independent draws, as for {@code sampled}: see {@link #pointDraws}). Unbiased: the bracket's mean
 * is v_{x'}(T) - v_x(T) for any R, and v^_x(T), from draws independent of the sample's, has mean
 * v_x(T). The variance falls because the draw's effect on the output that does not depend on
 * modality m (a main effect of another modality, the bulk of it for a model that is mostly
 * additive) cancels in the bracket draw by draw; for an additive model the bracket is exact.
 * v^_x(T) is one constant shared by every sample of the point, so it moves the surrogate's
 * intercept, never its weights, and at the unperturbed mask the sample's value equals the point's
 * decomposition exactly. Rows per sample: 2 R per varying term other than the full set, plus 1.
 * With a draw group G &gt; 1 ({@link Estimators#anchoredGroup}), G consecutive samples share one
 * set of R tuples, and so the control rows M(x_T, r_-T), which depend on the draws alone: those are
 * sent once per group and the other samples' count as cached. Each sample's value is still
 * unbiased; the errors of a group's samples are correlated through their shared draws.
 *
 * <p>A small pool (at most {@value #STRATIFY_FACTOR} R datapoints) is drawn without replacement,
 * modality by modality ({@link SampledSession#drawTuples}): still the product measure tuple by
 * tuple, with less variance. The point's standard errors treat the draws as independent, which
 * overstates them for such pools (conservative).
 *
 * <p>{@code sampled} estimates each distinct mask once ({@link #deterministic} is true for every
 * term): a mask that recurs among a modality's samples reuses its first occurrence's values, and
 * its rows count as cached. The draws stay fresh per distinct mask, so every value is unbiased as
 * above. {@code anchored} draws again for a repeat and reuses only its full-set row.
 */
final class SampledEstimator extends AbstractEstimator {
  /** Draws are without replacement when the pool holds at most this many times R datapoints. */
  static final int STRATIFY_FACTOR = 64;

  /**
   * The fewest draws of the point's own values. The point's decomposition, the figures a reader
   * looks at first, is one estimate per term, and its standard error is the spread of its draws: a
   * small R (the fast preset's 5) gave errors with R - 1 degrees of freedom, so |z| behaved like
   * Student's t with 4 (mean z^2 near 2, and |z| > 3 six to fourteen times as often as it should).
   * Its rows are few (2^k - 1 terms), so the point takes at least this many draws; the samples keep
   * R.
   */
  static final int POINT_DRAWS = 50;

  private final int draws;
  private final int pointDraws; // max(draws, POINT_DRAWS)
  private final boolean anchored;
  private final int group; // 0: by the number of modalities (Estimators#anchoredGroup)

  SampledEstimator(int draws) {
    this(draws, false, 1);
  }

  /**
   * @param group anchored: consecutive samples that share their draws and control rows (1: none; 0:
   *     {@link Estimators#anchoredGroup} for the number of modalities)
   */
  SampledEstimator(int draws, boolean anchored, int group) {
    super(anchored ? "anchored" : "sampled", "R", "draws", draws, 1);
    if (anchored ? group < 0 : group != 1) {
      throw new IllegalArgumentException(
          "the draw group must be 1, or at least 1 (0: by k) for anchored; found " + group);
    }
    this.draws = draws;
    this.pointDraws = Math.max(draws, POINT_DRAWS);
    this.anchored = anchored;
    this.group = group;
  }

  @Override
  void addParameters(java.util.Map<String, Object> m, int k) {
    if (anchored && (group > 0 || k > 0)) {
      m.put("samplesPerDrawGroup", groupFor(k));
    }
    if (pointDraws != draws) {
      m.put("pointDraws", pointDraws); // the point's own values (POINT_DRAWS)
    }
  }

  /** The draw group with k modalities. */
  int groupFor(int k) {
    return group > 0 ? group : Estimators.anchoredGroup(k);
  }

  @Override
  public boolean deterministic(Term t, int k) {
    // sampled: one estimate per distinct mask. A repeated mask reuses the value its first
    // occurrence got from draws that were fresh for it; each distinct mask's value stays unbiased.
    // anchored: a repeat draws again (only the full set, which involves no draw, is reused): with
    // R = 5 the repeats' fresh draws are much of the information on the few masks near the point,
    // and sharing them cost the k = 3 task's order-3 terms 0.98 -> 0.97 (issue 18).
    return !anchored || t.bits() == (1L << k) - 1;
  }

  @Override
  public boolean samplesCarryDrawError() {
    return true;
  }

  @Override
  public boolean repeatsShareDrawError() {
    return !anchored;
  }

  @Override
  public int samplesSharingDraws(int k) {
    return anchored ? groupFor(k) : 1;
  }

  @Override
  public long rowsPerSample(int k, List<Term> varying) {
    long rows = 0;
    for (Term t : varying) {
      rows += t.bits() == (1L << k) - 1 ? 1 : (anchored ? 2L : 1L) * draws;
    }
    return rows;
  }

  @Override
  public long pointRows(int k, List<Term> terms) {
    return (long) pointDraws * terms.stream().filter(t -> t.bits() != (1L << k) - 1).count();
  }

  @Override
  public Session open(Context ctx) {
    return new SampledSession(ctx);
  }

  /** Values beyond these magnitudes have squares that overflow or underflow. */
  private static final double HUGE = 1e100;

  private static final double TINY = 1e-100;

  /**
   * The standard error of the mean of {@code x} (0 for one value), from its sum and sum of squares
   * where that is accurate, else from the deviations from the mean in units of the largest one:
   * when the squares leave the range of doubles (values beyond 1e100 or below 1e-100), or when the
   * sum of squares is nearly all the mean's (a level far above the spread, or no spread at all,
   * where the one-pass difference keeps only rounding: sqrt(eps) times the level for a spread of
   * 0).
   */
  static double standardErrorOfMean(double[] x, double sum, double sumSq) {
    int n = x.length;
    if (n < 2) {
      return 0;
    }
    double mean = sum / n;
    double ss = sumSq - n * mean * mean;
    double max = 0;
    for (double v : x) {
      max = Math.max(max, Math.abs(v));
    }
    if (max == 0 || !Double.isFinite(max)) {
      return max == 0 ? 0 : Double.NaN;
    }
    boolean accurate = Double.isFinite(sumSq) && max <= HUGE && max >= TINY && ss > 1e-6 * sumSq;
    if (accurate) {
      return Math.sqrt(Math.max(0, ss / (n - 1)) / n);
    }
    double m = 0;
    for (double v : x) {
      m += v / max;
    }
    m /= n;
    double dev = 0;
    for (double v : x) {
      dev = Math.max(dev, Math.abs(v / max - m));
    }
    if (dev == 0) {
      return 0;
    }
    double s = 0;
    for (double v : x) {
      double d = (v / max - m) / dev;
      s += d * d;
    }
    return max * dev * Math.sqrt(s / (n - 1) / n);
  }

  /** A group of samples: modality, draw stream, term, and the group's index in the stream. */
  private record GroupKey(int m, long stream, long term, long group) {}

  /**
   * The control rows of one group of samples that share their draws: their coefficient times their
   * sum, in the order the runner delivers them (the order they were queued). Used on the explaining
   * thread only.
   */
  private static final class GroupControl implements InPlaceDestination {
    private final double[] sum;
    private final double coef;

    GroupControl(int outputs, double coef) {
      this.sum = new double[outputs];
      this.coef = coef;
    }

    @Override
    public void accept(double[] out, int from, int length) {
      for (int o = 0; o < length; o++) {
        sum[o] += coef * out[from + o];
      }
    }
  }

  /**
   * What an anchored sample's slot gets once its rows are in: the point's estimate and its group's
   * control sum, added in this order after the slot's own rows ({@link Session#completeSamples}).
   */
  private record Completion(double[] acc, int offset, double[] base, GroupControl control) {}

  private final class SampledSession implements Session {
    private final Context ctx;
    private final int kk;
    private final long full;
    private long hash = 17;
    private final int[] tupleBuf;
    private final int[][] perms; // per modality: a permutation of the pool's indices, or null
    private final long idHash; // Seeds.fnv of the point's id
    private final int group; // samples per draw group (1 for sampled)
    // anchored: the point's estimates v^_x(T), set by point()
    private Map<Term, double[]> atPoint;
    // anchored: the control rows of each group of samples that share their draws
    private final Map<GroupKey, GroupControl> controls = new HashMap<>();
    private final Map<GroupKey, int[]> groupTuples = new HashMap<>(); // term -1: the draws
    // anchored: the samples emitted since the last completeSamples()
    private final java.util.ArrayList<Completion> completions = new java.util.ArrayList<>();
    private long reused;

    SampledSession(Context ctx) {
      this.ctx = ctx;
      this.kk = ctx.point().length;
      this.full = (1L << kk) - 1;
      this.tupleBuf = new int[pointDraws * kk];
      this.perms = new int[kk][];
      this.idHash = Seeds.fnv(ctx.id());
      this.group = groupFor(kk);
    }

    /**
     * Draws R index tuples into {@code tuples} (tuple r at {@code [r * k, (r + 1) * k)}); the
     * entries of {@code skipModality} are left alone. Returns the buffer.
     *
     * <p>Each modality's R indices are drawn without replacement (in rounds of the pool's size when
     * R exceeds it) when the pool holds at most {@value #STRATIFY_FACTOR} R datapoints, else with
     * replacement (repeats are then rare). Each tuple is still uniform on the pool's product
     * measure, since every modality's index is marginally uniform and the modalities' draws are
     * independent, so every value stays unbiased; the mean over R distinct references has less
     * variance than over R independent ones, by the finite-population factor (n - R) / (n - 1) when
     * one modality is drawn (none at R = n: the demo's pool of 100 at R = 100).
     */
    private int[] drawTuples(SplittableRandom rng, int skipModality) {
      return drawTuples(rng, skipModality, draws);
    }

    /** {@link #drawTuples(SplittableRandom, int)} with {@code draws} tuples instead of R. */
    private int[] drawTuples(SplittableRandom rng, int skipModality, int draws) {
      int n = ctx.pool().size();
      int[] tuples = tupleBuf;
      long h = hash;
      boolean distinct = n <= (long) STRATIFY_FACTOR * draws;
      for (int j = 0; j < kk; j++) {
        if (j == skipModality) {
          continue;
        }
        int[] perm = distinct ? permutation(j, n) : null;
        for (int r = 0, at = j; r < draws; r++, at += kk) {
          int idx;
          if (distinct) {
            int i = r % n; // a new round of the pool after every n draws
            int pick = i + rng.nextInt(n - i);
            idx = perm[pick];
            perm[pick] = perm[i];
            perm[i] = idx;
          } else {
            idx = rng.nextInt(n);
          }
          tuples[at] = idx;
          h = Seeds.mix(h ^ (idx + 0x9E3779B97F4A7C15L * (j + 1)));
        }
      }
      hash = h;
      return tuples;
    }

    /**
     * Modality j's scratch permutation of the pool indices (any order: a partial Fisher-Yates
     * shuffle from any arrangement picks a uniformly random ordered subset).
     */
    private int[] permutation(int j, int n) {
      if (perms[j] == null) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
          p[i] = i;
        }
        perms[j] = p;
      }
      return perms[j];
    }

    /**
     * Queues the rows of term t for draws {@code from .. from + count}: x on t's modalities, the
     * tuples' pool values elsewhere.
     */
    private void emit(
        Term t, Object[] x, int[] tuples, int from, int count, BatchRunner.Destination dest) {
      ctx.runner().addDraws(x, t.bits(), tuples, from, count, ctx.pool(), dest);
    }

    @Override
    public PointValues point(List<Term> terms, double[] prediction) {
      int c = ctx.outputs();
      SplittableRandom rng = Seeds.stream(ctx.seed(), ctx.id(), -1, Seeds.POINT, 0);
      int draws = pointDraws;
      int[] tuples = drawTuples(rng, -1, draws);
      // Per draw r and term t: the output, so that each g_S gets a per-draw value and an error.
      Map<Term, double[][]> perDraw = new HashMap<>();
      for (Term t : terms) {
        if (t.bits() == full) {
          continue;
        }
        double[][] store = new double[draws][];
        perDraw.put(t, store);
        for (int r = 0; r < draws; r++) {
          final int rr = r;
          emit(t, ctx.point(), tuples, r, 1, y -> store[rr] = y);
        }
      }
      ctx.runner().flush();
      Map<Term, double[]> values = new HashMap<>();
      for (Map.Entry<Term, double[][]> e : perDraw.entrySet()) {
        double[] mean = new double[c];
        for (double[] y : e.getValue()) {
          for (int i = 0; i < c; i++) {
            mean[i] += y[i] / draws;
          }
        }
        values.put(e.getKey(), mean);
      }
      values.put(new Term(full), prediction.clone());
      atPoint = values;
      return new PointValues(values, errors(terms, perDraw, prediction));
    }

    /**
     * The standard error of each term's value from its per-draw values (each draw's Moebius sum
     * over the term's subsets, the draws being shared by every term). The full set's entry, when
     * some of its subsets are above the order cap and so not estimated, is the error of the
     * residual above the cap, M - (the sum of the other terms), taken draw by draw like the terms':
     * the terms' errors are strongly correlated through the shared draws (an additive model's
     * residual is 0 in every draw), so their root sum of squares is no error of the residual.
     */
    private Map<Term, double[]> errors(
        List<Term> terms, Map<Term, double[][]> perDraw, double[] prediction) {
      Map<Term, double[]> errors = new HashMap<>();
      Term residual = null;
      for (Term s : terms) {
        List<Term> subs = Moebius.subsets(s);
        if (!subs.stream().allMatch(t -> t.bits() == full || perDraw.containsKey(t))) {
          residual = s.bits() == full ? s : residual;
          continue;
        }
        double[] coef = new double[1 << kk];
        for (Term t : subs) {
          coef[(int) t.bits()] += Moebius.sign(s, t);
        }
        errors.put(s, perDrawError(coef, subs, perDraw, prediction));
      }
      if (residual != null) {
        // M - sum of the other terms: v(full) with coefficient 1, minus each term's Moebius sum
        double[] coef = new double[1 << kk];
        coef[(int) full] = 1;
        for (Term s : terms) {
          if (s.bits() != full) {
            for (Term t : Moebius.subsets(s)) {
              coef[(int) t.bits()] -= Moebius.sign(s, t);
            }
          }
        }
        List<Term> used = new java.util.ArrayList<>();
        for (int b = 0; b < coef.length; b++) {
          if (coef[b] != 0) {
            used.add(new Term(b));
          }
        }
        errors.put(residual, perDrawError(coef, used, perDraw, prediction));
      }
      return errors;
    }

    /**
     * The standard error of the mean over the draws of sum_t coef[t] v_r(t), per class; v_r(full)
     * is the prediction (no draw).
     */
    private double[] perDrawError(
        double[] coef, List<Term> subs, Map<Term, double[][]> perDraw, double[] prediction) {
      int c = ctx.outputs();
      int draws = pointDraws;
      double[] sum = new double[c];
      double[] sumSq = new double[c];
      double[][] g = new double[c][draws];
      for (int r = 0; r < draws; r++) {
        for (int i = 0; i < c; i++) {
          double gr = 0;
          for (Term t : subs) {
            double v = t.bits() == full ? prediction[i] : perDraw.get(t)[r][i];
            gr += coef[(int) t.bits()] * v;
          }
          g[i][r] = gr;
          sum[i] += gr;
          sumSq[i] += gr * gr;
        }
      }
      double[] se = new double[c];
      for (int i = 0; i < c; i++) {
        se[i] = standardErrorOfMean(g[i], sum[i], sumSq[i]);
      }
      return se;
    }

    @Override
    public void sample(SampleRequest s) {
      int c = ctx.outputs();
      Object[] x = s.perturb(ctx.point());
      List<Term> slots = s.slots();
      boolean needDraws = false;
      for (int i = 0; i < slots.size(); i++) {
        if (slots.get(i).bits() != full && !s.skipped(i)) {
          needDraws = true;
        }
      }
      int[] tuples = null;
      long drawIndex = anchored ? s.index() / group : s.index();
      if (needDraws && group > 1) {
        // every sample of a group uses the group's draws (drawn once: without replacement the
        // draws also depend on the scratch permutations' state, so they are kept, not redrawn)
        GroupKey gk = new GroupKey(s.m(), s.stream(), -1, drawIndex);
        tuples = groupTuples.get(gk);
        if (tuples == null) {
          SplittableRandom rng = Seeds.stream(ctx.seed(), idHash, s.m(), s.stream(), drawIndex);
          tuples = drawTuples(rng, s.m()).clone();
          groupTuples.put(gk, tuples);
        }
      } else if (needDraws) {
        SplittableRandom rng = Seeds.stream(ctx.seed(), idHash, s.m(), s.stream(), drawIndex);
        tuples = drawTuples(rng, s.m());
      }
      for (int i = 0; i < slots.size(); i++) {
        if (s.skipped(i)) {
          continue;
        }
        Term t = slots.get(i);
        if (t.bits() == full) {
          ctx.runner().add(x, new BatchRunner.Accumulate(s.acc(), i * c, 1.0));
        } else {
          emit(t, x, tuples, 0, draws, new BatchRunner.Accumulate(s.acc(), i * c, 1.0 / draws));
          if (anchored) {
            double[] base = atPoint == null ? null : atPoint.get(t);
            if (base == null) {
              throw new IllegalStateException(
                  "anchored estimator: sample of term " + t + " before the point's value");
            }
            GroupKey key = new GroupKey(s.m(), s.stream(), t.bits(), drawIndex);
            GroupControl control = controls.get(key);
            if (control == null) {
              control = new GroupControl(c, -1.0 / draws);
              controls.put(key, control);
              emit(t, ctx.point(), tuples, 0, draws, control);
            } else {
              reused += draws; // the group's control rows, already sent for an earlier sample
            }
            completions.add(new Completion(s.acc(), i * c, base, control));
          }
        }
      }
    }

    @Override
    public void completeSamples() {
      // the slot's own rows are summed in queue order; then the point's estimate, then the group's
      // control sum: the same association whenever the runner delivered the rows
      for (Completion k : completions) {
        double[] acc = k.acc();
        for (int o = 0; o < k.base().length; o++) {
          acc[k.offset() + o] += k.base()[o];
          acc[k.offset() + o] += k.control().sum[o];
        }
      }
      completions.clear();
    }

    @Override
    public long drawHash() {
      return hash;
    }

    @Override
    public long reusedRows() {
      return reused;
    }
  }
}
