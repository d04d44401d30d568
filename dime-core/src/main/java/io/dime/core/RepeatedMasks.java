package io.dime.core;

import io.dime.core.FitTargets.ColumnSpec;
import io.dime.spi.ColumnFit;
import io.dime.spi.SampleDesign;
import io.dime.spi.Surrogate;
import java.util.ArrayList;
import java.util.List;

/**
 * Standard errors of fits whose repeated masks share one estimate ({@link
 * io.dime.core.estimate.Estimator#repeatsShareDrawError}, the {@code sampled} estimator).
 *
 * <p>A surrogate's standard errors come from its residuals, taken as independent. Under {@code
 * sampled} a mask drawn n times carries one estimate with one draw error, copied n times: the n
 * residuals are one error, and counting them as n understates the weights' errors (by 10 to 150
 * times for modalities of 1 to 4 features, where nearly every sample repeats a mask). A mask's
 * repeats are therefore one observation: the same surrogate is fitted to the distinct masks, each
 * with the sum of its repeats' sample weights. The weights of that fit are those of the fit to
 * every sample (weighted least squares gives repeated rows the weight of their sum), so only its
 * standard errors are taken; they count the distinct masks in their residual degrees of freedom
 * (NaN when there are no more distinct masks than parameters). With equally frequent masks this is
 * the exact error of the draws; the part of the residual that is the surrogate's lack of fit, the
 * same for every repeat, is then counted once per mask, which makes the error conservative.
 */
final class RepeatedMasks {
  private RepeatedMasks() {}

  /**
   * The fits with the standard errors of the columns that carry draw error replaced by those of a
   * fit to the distinct masks; the fits themselves when no mask repeats.
   *
   * @param slotOf per subset of modalities (by its bits), the slot of the sample values holding it,
   *     or -1 for a value taken from the point
   * @param full the bits of the full set, whose value is the model's output (no draw error)
   */
  static List<ColumnFit> distinctMaskErrors(
      Surrogate surrogate,
      SampleDesign design,
      double[][] y,
      List<ColumnFit> fits,
      List<ColumnSpec> specs,
      int[] slotOf,
      int full) {
    boolean[][] masks = design.masks();
    SampleRunner.FirstIndex firsts = new SampleRunner.FirstIndex(masks.length);
    int[] distinct = new int[masks.length]; // sample -> its distinct mask's position
    List<Integer> rows = new ArrayList<>();
    for (int s = 0; s < masks.length; s++) {
      int first = firsts.putIfAbsent(masks[s], s);
      if (first < 0) {
        distinct[s] = rows.size();
        rows.add(s);
      } else {
        distinct[s] = distinct[first];
      }
    }
    // only the columns whose targets carry draw error are fitted again (each column's fit is its
    // own: the others do not change it)
    int[] drawn =
        java.util.stream.IntStream.range(0, specs.size())
            .filter(col -> drawError(specs.get(col), slotOf, full))
            .toArray();
    if (rows.size() == masks.length || drawn.length == 0) {
      return fits;
    }
    boolean[][] dm = new boolean[rows.size()][];
    double[][] dy = new double[rows.size()][drawn.length];
    double[] dw = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      dm[i] = masks[rows.get(i)];
      for (int c = 0; c < drawn.length; c++) {
        dy[i][c] = y[rows.get(i)][drawn[c]];
      }
    }
    for (int s = 0; s < masks.length; s++) {
      dw[distinct[s]] += design.weights()[s];
    }
    List<ColumnFit> once = surrogate.fit(new SampleDesign(dm, dw), dy);
    List<ColumnFit> out = new ArrayList<>(fits);
    for (int c = 0; c < drawn.length; c++) {
      ColumnFit f = fits.get(drawn[c]);
      out.set(
          drawn[c], new ColumnFit(f.weights(), merged(f, once.get(c)), f.intercept(), f.score()));
    }
    return out;
  }

  /**
   * The fits with the standard errors of the columns that carry draw error set to NaN (unknown):
   * for a design with no more samples than the fit's parameters, whose fit reproduces its samples
   * and so has no residual to measure the draws' error by ({@link
   * io.dime.core.estimate.Estimator#samplesCarryDrawError}). Columns without draws keep theirs.
   */
  static List<ColumnFit> withoutResidualErrors(
      List<ColumnFit> fits, List<ColumnSpec> specs, int[] slotOf, int full) {
    List<ColumnFit> out = new ArrayList<>(fits);
    for (int col = 0; col < specs.size(); col++) {
      if (drawError(specs.get(col), slotOf, full)) {
        ColumnFit f = fits.get(col);
        double[] se = new double[f.weights().length];
        java.util.Arrays.fill(se, Double.NaN);
        out.set(col, new ColumnFit(f.weights(), se, f.intercept(), f.score()));
      }
    }
    return out;
  }

  /** Whether the column's target involves a value estimated from draws (a slot other than M). */
  private static boolean drawError(ColumnSpec spec, int[] slotOf, int full) {
    for (int t = 0; t < spec.coef().length; t++) {
      if (t != full && spec.coef()[t] != 0 && slotOf[t] >= 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The distinct-mask fit's errors where both fits kept the feature; 0 where the fit left it out,
   * NaN where only the distinct-mask fit did (a selection that rounding tipped the other way). A
   * distinct-mask fit whose errors are all 0 fits its targets exactly (a target constant over the
   * masks: a weight of 0 with an error of 0 is then its answer, not a feature left out), and its
   * errors of 0 are taken as they are.
   */
  private static double[] merged(ColumnFit all, ColumnFit once) {
    double[] se = new double[all.standardErrors().length];
    boolean exact = true;
    for (double e : once.standardErrors()) {
      exact &= e == 0;
    }
    for (int j = 0; j < se.length; j++) {
      boolean kept = all.weights()[j] != 0 || all.standardErrors()[j] != 0;
      boolean keptOnce = exact || once.weights()[j] != 0 || once.standardErrors()[j] != 0;
      se[j] = !kept ? 0 : keptOnce ? once.standardErrors()[j] : Double.NaN;
    }
    return se;
  }
}
