package io.dime.api;

import static java.util.Objects.requireNonNull;

/**
 * How faithful one surrogate fit is to the quantity it explains, beyond its in-sample fit score: a
 * deletion and an insertion curve, and R^2 on held-out perturbations. Every value is the fit's own
 * <em>target</em> (for UC the UC target at the perturbed input, for LIME the model output with the
 * modality perturbed and the others as given, for a term g_S that term), computed by the same
 * estimator with the same reference-draw policy as the fitted samples, so the numbers are on the
 * fit's scale.
 *
 * <p><b>Curves.</b> The modality's d features are ordered by the fit's weight, largest first (the
 * features that support the target most come first; ties by feature index). With T = min(d, steps)
 * steps, step t (0..T) concerns the first a_t = ceil(t d / T) features of that order:
 *
 * <ul>
 *   <li>deletion: those features hidden, all others kept (t = 0 is the unperturbed input, t = T
 *       hides everything);
 *   <li>insertion: only those features kept (t = 0 hides everything, t = T is the unperturbed
 *       input).
 * </ul>
 *
 * Both curves share their end points and their x values, {@code fractions[t] = a_t / d}. Areas are
 * the trapezoid rule over the fraction in [0, 1]. The normalised areas subtract the straight line
 * between the shared end points, (y(unperturbed) + y(all hidden)) / 2: a faithful explanation has a
 * negative normalised deletion area (the target falls faster than linearly when its top features
 * go) and a positive normalised insertion area (it rises faster than linearly when they come back);
 * for a target linear in the mask, a random order gives 0 for both in expectation. In target units,
 * not divided by the end-point gap (which may be 0).
 *
 * <p><b>Held-out R^2.</b> Fresh masks from the surrogate's own mask distribution (an independent
 * random stream; the design's fixed unperturbed first sample is left out), their targets, and the
 * R^2 of the surrogate's prediction intercept + weights . mask against them: unweighted, and
 * weighted with the surrogate's sample weights for those masks. NaN when there are none, when they
 * have no weight, or when the fit's target does not vary beyond the model's floating-point rounding
 * (a modality the model ignores, an interaction it does not have): R^2 is not defined there, and
 * the explanation warns of it. (Before 0.3 such a target scored 1 when the prediction reproduced
 * it, and whatever its rounding allowed otherwise.)
 *
 * <p>Arrays are not copied and must not be changed.
 *
 * @param steps the number of curve steps T (0 when curves are off; then the arrays are empty and
 *     the areas NaN)
 * @param fractions T + 1 fractions of the features hidden (deletion) or revealed (insertion), from
 *     0 to 1
 * @param deletion T + 1 target values of the deletion curve
 * @param insertion T + 1 target values of the insertion curve
 * @param deletionArea area under the deletion curve (trapezoid rule over the fraction)
 * @param insertionArea area under the insertion curve
 * @param normalisedDeletionArea deletion area minus the end points' straight line (smaller is
 *     better)
 * @param normalisedInsertionArea insertion area minus the end points' straight line (larger is
 *     better)
 * @param heldOutSamples number of held-out masks (0 when held-out scoring is off)
 * @param heldOutR2 R^2 of the surrogate's predictions on the held-out masks, unweighted
 * @param heldOutWeightedR2 the same, weighted with the surrogate's kernel weights
 * @since 0.1
 */
public record Faithfulness(
    int steps,
    double[] fractions,
    double[] deletion,
    double[] insertion,
    double deletionArea,
    double insertionArea,
    double normalisedDeletionArea,
    double normalisedInsertionArea,
    int heldOutSamples,
    double heldOutR2,
    double heldOutWeightedR2) {
  public Faithfulness {
    requireNonNull(fractions, "fractions is null");
    requireNonNull(deletion, "deletion is null");
    requireNonNull(insertion, "insertion is null");
    if (steps < 0 || heldOutSamples < 0) {
      throw new IllegalArgumentException(
          "steps and heldOutSamples must be >= 0, found " + steps + " and " + heldOutSamples);
    }
    int points = steps == 0 ? 0 : steps + 1;
    if (fractions.length != points || deletion.length != points || insertion.length != points) {
      throw new IllegalArgumentException(
          "with "
              + steps
              + " steps the curves need "
              + points
              + " points each, found "
              + fractions.length
              + ", "
              + deletion.length
              + " and "
              + insertion.length);
    }
  }

  /**
   * The trapezoid area under {@code y} over {@code x} (x ascending); NaN for fewer than two points.
   */
  public static double area(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(x.length + " x values but " + y.length + " y values");
    }
    if (x.length < 2) {
      return Double.NaN;
    }
    double a = 0;
    for (int t = 1; t < x.length; t++) {
      a += (x[t] - x[t - 1]) * (y[t] + y[t - 1]) / 2;
    }
    return a;
  }

  /**
   * Curves and their areas from the x values and the two curves' target values; {@code fractions}
   * must run from 0 to 1.
   */
  public static Faithfulness of(
      double[] fractions,
      double[] deletion,
      double[] insertion,
      int heldOutSamples,
      double heldOutR2,
      double heldOutWeightedR2) {
    int steps = Math.max(0, fractions.length - 1);
    double del = area(fractions, deletion);
    double ins = area(fractions, insertion);
    double line = Double.NaN;
    if (steps > 0) {
      // the deletion curve starts unperturbed and ends all hidden; the insertion curve the reverse
      line = (deletion[0] + deletion[steps]) / 2;
    }
    return new Faithfulness(
        steps,
        fractions,
        deletion,
        insertion,
        del,
        ins,
        del - line,
        ins - line,
        heldOutSamples,
        heldOutR2,
        heldOutWeightedR2);
  }
}
