package io.dime.core.decompose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * ignores. {@link Modality#dominant} flags the plain case.
 */
public final class HiddenBaseline {
  private HiddenBaseline() {}

  /**
   * One modality.
   *
   * @param modality its name
   * @param records pool records used
   * @param meanShift per class, mean of (score hidden - score on the record)
   * @param shareHidden per class, share of records whose answer with the modality hidden is that
   *     class (empty for a single output)
   * @param shareOriginal per class, share of records whose answer is that class (empty for a single
   *     output)
   */
  public record Modality(
      String modality,
      int records,
      double[] meanShift,
      double[] shareHidden,
      double[] shareOriginal) {
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

    /** As data for {@code summary.json}, classes by name. */
    public Map<String, Object> toMap(List<String> classNames) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("modality", modality);
      m.put("records", records);
      m.put("rows", 2L * records);
      int rise = largestRise();
      m.put("largestRise", classNames.get(rise));
      m.put("largestRiseMeanShift", meanShift[rise]);
      int top = topHidden();
      if (top >= 0) {
        m.put("topAnswerHidden", classNames.get(top));
        m.put("topAnswerShareHidden", shareHidden[top]);
        m.put("topAnswerShareOriginal", shareOriginal[top]);
      }
      m.put("dominant", dominant());
      Map<String, Object> per = new LinkedHashMap<>();
      for (int c = 0; c < meanShift.length; c++) {
        Map<String, Object> pc = new LinkedHashMap<>();
        pc.put("meanShift", meanShift[c]);
        if (shareHidden.length > 0) {
          pc.put("shareHidden", shareHidden[c]);
          pc.put("shareOriginal", shareOriginal[c]);
        }
        per.put(classNames.get(c), pc);
      }
      m.put("classes", per);
      return m;
    }
  }

  /**
   * Summarises paired outputs.
   *
   * @param modality the hidden modality's name
   * @param original per record, the scores on the record
   * @param hidden per record, the scores with the modality hidden
   */
  public static Modality summarise(
      String modality, List<double[]> original, List<double[]> hidden) {
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
    double[] shareH = new double[c > 1 ? c : 0];
    double[] shareO = new double[c > 1 ? c : 0];
    for (int i = 0; i < n; i++) {
      double[] y = original.get(i);
      double[] h = hidden.get(i);
      for (int j = 0; j < c; j++) {
        shift[j] += (h[j] - y[j]) / n;
      }
      if (c > 1) {
        shareH[argmax(h)]++;
        shareO[argmax(y)]++;
      }
    }
    for (int j = 0; j < shareH.length; j++) {
      shareH[j] /= n;
      shareO[j] /= n;
    }
    return new Modality(modality, n, shift, shareH, shareO);
  }

  /** Index of the largest entry (the first of equals); -1 for an empty array. */
  static int argmax(double[] v) {
    int best = -1;
    for (int i = 0; i < v.length; i++) {
      if (best < 0 || v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  /** The modalities' summaries as data for {@code summary.json}. */
  public static List<Map<String, Object>> toMaps(List<Modality> ms, List<String> classNames) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Modality m : ms) {
      out.add(m.toMap(classNames));
    }
    return out;
  }
}
