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
   * every modality has at least {@code steps} features: see {@link Dime#passFormula(int)}.
   */
  long perPoint(int classes) {
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be at least 1, found " + classes);
    }
    long rows = 1 + c.estimator.pointRows(c.k, c.pointTerms);
    for (int m = 0; m < c.k; m++) {
      long masks = c.samples + c.heldOut + curveMasks(classes * fitsPerClass(m), c.curveSteps);
      rows += masks * c.estimator.rowsPerSample(c.k, c.estimator.varyingTerms(m, c.pointTerms));
    }
    return rows;
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
    return steps == 0 ? 0 : fits * 2 * (steps + 1L);
  }
}
