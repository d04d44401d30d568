package io.dime.core;

import io.dime.api.ClassExplanation;
import io.dime.api.Explanation;
import io.dime.api.Faithfulness;
import io.dime.api.ModalityExplanation;
import io.dime.api.PassCount;
import io.dime.api.Provenance;
import io.dime.api.SurrogateFit;
import io.dime.api.TermValue;
import io.dime.api.Timings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Combines independent replicate explanations of one datapoint (same features, other seeds): each
 * weight and term value becomes the mean over replicates; its within-run standard error becomes
 * that of the mean, sqrt(mean(se^2) / K), and the spread over replicates gives a second, empirical
 * standard error, sd / sqrt(K). Two weights whose difference is within these errors are
 * indistinguishable. Faithfulness measures (curves, areas, held-out R^2) are the means of each
 * replicate's own measures, which describe single runs rather than the averaged weights.
 */
final class Replicates {
  private Replicates() {}

  /**
   * Combines the replicate runs of one datapoint.
   *
   * @param runs the replicates' explanations, the run with the run's own seed first
   * @param k the number of replicates (the K of the standard errors)
   */
  static Explanation combine(List<Explanation> runs, int k) {
    Explanation first = runs.get(0);
    List<ClassExplanation> classes = new ArrayList<>();
    for (int c = 0; c < first.classes().size(); c++) {
      ClassExplanation c0 = first.classes().get(c);
      List<TermValue> dec = combineDecomposition(runs, k, c);
      List<ModalityExplanation> mods = new ArrayList<>();
      for (int m = 0; m < c0.modalities().size(); m++) {
        ModalityExplanation m0 = c0.modalities().get(m);
        List<SurrogateFit> fits = new ArrayList<>();
        for (int f = 0; f < m0.fits().size(); f++) {
          fits.add(combineFit(runs, k, c, m, f));
        }
        mods.add(new ModalityExplanation(m0.modality(), m0.featureNames(), fits));
      }
      classes.add(
          new ClassExplanation(
              c0.classIndex(), c0.className(), c0.reasons(), c0.output(), dec, mods));
    }
    List<String> hashes = new ArrayList<>();
    for (Explanation r : runs) {
      hashes.addAll(r.provenance().referenceDraws());
    }
    Provenance prov = first.provenance().withReferenceDraws(hashes);
    return new Explanation(
        first.schemaVersion(),
        first.id(),
        first.modalities(),
        first.outputs(),
        first.predicted(),
        first.label(),
        classes,
        passes(runs),
        first.warnings(),
        prov,
        new Timings(
            runs.stream().mapToDouble(r -> r.timings().totalSeconds()).sum(),
            runs.stream().mapToDouble(r -> r.timings().modelSeconds()).sum()),
        first.featureMaps());
  }

  /** Class c's value decomposition: each term's mean, within-run and replicate errors. */
  private static List<TermValue> combineDecomposition(List<Explanation> runs, int k, int c) {
    ClassExplanation c0 = runs.get(0).classes().get(c);
    List<TermValue> dec = new ArrayList<>();
    for (int t = 0; t < c0.decomposition().size(); t++) {
      final int ti = t;
      double[] values = runs.stream().mapToDouble(r -> term(r, c, ti).value()).toArray();
      double[] errors = runs.stream().mapToDouble(r -> term(r, c, ti).standardError()).toArray();
      TermValue t0 = c0.decomposition().get(t);
      dec.add(
          new TermValue(
              t0.term(),
              t0.key(),
              t0.label(),
              mean(values),
              rms(errors) / Math.sqrt(k),
              sd(values) / Math.sqrt(k)));
    }
    return dec;
  }

  /** Fit f of modality m of class c: each weight's mean, within-run and replicate errors. */
  private static SurrogateFit combineFit(List<Explanation> runs, int k, int c, int m, int f) {
    SurrogateFit f0 = fit(runs.get(0), c, m, f);
    int d = f0.weights().length;
    double[] w = new double[d];
    double[] se = new double[d];
    double[] rep = new double[d];
    for (int j = 0; j < d; j++) {
      double[] wj = new double[runs.size()];
      double[] ej = new double[runs.size()];
      for (int r = 0; r < runs.size(); r++) {
        SurrogateFit fr = fit(runs.get(r), c, m, f);
        wj[r] = fr.weights()[j];
        ej[r] = fr.standardErrors()[j];
      }
      w[j] = mean(wj);
      se[j] = rms(ej) / Math.sqrt(k);
      rep[j] = sd(wj) / Math.sqrt(k);
    }
    return new SurrogateFit(
        f0.key(),
        f0.kind(),
        f0.term(),
        w,
        se,
        mean(runs, r -> fit(r, c, m, f).intercept()),
        mean(runs, r -> fit(r, c, m, f).score()),
        mean(runs, r -> fit(r, c, m, f).localPrediction()),
        rep,
        faithfulness(runs, c, m, f));
  }

  /** The passes of every replicate together. */
  private static PassCount passes(List<Explanation> runs) {
    long rows = runs.stream().mapToLong(r -> r.passes().rows()).sum();
    long cached = runs.stream().mapToLong(r -> r.passes().cachedRows()).sum();
    long formula = runs.stream().mapToLong(r -> r.passes().formula()).sum();
    return new PassCount(rows, cached, formula);
  }

  /**
   * The mean over replicates of each replicate's own faithfulness measures (curves point by point,
   * areas and scores); empty when the runs have none.
   */
  private static Optional<Faithfulness> faithfulness(List<Explanation> runs, int c, int m, int f) {
    List<Faithfulness> all = new ArrayList<>();
    for (Explanation r : runs) {
      Optional<Faithfulness> one = fit(r, c, m, f).faithfulness();
      if (one.isEmpty()) {
        return Optional.empty();
      }
      all.add(one.get());
    }
    Faithfulness f0 = all.get(0);
    int n = f0.fractions().length;
    double[] deletion = new double[n];
    double[] insertion = new double[n];
    for (int t = 0; t < n; t++) {
      final int tt = t;
      deletion[t] = mean(all.stream().mapToDouble(x -> x.deletion()[tt]).toArray());
      insertion[t] = mean(all.stream().mapToDouble(x -> x.insertion()[tt]).toArray());
    }
    return Optional.of(
        new Faithfulness(
            f0.steps(),
            f0.fractions(),
            deletion,
            insertion,
            mean(all.stream().mapToDouble(Faithfulness::deletionArea).toArray()),
            mean(all.stream().mapToDouble(Faithfulness::insertionArea).toArray()),
            mean(all.stream().mapToDouble(Faithfulness::normalisedDeletionArea).toArray()),
            mean(all.stream().mapToDouble(Faithfulness::normalisedInsertionArea).toArray()),
            f0.heldOutSamples(),
            mean(all.stream().mapToDouble(Faithfulness::heldOutR2).toArray()),
            mean(all.stream().mapToDouble(Faithfulness::heldOutWeightedR2).toArray())));
  }

  private static TermValue term(Explanation r, int c, int t) {
    return r.classes().get(c).decomposition().get(t);
  }

  private static SurrogateFit fit(Explanation r, int c, int m, int f) {
    return r.classes().get(c).modalities().get(m).fits().get(f);
  }

  private static double mean(
      List<Explanation> runs, java.util.function.ToDoubleFunction<Explanation> f) {
    return mean(runs.stream().mapToDouble(f).toArray());
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  static double sd(double[] v) {
    if (v.length < 2) {
      return Double.NaN;
    }
    double m = mean(v);
    double unit = 0;
    for (double x : v) {
      unit = Math.max(unit, Math.abs(x - m));
    }
    unit = unit(unit);
    double s = 0;
    for (double x : v) {
      double d = (x - m) / unit;
      s += d * d;
    }
    return unit * Math.sqrt(s / (v.length - 1));
  }

  static double rms(double[] v) {
    double unit = 0;
    for (double x : v) {
      unit = Math.max(unit, Math.abs(x));
    }
    unit = unit(unit);
    double s = 0;
    for (double x : v) {
      double d = x / unit;
      s += d * d;
    }
    return unit * Math.sqrt(s / v.length);
  }

  /**
   * The unit in which squares are summed: 1, or the largest magnitude when it is beyond 1e100 or
   * below 1e-100 (but not 0), where the squares would overflow to infinity or underflow to 0.
   */
  private static double unit(double max) {
    return Double.isFinite(max) && (max > 1e100 || (max > 0 && max < 1e-100)) ? max : 1;
  }
}
