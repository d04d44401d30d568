package io.dime.core;

import io.dime.api.TargetKind;
import io.dime.api.Term;
import io.dime.api.TermValue;
import io.dime.core.decompose.Moebius;
import io.dime.core.estimate.Estimator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What every fit explains, as a linear combination of v(T) over the 2^k subsets: each term g_S (the
 * Moebius sum), UC, MI, the residual above the order cap and LIME's model output; and the value of
 * every term at the explained point.
 */
final class FitTargets {
  /** One target column: a linear combination of v(T) over all 2^k subsets, for one class. */
  record ColumnSpec(String key, TargetKind kind, Term term, int cls, double[] coef) {}

  private final EngineConfig c;

  FitTargets(EngineConfig c) {
    this.c = c;
  }

  /** The target columns of modality m for the given classes, in the order of the fits. */
  List<ColumnSpec> columns(int m, Set<Integer> classes) {
    int k = c.k;
    int n = 1 << k;
    List<ColumnSpec> out = new ArrayList<>();
    double[] uc = new double[n];
    double[] below = new double[n]; // sum of g_S for |S| <= maxOrder
    for (Term s : c.pointTerms) {
      if (s.order() <= c.maxOrder) {
        addTerm(below, s);
      }
      if (s.order() <= 1) {
        addTerm(uc, s);
      }
    }
    int full = n - 1;
    double[] mi = uc.clone();
    for (int i = 0; i < n; i++) {
      mi[i] = -mi[i];
    }
    mi[full] += 1;
    double[] residual = new double[n];
    for (int i = 0; i < n; i++) {
      residual[i] = -below[i];
    }
    residual[full] += 1;
    double[] lime = new double[n];
    lime[full] = 1;
    for (int cls : classes) {
      for (Term s : c.pointTerms) {
        if (s.contains(m) && s.order() <= c.maxOrder) {
          double[] coef = new double[n];
          addTerm(coef, s);
          out.add(new ColumnSpec(s.key(), TargetKind.TERM, s, cls, coef));
        }
      }
      out.add(new ColumnSpec("UC", TargetKind.UC, null, cls, uc));
      if (k > 1) {
        out.add(new ColumnSpec("MI", TargetKind.MI, null, cls, mi));
      }
      if (c.maxOrder < k) {
        out.add(new ColumnSpec("residual", TargetKind.RESIDUAL, null, cls, residual));
      }
      out.add(new ColumnSpec("LIME", TargetKind.MODEL, null, cls, lime));
    }
    return out;
  }

  private static void addTerm(double[] coef, Term s) {
    for (Term t : Moebius.subsets(s)) {
      coef[(int) t.bits()] += Moebius.sign(s, t);
    }
  }

  /**
   * The target of every column for every evaluated mask: row s of the result holds, per column, the
   * column's combination of the slot values of row s of {@code v} and the point's constants.
   */
  static double[][] targets(
      List<ColumnSpec> specs, int[] slotOf, double[][] v, Estimator.PointValues pv, int c) {
    return targets(specs, slotOf, v, new int[] {0}, new Estimator.PointValues[] {pv}, c);
  }

  /**
   * The same for several blocks of slot values in each row of {@code v} at once (the
   * leave-group-out blocks of the jackknife): block b's slot values start at {@code offsets[b]},
   * its point's values are {@code pvs[b]}, and its targets are columns {@code b * specs.size()} on.
   */
  static double[][] targets(
      List<ColumnSpec> specs,
      int[] slotOf,
      double[][] v,
      int[] offsets,
      Estimator.PointValues[] pvs,
      int c) {
    int per = specs.size();
    int cols = per * offsets.length;
    // Per column, in term order (the sums stay bit for bit the same): each nonzero coefficient and
    // either the slot value's position in a row of v or, for a term taken from the point, its
    // value.
    int[][] at = new int[cols][];
    double[][] coef = new double[cols][];
    double[][] constant = new double[cols][];
    for (int col = 0; col < cols; col++) {
      ColumnSpec spec = specs.get(col % per);
      int block = col / per;
      int nz = 0;
      for (double a : spec.coef) {
        nz += a != 0 ? 1 : 0;
      }
      at[col] = new int[nz];
      coef[col] = new double[nz];
      constant[col] = new double[nz];
      for (int t = 0, i = 0; t < spec.coef.length; t++) {
        double a = spec.coef[t];
        if (a == 0) {
          continue;
        }
        coef[col][i] = a;
        if (slotOf[t] >= 0) {
          at[col][i] = offsets[block] + slotOf[t] * c + spec.cls;
        } else {
          at[col][i] = -1;
          constant[col][i] = pvs[block].values().get(new Term(t))[spec.cls];
        }
        i++;
      }
    }
    return combine(v, at, coef, constant);
  }

  private static double[][] combine(double[][] v, int[][] at, double[][] coef, double[][] k0s) {
    int cols = at.length;
    double[][] y = new double[v.length][cols];
    for (int s = 0; s < v.length; s++) {
      double[] vs = v[s];
      for (int col = 0; col < cols; col++) {
        int[] a = at[col];
        double[] w = coef[col];
        double[] k0 = k0s[col];
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
          sum += w[i] * (a[i] >= 0 ? vs[a[i]] : k0[i]);
        }
        y[s][col] = sum;
      }
    }
    return y;
  }

  /**
   * The value of every term at the point for one class, and a residual above the order cap: they
   * sum to the class's output.
   */
  List<TermValue> decomposition(Estimator.PointValues pv, double[] pred, int cls) {
    List<TermValue> out = new ArrayList<>();
    double sum = 0;
    for (Term s : c.pointTerms) {
      if (s.order() > c.maxOrder) {
        continue;
      }
      double g = 0;
      for (Term t : Moebius.subsets(s)) {
        g += Moebius.sign(s, t) * pv.values().get(t)[cls];
      }
      double[] se = pv.termErrors().get(s);
      double e = se == null ? Double.NaN : se[cls];
      out.add(new TermValue(s, s.key(), s.label(c.names), g, e, Double.NaN));
      sum += g;
    }
    if (c.maxOrder < c.k) {
      // the estimator's error of M - (the other terms), under the full set's key (the terms'
      // errors are correlated through shared draws: their root sum of squares is not this error)
      double[] se = pv.termErrors().get(Moebius.full(c.k));
      out.add(
          new TermValue(
              Moebius.full(c.k),
              "residual",
              "above order " + c.maxOrder,
              pred[cls] - sum,
              se == null ? Double.NaN : se[cls],
              Double.NaN));
    }
    return out;
  }
}
