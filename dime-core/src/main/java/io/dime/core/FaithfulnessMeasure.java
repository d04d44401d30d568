package io.dime.core;

import io.dime.api.Faithfulness;
import io.dime.api.SurrogateFit;
import io.dime.api.Term;
import io.dime.core.FitTargets.ColumnSpec;
import io.dime.core.random.Seeds;
import io.dime.spi.FeatureSet;
import io.dime.spi.SampleDesign;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The faithfulness measures of every fit of one modality (see {@link Faithfulness}): deletion and
 * insertion curves, and R^2 on held-out masks. Targets come from the same estimator session, so
 * they are the very quantities the fits were fitted to.
 *
 * <p>Held-out masks: the surrogate's design for H + 1 samples from the stream {@link
 * Seeds#HELD_OUT_DESIGN}, its fixed unperturbed sample 0 left out; their reference draws come from
 * {@link Seeds#HELD_OUT}, one index per held-out sample, and duplicate masks reuse the
 * deterministic rows as the fitted samples do.
 *
 * <p>Curve masks: every distinct mask of every fit's deletion and insertion curve is evaluated
 * once, with reference draws from {@link Seeds#CURVE} indexed by a hash of the mask, and serves
 * every fit and class that asks for it (the rows it saves count as cached).
 */
final class FaithfulnessMeasure {
  /** What the faithfulness measures of one modality cost: nominal masks and cached rows. */
  record Measured(long masks, long cachedRows) {}

  /** The held-out masks, their surrogate weights and their targets per column. */
  private record HeldOut(boolean[][] masks, double[] weights, double[][] y) {}

  /** The curves' distinct masks' targets, and per column where each curve point is among them. */
  private record Curves(
      double[] fractions, double[][] y, int[][] deletionAt, int[][] insertionAt) {}

  private final EngineConfig c;
  private final SampleRunner samples;

  FaithfulnessMeasure(EngineConfig c, SampleRunner samples) {
    this.c = c;
    this.samples = samples;
  }

  /** Attaches the measures to every fit of a modality in place ({@code fits} parallels specs). */
  Measured measure(PointContext p, ModalityTargets t, List<SurrogateFit> fits) {
    List<ColumnSpec> specs = t.specs();
    long perMask = c.estimator.rowsPerSample(c.k, t.slots());
    long[] cached = {0};
    HeldOut held = heldOut(p, t, cached);
    int steps = Math.min(t.features().size(), c.curveSteps);
    Curves curves = curves(p, t, fits, steps, cached);
    long nominalCurve = PassFormula.curveMasks(specs.size(), steps);
    cached[0] += (nominalCurve - curves.y().length) * perMask;
    for (int col = 0; col < specs.size(); col++) {
      fits.set(col, withMeasures(fits.get(col), col, held, curves));
    }
    return new Measured(held.masks().length + nominalCurve, cached[0]);
  }

  private HeldOut heldOut(PointContext p, ModalityTargets t, long[] cached) {
    int m = t.m();
    FeatureSet<?> fs = t.features();
    List<Term> slots = t.slots();
    boolean[][] hMasks = new boolean[0][];
    double[] hWeights = new double[0];
    if (c.heldOut > 0) {
      SampleDesign hd =
          c.surrogate.design(
              fs.size(),
              c.heldOut + 1,
              c.modalities.get(m).samplingHints(),
              Seeds.stream(p.seed(), p.id(), m, Seeds.HELD_OUT_DESIGN, 0));
      hMasks = Arrays.copyOfRange(hd.masks(), 1, hd.samples());
      hWeights = Arrays.copyOfRange(hd.weights(), 1, hd.samples());
    }
    double[][] hv = new double[hMasks.length][slots.size() * p.classes()];
    cached[0] += samples.run(p, m, fs, hMasks, Seeds.HELD_OUT, null, slots, hv);
    return new HeldOut(
        hMasks, hWeights, FitTargets.targets(t.specs(), t.slotOf(), hv, p.pv(), p.classes()));
  }

  private Curves curves(
      PointContext p, ModalityTargets mt, List<SurrogateFit> fits, int steps, long[] cached) {
    List<ColumnSpec> specs = mt.specs();
    int d = mt.features().size();
    double[] fractions = new double[steps == 0 ? 0 : steps + 1];
    int[] count = new int[fractions.length];
    for (int t = 0; t < fractions.length; t++) {
      count[t] = (int) (((long) t * d + steps - 1) / steps); // ceil(t d / T)
      fractions[t] = (double) count[t] / d;
    }
    Map<String, Integer> distinct = new LinkedHashMap<>();
    List<boolean[]> curveMasks = new ArrayList<>();
    int[][] deletionAt = new int[specs.size()][fractions.length];
    int[][] insertionAt = new int[specs.size()][fractions.length];
    for (int col = 0; col < specs.size(); col++) {
      int[] order = byWeightDescending(fits.get(col).weights());
      for (int t = 0; t < fractions.length; t++) {
        boolean[] del = new boolean[d];
        Arrays.fill(del, true);
        boolean[] ins = new boolean[d];
        for (int j = 0; j < count[t]; j++) {
          del[order[j]] = false;
          ins[order[j]] = true;
        }
        deletionAt[col][t] = indexOf(del, distinct, curveMasks);
        insertionAt[col][t] = indexOf(ins, distinct, curveMasks);
      }
    }
    boolean[][] cMasks = curveMasks.toArray(new boolean[0][]);
    long[] cIndex = new long[cMasks.length];
    int i = 0;
    for (String key : distinct.keySet()) {
      cIndex[i++] = Seeds.fnv(key);
    }
    double[][] cv = new double[cMasks.length][mt.slots().size() * p.classes()];
    cached[0] += samples.run(p, mt.m(), mt.features(), cMasks, Seeds.CURVE, cIndex, mt.slots(), cv);
    double[][] cy = FitTargets.targets(specs, mt.slotOf(), cv, p.pv(), p.classes());
    return new Curves(fractions, cy, deletionAt, insertionAt);
  }

  private static SurrogateFit withMeasures(SurrogateFit fit, int col, HeldOut held, Curves curves) {
    int points = curves.fractions().length;
    double[] deletion = new double[points];
    double[] insertion = new double[points];
    for (int t = 0; t < points; t++) {
      deletion[t] = curves.y()[curves.deletionAt()[col][t]][col];
      insertion[t] = curves.y()[curves.insertionAt()[col][t]][col];
    }
    int h = held.masks().length;
    double[] y = new double[h];
    double[] pred = new double[h];
    for (int s = 0; s < h; s++) {
      y[s] = held.y()[s][col];
      pred[s] = fit.predict(held.masks()[s]);
    }
    return fit.withFaithfulness(
        Optional.of(
            Faithfulness.of(
                curves.fractions(),
                deletion,
                insertion,
                h,
                r2(y, pred, null),
                r2(y, pred, held.weights()))));
  }

  /** Feature indices by weight, largest first; ties by index. */
  static int[] byWeightDescending(double[] w) {
    Integer[] idx = new Integer[w.length];
    for (int j = 0; j < w.length; j++) {
      idx[j] = j;
    }
    Arrays.sort(
        idx,
        (a, b) -> {
          int cmp = Double.compare(w[b], w[a]);
          return cmp != 0 ? cmp : Integer.compare(a, b);
        });
    int[] out = new int[w.length];
    for (int j = 0; j < w.length; j++) {
      out[j] = idx[j];
    }
    return out;
  }

  private static int indexOf(boolean[] mask, Map<String, Integer> distinct, List<boolean[]> list) {
    String key = SampleRunner.maskKey(mask);
    Integer at = distinct.get(key);
    if (at == null) {
      at = list.size();
      distinct.put(key, at);
      list.add(mask);
    }
    return at;
  }

  /**
   * R^2 of {@code pred} against {@code y}, weighted by {@code w} (null: unweighted). NaN without
   * samples or weight; when y does not vary (to 1e-12 of its scale), 1 if pred reproduces it to
   * that tolerance and NaN otherwise. Computed in units of y's largest magnitude (R^2 has none), so
   * that neither tiny targets (1e-30) nor huge ones (1e306, whose squares overflowed to an infinite
   * tolerance and a score of 1) are read as not varying.
   */
  static double r2(double[] y, double[] pred, double[] w) {
    double scale = 0;
    for (double v : y) {
      scale = Math.max(scale, Math.abs(v));
    }
    // a power of two, so that the scaled sums are the unscaled ones exactly, in other units
    double unit =
        scale > 0 && Double.isFinite(scale) ? Math.scalb(1.0, Math.getExponent(scale)) : 1;
    double sw = 0;
    double swy = 0;
    for (int s = 0; s < y.length; s++) {
      double ws = w == null ? 1 : w[s];
      sw += ws;
      swy += ws * (y[s] / unit);
    }
    if (y.length == 0 || !(sw > 0)) {
      return Double.NaN;
    }
    double mean = swy / sw;
    double tss = 0;
    double rss = 0;
    for (int s = 0; s < y.length; s++) {
      double ws = w == null ? 1 : w[s];
      double ys = y[s] / unit;
      double ps = pred[s] / unit;
      tss += ws * (ys - mean) * (ys - mean);
      rss += ws * (ys - ps) * (ys - ps);
    }
    double tol = sw * (1e-12 * scale / unit) * (1e-12 * scale / unit);
    if (tss <= tol) {
      return rss <= tol ? 1 : Double.NaN;
    }
    return 1 - rss / tss;
  }
}
