package io.dime.core.estimate;

import io.dime.api.Term;
import io.dime.core.decompose.Moebius;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The delete-group jackknife over a fixed reference set of N datapoints: the set is split into G
 * groups (reference at position i in group i mod G), every estimate is recomputed with each group
 * left out, and the spread of those G estimates is the standard error due to which references were
 * chosen, the error that a surrogate fitted on the set's values cannot see (every sample shares
 * it). Groups of unequal size (N not a multiple of G) use the weighted delete-m jackknife (Busing,
 * Meijer and van der Leeden, Statistics and Computing 9, 1999), which for equal groups is the usual
 * sqrt((G - 1) / G * sum_g (t_g - mean)^2).
 *
 * @since 0.3
 */
public final class Jackknife {
  /** The most groups: more add columns to every fit for little gain in the error's precision. */
  public static final int MAX_GROUPS = 20;

  private final int references;
  private final int[] sizes;

  private Jackknife(int references, int groups) {
    this.references = references;
    this.sizes = new int[groups];
    for (int i = 0; i < references; i++) {
      sizes[i % groups]++;
    }
  }

  private Jackknife(int references, int[] sizes) {
    this.references = references;
    this.sizes = sizes;
  }

  /**
   * This set without the reference at {@code position}: the same G groups (positions keep their
   * group), that reference's one smaller. A group left empty has nothing to leave out: its estimate
   * is ignored (the errors are those of the other groups').
   */
  public Jackknife leaving(int position) {
    int[] s = sizes.clone();
    int g = groupOf(position);
    if (s[g] == 0) {
      throw new IllegalArgumentException("group " + g + " is empty");
    }
    s[g]--;
    return new Jackknife(references - 1, s);
  }

  /**
   * The jackknife of a set of {@code references} datapoints, or null below 2 (nothing to leave
   * out).
   */
  public static Jackknife of(int references) {
    return references < 2 ? null : new Jackknife(references, groups(references));
  }

  /** The number of groups for a set of n references: min(n, {@value #MAX_GROUPS}), 0 below 2. */
  public static int groups(int n) {
    return n < 2 ? 0 : Math.min(n, MAX_GROUPS);
  }

  /** G. */
  public int groups() {
    return sizes.length;
  }

  /** The group of the reference at position {@code position} of the set. */
  public int groupOf(int position) {
    return position % sizes.length;
  }

  /** The references of group g. */
  public int size(int g) {
    return sizes[g];
  }

  /** N. */
  public int references() {
    return references;
  }

  /**
   * The standard error of an estimate from its value on the whole set and its G values with each
   * group left out; NaN if any is not finite.
   */
  public double standardError(double full, double[] leftOut) {
    int g = sizes.length;
    if (leftOut.length != g) {
      throw new IllegalArgumentException(
          "the jackknife has " + g + " groups, found " + leftOut.length + " estimates");
    }
    // theta_J = G theta - sum_g (1 - m_g / N) theta_-g; pseudo-values tau_g = h_g theta - (h_g - 1)
    // theta_-g with h_g = N / m_g; variance = (1 / G) sum_g (tau_g - theta_J)^2 / (h_g - 1); over
    // the groups that hold a reference (see leaving)
    int nonEmpty = 0;
    for (int size : sizes) {
      nonEmpty += size > 0 ? 1 : 0;
    }
    if (nonEmpty < 2) {
      return Double.NaN; // one reference: nothing to leave out
    }
    double thetaJ = nonEmpty * full;
    for (int i = 0; i < g; i++) {
      if (sizes[i] > 0) {
        thetaJ -= (1.0 - (double) sizes[i] / references) * leftOut[i];
      }
    }
    // the deviations scaled by the largest, so that outputs near 1e-160 or 1e200 neither
    // underflow nor overflow when squared
    double[] d = new double[g];
    double scale = 0;
    for (int i = 0; i < g; i++) {
      if (sizes[i] == 0) {
        continue;
      }
      double h = (double) references / sizes[i];
      d[i] = h * full - (h - 1) * leftOut[i] - thetaJ;
      scale = Math.max(scale, Math.abs(d[i]));
    }
    if (scale == 0 || !Double.isFinite(scale)) {
      return scale == 0 ? 0 : Double.NaN;
    }
    double sum = 0;
    for (int i = 0; i < g; i++) {
      if (sizes[i] == 0) {
        continue;
      }
      double h = (double) references / sizes[i];
      double r = d[i] / scale;
      sum += r * r / (h - 1);
    }
    return scale * Math.sqrt(sum / nonEmpty);
  }

  /**
   * The error of each entry of a vector estimate: {@code leftOut[g][i]} against {@code full[i]}.
   */
  public double[] standardErrors(double[] full, double[][] leftOut) {
    double[] se = new double[full.length];
    double[] column = new double[leftOut.length];
    for (int i = 0; i < full.length; i++) {
      for (int g = 0; g < leftOut.length; g++) {
        column[g] = leftOut[g][i];
      }
      se[i] = standardError(full[i], column);
    }
    return se;
  }

  /**
   * The standard error of every term g_S, S in {@code terms}, from v(T) on the whole set and with
   * each group left out (v(full) is the prediction in every map). When some subsets of the full set
   * are above the order cap (not in {@code terms}), its entry is the error of the residual above
   * the cap, M minus the sum of the other terms, as in {@link Estimator.PointValues}.
   */
  Map<Term, double[]> termErrors(
      List<Term> terms,
      int k,
      Map<Term, double[]> values,
      java.util.List<Map<Term, double[]>> leftOut) {
    Map<Term, double[]> errors = new HashMap<>();
    double[][] groupTerm = new double[leftOut.size()][];
    for (Term s : terms) {
      double[] coef = termCoefficients(s, terms, k);
      double[] full = combine(coef, values);
      for (int g = 0; g < groupTerm.length; g++) {
        groupTerm[g] = combine(coef, leftOut.get(g));
      }
      errors.put(s, standardErrors(full, groupTerm));
    }
    return errors;
  }

  /**
   * g_S as a combination of v(T): its Moebius sum, or, for the full set with subsets above the cap,
   * M minus the Moebius sums of the other terms.
   */
  private static double[] termCoefficients(Term s, List<Term> terms, int k) {
    long full = (1L << k) - 1;
    double[] coef = new double[1 << k];
    Set<Long> present = new HashSet<>();
    for (Term t : terms) {
      present.add(t.bits());
    }
    List<Term> subs = Moebius.subsets(s);
    if (s.bits() != full || subs.stream().allMatch(t -> present.contains(t.bits()))) {
      for (Term t : subs) {
        coef[(int) t.bits()] += Moebius.sign(s, t);
      }
      return coef;
    }
    coef[(int) full] = 1;
    for (Term o : terms) {
      if (o.bits() != full) {
        for (Term t : Moebius.subsets(o)) {
          coef[(int) t.bits()] -= Moebius.sign(o, t);
        }
      }
    }
    return coef;
  }

  private static double[] combine(double[] coef, Map<Term, double[]> values) {
    double[] out = null;
    for (int b = 0; b < coef.length; b++) {
      if (coef[b] == 0) {
        continue;
      }
      double[] v = values.get(new Term(b));
      if (out == null) {
        out = new double[v.length];
      }
      for (int i = 0; i < v.length; i++) {
        out[i] += coef[b] * v[i];
      }
    }
    return out;
  }
}
