package io.dime.api.run;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What the model makes of one modality with every feature hidden, over pool records: the check
 * behind any perturbation explanation, whose weights measure the move from the hidden state to the
 * datapoint. A hidden state the model reads as one particular answer (a black image read as
 * "dress") is not neutral: weights toward that answer partly measure it; {@link #dominant()} flags
 * the plain case.
 *
 * <p>Arrays are not copied and must not be changed.
 *
 * @param modality the hidden modality's name
 * @param records pool records used (2 model rows each)
 * @param classNames the model's output names, by index
 * @param meanShift per class, the mean of (score hidden - score on the record)
 * @param shareHidden per class, the share of records whose answer with the modality hidden is that
 *     class, a record whose largest score several classes share counting an equal part for each
 *     (empty for a single output)
 * @param shareOriginal per class, the share of records whose own answer is that class (empty for a
 *     single output)
 * @param shareUnchanged the share of records whose every score stays the same (to 1e-9 of the
 *     score's largest magnitude over the records) with the modality hidden: hiding that changes
 *     nothing hides nothing from this model, and the weights are noise (since 0.2; NaN when not
 *     measured)
 * @since 0.1
 */
public record HiddenModality(
    String modality,
    int records,
    List<String> classNames,
    double[] meanShift,
    double[] shareHidden,
    double[] shareOriginal,
    double shareUnchanged) {
  /** A check made before shareUnchanged was measured. */
  public HiddenModality(
      String modality,
      int records,
      List<String> classNames,
      double[] meanShift,
      double[] shareHidden,
      double[] shareOriginal) {
    this(modality, records, classNames, meanShift, shareHidden, shareOriginal, Double.NaN);
  }

  /** The share of unchanged records at and above which {@link #inert()} holds. */
  public static final double INERT_SHARE = 0.9;

  /**
   * Whether hiding the modality leaves the model's scores unchanged for at least {@link
   * #INERT_SHARE} of the records: the perturber hides nothing this model reads (a series model of
   * window averages with mean hiding), so this modality's weights measure noise (since 0.2).
   */
  public boolean inert() {
    return shareUnchanged >= INERT_SHARE;
  }

  public HiddenModality {
    requireNonNull(modality, "modality is null");
    classNames = List.copyOf(classNames);
    requireNonNull(meanShift, "meanShift is null");
    requireNonNull(shareHidden, "shareHidden is null");
    requireNonNull(shareOriginal, "shareOriginal is null");
    if (meanShift.length != classNames.size()
        || shareHidden.length != shareOriginal.length
        || (shareHidden.length != 0 && shareHidden.length != meanShift.length)) {
      throw new IllegalArgumentException(
          "per-class arrays disagree: "
              + classNames.size()
              + " classes, "
              + meanShift.length
              + " shifts, "
              + shareHidden.length
              + " and "
              + shareOriginal.length
              + " shares");
    }
  }

  /** Model rows used: two per record. */
  public long rows() {
    return 2L * records;
  }

  /** The class most often answered with the modality hidden; -1 for a single output. */
  public int topHidden() {
    return argmax(shareHidden);
  }

  /** The class whose score rises most on average when the modality is hidden. */
  public int largestRise() {
    return argmax(meanShift);
  }

  /**
   * Whether hiding the modality makes the model give one answer for at least half of the records,
   * and at least twice as often as it gives that answer to the records themselves.
   */
  public boolean dominant() {
    int c = topHidden();
    return c >= 0 && shareHidden[c] >= 0.5 && shareHidden[c] >= 2 * shareOriginal[c];
  }

  /** Index of the largest entry (the first of equals); -1 for an empty array. */
  private static int argmax(double[] v) {
    int best = -1;
    for (int i = 0; i < v.length; i++) {
      if (best < 0 || v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
