package io.dime.core.decompose;

import io.dime.api.run.HiddenModality;
import io.dime.core.infer.OutputTransform;
import java.util.List;

/**
 * What the model makes of a modality with every feature hidden: the check behind any perturbation
 * explanation, whose weights measure the move from the hidden state to the datapoint. For each
 * modality, over pool records, the model's output with that modality fully hidden against its
 * output on the record itself: the mean shift of every class's score (in the explained units:
 * logits, log-probabilities or the regression output) and, with two or more classes, how often each
 * class is the model's answer.
 *
 * <p>A hidden state that the model reads as one particular answer (a black image read as "dress")
 * is not neutral: weights toward that answer then partly measure the baseline, and DIME's MI, which
 * subtracts a UC averaged over other datapoints, inherits it for features the explained output
 * ignores. {@link HiddenModality#dominant} flags the plain case.
 */
public final class HiddenBaseline {
  private HiddenBaseline() {}

  /**
   * Summarises paired outputs.
   *
   * @param modality the hidden modality's name
   * @param classNames the model's output names
   * @param original per record, the scores on the record
   * @param hidden per record, the scores with the modality hidden
   */
  public static HiddenModality summarise(
      String modality, List<String> classNames, List<double[]> original, List<double[]> hidden) {
    return summarise(modality, classNames, original, hidden, true);
  }

  /**
   * Summarises paired outputs; how often each output is the model's answer only when the outputs
   * are competing classes ({@code classes}: a classifier's scores, not regression outputs or a
   * pipeline's own targets, whose largest entry is no answer).
   *
   * @since 0.3
   */
  public static HiddenModality summarise(
      String modality,
      List<String> classNames,
      List<double[]> original,
      List<double[]> hidden,
      boolean classes) {
    if (original.size() != hidden.size() || original.isEmpty()) {
      throw new IllegalArgumentException(
          "need the same, non-zero number of original and hidden outputs; found "
              + original.size()
              + " and "
              + hidden.size());
    }
    int n = original.size();
    int c = original.get(0).length;
    double[] shift = new double[c];
    boolean answers = classes && c > 1;
    double[] shareH = new double[answers ? c : 0];
    double[] shareO = new double[answers ? c : 0];
    double[] tolerance = unchangedTolerance(original, hidden, c);
    int unchanged = 0;
    for (int i = 0; i < n; i++) {
      double[] y = original.get(i);
      double[] h = hidden.get(i);
      boolean same = true;
      for (int j = 0; j < c; j++) {
        shift[j] += (h[j] - y[j]) / n;
        same &= Math.abs(h[j] - y[j]) <= tolerance[j];
      }
      unchanged += same ? 1 : 0;
      if (answers) {
        countAnswer(h, shareH);
        countAnswer(y, shareO);
      }
    }
    for (int j = 0; j < shareH.length; j++) {
      shareH[j] /= n;
      shareO[j] /= n;
    }
    return new HiddenModality(
        modality, n, classNames, shift, shareH, shareO, unchanged / (double) n);
  }

  /**
   * Counts one record's answer: the class of the largest score, or, when several classes share it
   * exactly, each of them an equal part. A tie is no answer of the first class (a bias-free model
   * gives every class 0 for an input of zeros): counted as the first, as argmax does, it made a
   * hidden state that prefers no class look like one answered by the first for every record.
   */
  private static void countAnswer(double[] scores, double[] share) {
    int top = OutputTransform.argmax(scores);
    int tied = 0;
    for (double v : scores) {
      tied += v == scores[top] ? 1 : 0;
    }
    if (tied <= 1) {
      share[top]++;
      return;
    }
    for (int j = 0; j < scores.length; j++) {
      if (scores[j] == scores[top]) {
        share[j] += 1.0 / tied;
      }
    }
  }

  /**
   * Per output, the change that counts as none: 1e-9 of the output's largest magnitude over the
   * records, hidden or not. Relative to the output's own size, so that a model whose outputs are
   * all tiny (1e-30) is not read as unchanged by hiding, as it was with a floor of 1; an output
   * that is exactly 0 everywhere is unchanged only where it stays exactly 0.
   */
  private static double[] unchangedTolerance(
      List<double[]> original, List<double[]> hidden, int c) {
    double[] largest = new double[c];
    for (List<double[]> rows : List.of(original, hidden)) {
      for (double[] row : rows) {
        for (int j = 0; j < c; j++) {
          largest[j] = Math.max(largest[j], Math.abs(row[j]));
        }
      }
    }
    for (int j = 0; j < c; j++) {
      largest[j] *= 1e-9;
    }
    return largest;
  }
}
