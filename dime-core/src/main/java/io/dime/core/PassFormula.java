package io.dime.core;

import java.util.Set;

/**
 * The forward passes the estimator's formula gives (DESIGN.md section 4): for a datapoint before it
 * is explained, and for one explanation as it was made. A cache of repeated rows may only lower the
 * rows sent; sent plus cached always equals the formula.
 */
final class PassFormula {
  private final EngineConfig c;
  private final FitTargets targets;

  PassFormula(EngineConfig c, FitTargets targets) {
    this.c = c;
    this.targets = targets;
  }

  /**
   * The passes of one datapoint when every surrogate draws the requested number of samples and
   * every modality has at least {@code steps} features: see {@link Dime#passFormula(int)}. A count
   * past {@link Long#MAX_VALUE} is that (any limit refuses it).
   */
  long perPoint(int classes) {
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be at least 1, found " + classes);
    }
    long rows = saturatedSum(1, c.estimator.pointRows(c.k, c.pointTerms));
    for (int m = 0; m < c.k; m++) {
      // in longs: --samples 2147483647 plus the held-out masks wrapped around to a negative count
      long masks =
          saturatedSum(
              (long) c.samples + c.heldOut,
              curveMasks((long) classes * fitsPerClass(m), c.curveSteps));
      rows =
          saturatedSum(
              rows,
              saturatedProduct(
                  masks,
                  c.estimator.rowsPerSample(c.k, c.estimator.varyingTerms(m, c.pointTerms))));
    }
    return rows;
  }

  /** {@code a + b} of two counts of 0 or more, or {@link Long#MAX_VALUE} past it. */
  static long saturatedSum(long a, long b) {
    long s = a + b;
    return s < 0 ? Long.MAX_VALUE : s;
  }

  /** {@code a * b} of two counts of 0 or more, or {@link Long#MAX_VALUE} past it. */
  static long saturatedProduct(long a, long b) {
    return a != 0 && b > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * b;
  }

  /**
   * The formula of one explanation as it was made.
   *
   * @param drawn per modality, the samples its surrogate drew
   * @param extra per modality, the nominal faithfulness masks
   */
  long ofExplanation(int[] drawn, long[] extra) {
    long formula = 1 + c.estimator.pointRows(c.k, c.pointTerms);
    for (int m = 0; m < c.k; m++) {
      formula +=
          (drawn[m] + extra[m])
              * c.estimator.rowsPerSample(c.k, c.estimator.varyingTerms(m, c.pointTerms));
    }
    return formula;
  }

  /** The fits (target columns) of one class on modality m. */
  private int fitsPerClass(int m) {
    return targets.columns(m, Set.of(0)).size();
  }

  /** The nominal curve masks of {@code fits} fits with T steps: two curves of T + 1 points each. */
  static long curveMasks(long fits, int steps) {
    return steps == 0 ? 0 : saturatedProduct(fits, 2 * (steps + 1L));
  }
}
