package io.dime.core.decompose;

import io.dime.api.Term;
import java.util.ArrayList;
import java.util.List;

/**
 * The functional-ANOVA algebra over subsets of k modalities: g_S = sum over T subset of S of
 * (-1)^(|S|-|T|) v(T), and its inverse v(S) = sum over T subset of S of g_T.
 */
public final class Moebius {
  private Moebius() {}

  /** The subsets of {@code s}, the empty set included, ascending by bits. */
  public static List<Term> subsets(Term s) {
    List<Term> out = new ArrayList<>();
    long bits = s.bits();
    long sub = 0;
    do {
      out.add(new Term(sub));
      sub = (sub - bits) & bits;
    } while (sub != 0);
    return out;
  }

  /** The sign (-1)^(|S|-|T|) of v(T) in g_S. */
  public static int sign(Term s, Term t) {
    return ((s.order() - t.order()) & 1) == 0 ? 1 : -1;
  }

  /** The full set of k modalities. */
  public static Term full(int k) {
    return new Term((1L << k) - 1);
  }

  /**
   * Terms g_S from values v(T) given for every subset (indexed by bits): g[S] = sum_T sign v[T].
   * Works per class: {@code v[bits][class]}.
   */
  public static double[][] termsFromValues(int k, double[][] v) {
    int n = 1 << k;
    double[][] g = new double[n][];
    for (int s = 0; s < n; s++) {
      double[] acc = new double[v[s].length];
      for (Term t : subsets(new Term(s))) {
        double sg = sign(new Term(s), t);
        double[] vt = v[(int) t.bits()];
        for (int c = 0; c < acc.length; c++) {
          acc[c] += sg * vt[c];
        }
      }
      g[s] = acc;
    }
    return g;
  }
}
