package io.dime.core;

import io.dime.core.FitTargets.ColumnSpec;
import io.dime.spi.SampleDesign;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What an explanation warns of about one modality's fits: designs and targets that mislead. */
final class FitWarnings {
  private FitWarnings() {}

  /**
   * How far a ridge penalty shrinks a design's weights: the largest factor alpha / (G_jj + alpha)
   * over the features, and how many features' factor is over one half (see {@link #shrinkage}).
   */
  record Shrinkage(double largest, int overHalf, int features) {}

  /**
   * The shrinkage a ridge penalty alpha puts on each feature's weight, alpha / (G_jj + alpha), with
   * G_jj = sum_i w_i (z_ij - zbar_j)^2 the kernel-weighted spread of the feature's mask column
   * about its weighted mean (the factor is exact for uncorrelated columns, a guide otherwise). With
   * one feature, every LIME sample but the input hides it all and weighs exp(-8): G_11 is about
   * 0.02 and the weight keeps 2% of its size.
   */
  static Shrinkage shrinkage(SampleDesign design, double alpha) {
    int d = design.features();
    if (!(alpha > 0)) {
      return new Shrinkage(0, 0, d);
    }
    boolean[][] z = design.masks();
    double[] w = design.weights();
    double sw = 0;
    double[] mean = new double[d];
    for (int i = 0; i < z.length; i++) {
      sw += w[i];
      for (int j = 0; j < d; j++) {
        mean[j] += z[i][j] ? w[i] : 0;
      }
    }
    double largest = 0;
    int overHalf = 0;
    for (int j = 0; j < d; j++) {
      double m = sw > 0 ? mean[j] / sw : 0;
      double g = 0;
      for (int i = 0; i < z.length; i++) {
        double c = (z[i][j] ? 1 : 0) - m;
        g += w[i] * c * c;
      }
      double f = alpha / (g + alpha);
      largest = Math.max(largest, f);
      overHalf += f > 0.5 ? 1 : 0;
    }
    return new Shrinkage(largest, overHalf, d);
  }

  /**
   * Adds one modality's warnings: too few samples for its features (no residual degrees of freedom:
   * errors NaN, weights set by the penalty), a ridge penalty that outweighs the design ({@link
   * #shrinkage}), and targets that do not vary beyond rounding (their R^2 is NaN).
   *
   * @param flat the target columns that do not vary beyond rounding
   * @param outputNames the model's output names, by class index
   */
  static void add(
      List<String> warnings,
      String modality,
      int samples,
      int features,
      double alpha,
      Shrinkage shrunk,
      List<ColumnSpec> flat,
      List<String> outputNames) {
    if (tooFewSamples(samples, features)) {
      warnings.add(
          "modality '"
              + modality
              + "': "
              + samples
              + " samples for "
              + features
              + " features leave its fits no residual degrees of freedom: their standard errors"
              + " are NaN and the weights are not identified beyond the ridge penalty; use many"
              + " more samples than features (the default is 1000)");
    }
    if (shrunk.overHalf() > 0) {
      warnings.add(
          String.format(
              java.util.Locale.ROOT,
              "modality '%s': the ridge penalty (alpha %s) outweighs the samples' kernel-weighted"
                  + " spread on %d of %d feature(s), whose weights it shrinks by up to %.0f%%"
                  + " (with few features LIME's perturbed samples lie far from the input and"
                  + " weigh little): widen the kernel (kernelWidth) or set alpha 0",
              modality,
              alpha,
              shrunk.overHalf(),
              shrunk.features(),
              100 * shrunk.largest()));
    }
    Map<Integer, List<String>> byClass = new LinkedHashMap<>();
    for (ColumnSpec s : flat) {
      byClass.computeIfAbsent(s.cls(), x -> new ArrayList<>()).add(s.key());
    }
    for (Map.Entry<Integer, List<String>> e : byClass.entrySet()) {
      warnings.add(
          "modality '"
              + modality
              + "', class '"
              + outputNames.get(e.getKey())
              + "': "
              + String.join(", ", e.getValue())
              + (e.getValue().size() == 1 ? " does" : " do")
              + " not vary beyond the model's floating-point rounding over the samples (hiding"
              + " the modality's features changes nothing the model reads: the model shows no"
              + " such effect here, or the hidden values equal the input where the model reads"
              + " them), so "
              + (e.getValue().size() == 1 ? "its" : "their")
              + " R^2 scores are not defined (NaN)");
    }
  }

  /** Whether {@link #add} warns that there are too few samples for the features. */
  static boolean tooFewSamples(int samples, int features) {
    return features > 1 && samples <= features + 1;
  }

  /**
   * Adds a warning for fits whose standard errors are NaN when {@link #add}'s warning of too few
   * samples does not already explain them: under {@code sampled} a repeated mask shares its first
   * occurrence's estimate and counts once ({@link RepeatedMasks}), so a modality of one feature (2
   * distinct masks) leaves its drawn fits no residual degrees of freedom however many samples are
   * drawn.
   *
   * <p>Under a draw-based estimator a design with no residual at all (KernelSHAP on one feature
   * fits its two end masks exactly) has NaN errors too: its targets carry draw error that no
   * residual shows.
   *
   * @param distinctMasks the distinct masks among the samples, or -1 where repeats are not merged
   * @param drawn whether the samples' values carry draw error ({@link
   *     io.dime.core.estimate.Estimator#samplesCarryDrawError})
   * @param nanErrors the keys of the modality's fits with a standard error of NaN
   */
  static void addUndeterminedErrors(
      List<String> warnings,
      String modality,
      int samples,
      int features,
      int distinctMasks,
      boolean drawn,
      List<String> nanErrors) {
    if (nanErrors.isEmpty() || tooFewSamples(samples, features)) {
      return;
    }
    String nan =
        "modality '"
            + modality
            + "': "
            + String.join(", ", nanErrors)
            + (nanErrors.size() == 1 ? " has" : " have")
            + " standard errors of NaN";
    if (drawn && (distinctMasks < 0 || distinctMasks == samples)) {
      warnings.add(
          nan
              + ": its "
              + samples
              + " samples leave these fits too few independent residuals (samples that share their"
              + " draws count as one) to measure the draw error their targets carry; add"
              + " replicates (their spread gives the errors)");
      return;
    }
    warnings.add(
        distinctMasks >= 0
            ? nan
                + ": its "
                + samples
                + " samples hold "
                + distinctMasks
                + " distinct mask(s) for "
                + features
                + " feature(s), and under the sampled estimator a repeated mask shares its first"
                + " occurrence's estimate, which leaves these fits no residual degrees of freedom;"
                + " add replicates (their spread gives the errors) or use the anchored or exact"
                + " estimator"
            : nan + " (no residual degrees of freedom left to estimate them)");
  }

  /**
   * Adds a warning for term values whose standard errors are NaN: a fixed reference set drawn at
   * random measures its own error by a jackknife over its references, which needs at least 2
   * ({@code exact(1)} with random selection, {@code paper_faithful(2)}). The fits' errors then hold
   * only their residuals' part, which the warning says too.
   */
  static void addUndeterminedTermErrors(
      List<String> warnings, List<io.dime.api.ClassExplanation> classes) {
    List<String> keys = new ArrayList<>();
    for (io.dime.api.ClassExplanation c : classes) {
      for (io.dime.api.TermValue t : c.decomposition()) {
        if (Double.isNaN(t.standardError()) && !keys.contains(t.key())) {
          keys.add(t.key());
        }
      }
    }
    if (keys.isEmpty()) {
      return;
    }
    warnings.add(
        "the term values "
            + String.join(", ", keys)
            + (keys.size() == 1 ? " has" : " have")
            + " standard errors of NaN: the reference set's own error is estimated by a jackknife"
            + " over its references, which needs at least 2 randomly drawn ones, so it is unknown"
            + " here and the fits' standard errors hold only their residuals' part; use more"
            + " references");
  }

  /** Fewer degrees of freedom than this in a jackknife's errors are warned of. */
  static final int FEW_DEGREES_OF_FREEDOM = 10;

  /** P(|T| <= 1.96) for Student's T with nu = 1..9 degrees of freedom, in percent. */
  private static final int[] COVERAGE_196 = {70, 81, 86, 88, 89, 90, 91, 91, 92};

  /** The 97.5% quantile of Student's t with nu = 1..9 degrees of freedom. */
  private static final String[] T_975 = {
    "12.71", "4.30", "3.18", "2.78", "2.57", "2.45", "2.36", "2.31", "2.26"
  };

  /**
   * Adds a warning when the reference set's jackknife has few groups: its errors then rest on G - 1
   * degrees of freedom, and |estimate - value| / error behaves like Student's t with G - 1 of them
   * (measured: 0.65 to 0.73 of the values within 1.96 errors with 2 references, t's 0.70), so an
   * interval of 1.96 errors is not the 95% one a reader takes it for. Nothing with no jackknife or
   * with fewer than 2 groups that hold a reference ({@link #addUndeterminedTermErrors} covers
   * those).
   *
   * @param jack the jackknife that gave this point's errors, or null
   */
  static void addFewJackknifeGroups(List<String> warnings, io.dime.core.estimate.Jackknife jack) {
    if (jack == null) {
      return;
    }
    int groups = 0;
    for (int g = 0; g < jack.groups(); g++) {
      groups += jack.size(g) > 0 ? 1 : 0;
    }
    int nu = groups - 1;
    if (nu < 1 || nu >= FEW_DEGREES_OF_FREEDOM) {
      return;
    }
    warnings.add(
        "the standard errors of the term values and of the fits' weights rest on a jackknife over "
            + jack.references()
            + " references, so on "
            + nu
            + (nu == 1 ? " degree" : " degrees")
            + " of freedom: a value lies within 1.96 of its standard errors about "
            + COVERAGE_196[nu - 1]
            + "% of the time, not 95%, and within "
            + T_975[nu - 1]
            + " of them 95% of the time (Student's t); use at least "
            + (FEW_DEGREES_OF_FREEDOM + 1)
            + " references for "
            + FEW_DEGREES_OF_FREEDOM
            + " or more degrees of freedom");
  }
}
