package io.dime.core;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.Faithfulness;
import io.dime.api.FeatureMap;
import io.dime.api.LimitException;
import io.dime.api.ModalityExplanation;
import io.dime.api.PassCount;
import io.dime.api.Provenance;
import io.dime.api.SurrogateFit;
import io.dime.api.Term;
import io.dime.api.Timings;
import io.dime.core.FitTargets.ColumnSpec;
import io.dime.core.estimate.Estimator;
import io.dime.core.infer.BatchRunner;
import io.dime.core.infer.OutputTransform;
import io.dime.core.random.Seeds;
import io.dime.spi.ColumnFit;
import io.dime.spi.FeatureSet;
import io.dime.spi.SampleDesign;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * Explains one datapoint once (one seed): the prediction, the value of every term at the point,
 * then per modality the surrogate fits of every target on the same perturbation samples, their
 * faithfulness, and the passes they took.
 */
final class PointExplainer {
  /** One explanation and the features it was made on, in pipeline order. */
  record Explained(Explanation explanation, List<FeatureSet<?>> features) {}

  /**
   * The fits of one modality for every explained class, their target columns, and the columns whose
   * target does not vary beyond rounding ({@link #flatTargets}).
   */
  private record ModalityFits(
      List<SurrogateFit> fits,
      List<ColumnSpec> specs,
      List<ColumnSpec> flat,
      FitWarnings.Shrinkage shrinkage,
      int samples,
      int features,
      int distinctMasks, // -1 unless repeated masks share one estimate (sampled)
      List<String> nanErrors) {} // keys of the fits with a standard error of NaN

  private final EngineConfig c;
  private final EnginePool pool;
  private final Preparation prep;
  private final ExecutorService modelExecutor;
  private final FitTargets targets;
  private final PassFormula formula;
  private final SampleRunner samples;
  private final FaithfulnessMeasure faithfulness;
  private final Supplier<Provenance> provenance;
  private final double alpha; // the ridge penalty the surrogate's provenance names, else 0

  PointExplainer(
      EngineConfig c,
      EnginePool pool,
      Preparation prep,
      ExecutorService modelExecutor,
      Supplier<Provenance> provenance) {
    this.c = c;
    this.pool = pool;
    this.prep = prep;
    this.modelExecutor = modelExecutor;
    this.targets = new FitTargets(c);
    this.formula = new PassFormula(c, targets);
    this.samples = new SampleRunner(c);
    this.faithfulness = new FaithfulnessMeasure(c, samples);
    this.provenance = provenance;
    this.alpha = c.surrogate.provenance().get("alpha") instanceof Number a ? a.doubleValue() : 0;
  }

  /**
   * Explains one datapoint with one seed.
   *
   * @param deadline {@link System#nanoTime()} by which it must be done
   * @throws LimitException when it would exceed the engine's limits
   */
  Explained explain(Datapoint dp, Targets which, long seed, long deadline) {
    EXPLAINING.incrementAndGet();
    BatchRunner runner =
        new BatchRunner(c.model, c.batchSize, prep.transform(), modelExecutor)
            .poolPins(pool.pins)
            .batchBytes(c.batchBytes)
            .inlineWhen(PointExplainer::processorsBusy)
            .deadline(deadline, c.limits.maxSecondsPerPoint());
    try {
      return explainOne(dp, which, seed, deadline, runner);
    } catch (io.dime.api.ModelException e) {
      throw runner.rowCount() > 0 ? onPerturbedRows(e) : e;
    } finally {
      runner.close();
      EXPLAINING.decrementAndGet();
    }
  }

  /**
   * Points being explained in this JVM at this moment, by any engine. While they are at least as
   * many as the processors, the explaining threads alone keep every processor busy, and a batch
   * runs on its explaining thread instead of being handed to a model thread ({@link
   * BatchRunner#inlineWhen}): the hand-off would only add thread switches (measured on 2 cores with
   * 2 points at once: overhead over the model alone 1.19 pipelined, 1.12 inline).
   */
  private static final java.util.concurrent.atomic.AtomicInteger EXPLAINING =
      new java.util.concurrent.atomic.AtomicInteger();

  private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

  private static boolean processorsBusy() {
    return EXPLAINING.get() >= PROCESSORS;
  }

  /**
   * A non-finite output after the record's own output was finite: it came from a perturbed row,
   * which hides some of the record's features or mixes it with pool datapoints; say so, since one
   * pool datapoint the model cannot handle makes every record fail this way.
   */
  private static io.dime.api.ModelException onPerturbedRows(io.dime.api.ModelException e) {
    String m = e.getMessage();
    if (m == null
        || !(m.startsWith("model returned NaN ")
            || m.startsWith("model returned Infinity ")
            || m.startsWith("model returned -Infinity "))) {
      return e;
    }
    return new io.dime.api.ModelException(
        m
            + " on a perturbed row (the record's own output was finite): the row hid some of its"
            + " features or mixed it with reference pool datapoints; if every record fails so, a"
            + " pool datapoint may be what the model cannot handle",
        e);
  }

  /** Each modality's value of {@code dp}, as its plugin's check returns it (stage input). */
  private Object[] checkedValues(Datapoint dp) {
    Object[] x = new Object[c.k];
    for (int j = 0; j < c.k; j++) {
      Object value = dp.value(c.names.get(j));
      try {
        x[j] = c.modalities.get(j).check(value, dp.id());
      } catch (RuntimeException e) {
        throw StageFailure.wrap(
            "input",
            "checking the value of modality '"
                + c.names.get(j)
                + "' (plugin "
                + c.modalities.get(j).kind()
                + ")",
            e);
      }
    }
    return x;
  }

  private Explained explainOne(
      Datapoint dp, Targets which, long seed, long deadline, BatchRunner runner) {
    long t0 = System.nanoTime();
    Object[] x = checkedValues(dp);
    if (c.model instanceof io.dime.core.infer.StagedModel staged && staged.pointBound()) {
      runner.bind(staged.bind(x.clone()));
    }
    double[][] predHolder = new double[1][];
    runner.add(x.clone(), y -> predHolder[0] = y.clone());
    runner.flush();
    double[] pred = predHolder[0];
    int classCount = pred.length;
    Map<Integer, List<String>> classes =
        which.resolve(dp.id(), pred, dp.label(), c.model.outputNames());
    checkPasses(dp.id(), classes.size());

    Estimator.Session session =
        c.estimator.open(new Estimator.Context(dp.id(), x, pool.pool, seed, classCount, runner));
    Estimator.PointValues pv = session.point(c.pointTerms, pred);
    PointContext p = new PointContext(dp.id(), seed, session, runner, pv, classCount, deadline);

    // Featurize every modality first so bad input fails before the expensive part.
    List<FeatureSet<?>> features = new ArrayList<>();
    for (int m = 0; m < c.k; m++) {
      features.add(pool.featurizer.featurize(m, x[m], dp.id(), seed));
    }
    UnchangedValues unchanged = new UnchangedValues(c.modalities, c.names, features);
    long cached = 0;
    int[] drawn = new int[c.k]; // samples each modality's surrogate actually drew
    long[] extra = new long[c.k]; // nominal faithfulness masks per modality
    List<ModalityFits> byModality = new ArrayList<>();
    for (int m = 0; m < c.k; m++) {
      long[] cost = new long[3];
      try {
        byModality.add(fitModality(p, m, features.get(m), classes, cost));
      } catch (StageFailure e) {
        throw e.stage().equals("fit")
            ? new StageFailure("fit", "modality '" + c.names.get(m) + "': " + e.getMessage(), e)
            : e;
      }
      cached += cost[0];
      drawn[m] = (int) cost[1];
      extra[m] = cost[2];
    }
    unchanged.check(features);
    cached += session.reusedRows();
    PassCount passes =
        new PassCount(
            runner.rowCount(), cached, formula.ofExplanation(drawn, extra) - session.rowsLeftOut());
    if (passes.rows() + passes.cachedRows() != passes.formula()) {
      throw new IllegalStateException(
          "pass accounting is off: " + passes + " (please report this as a bug)");
    }
    List<ClassExplanation> explained = classExplanations(classes, byModality, features, pv, pred);
    List<String> warnings = warnings(runner.flooredProbabilities(), passes.rows(), byModality);
    FitWarnings.addUndeterminedTermErrors(warnings, explained);
    FitWarnings.addFewJackknifeGroups(
        warnings,
        pv.jackknife() != null
            ? pv.jackknife()
            : pv.leftOut().isEmpty() ? null : c.estimator.jackknife());
    Explanation e =
        new Explanation(
            io.dime.api.Explanation.SCHEMA_VERSION,
            dp.id(),
            c.names,
            pred,
            OutputTransform.argmax(pred),
            dp.label(),
            explained,
            passes,
            warnings,
            provenance.get().withReferenceDraws(List.of(Long.toHexString(session.drawHash()))),
            new Timings((System.nanoTime() - t0) / 1e9, runner.modelSeconds()),
            featureMaps(features));
    return new Explained(e, features);
  }

  /** Per modality name, the map its plugin gives of where the features lie; absent if none. */
  private Map<String, FeatureMap> featureMaps(List<FeatureSet<?>> features) {
    Map<String, FeatureMap> maps = new LinkedHashMap<>();
    for (int m = 0; m < c.k; m++) {
      Optional<FeatureMap> map = features.get(m).featureMap();
      if (map.isPresent()) {
        if (map.get().size() != features.get(m).size()) {
          throw new IllegalStateException(
              "modality '"
                  + c.names.get(m)
                  + "': its feature map places "
                  + map.get().size()
                  + " features, the plugin made "
                  + features.get(m).size()
                  + " (a bug in the plugin)");
        }
        maps.put(c.names.get(m), map.get());
      }
    }
    return maps;
  }

  /** Refuses a record whose explanation would need more passes than the limit allows. */
  private void checkPasses(String id, int classes) {
    long need = PassFormula.saturatedProduct(formula.perPoint(classes), c.replicates);
    if (need > c.limits.maxPassesPerPoint()) {
      throw new LimitException(
          id,
          "explaining "
              + classes
              + " class(es)"
              + (c.replicates > 1 ? " with " + c.replicates + " replicates" : "")
              + " needs "
              + (need == Long.MAX_VALUE ? "over " + Long.MAX_VALUE : need)
              + " model passes by the estimator's formula; the most is "
              + c.limits.maxPassesPerPoint()
              + " (limit maxPassesPerPoint): lower "
              + (c.replicates > 1 ? "--replicates, " : "")
              + "--samples or --references, explain fewer classes, or raise the limit with"
              + " --max-passes-per-point");
    }
  }

  /**
   * The fits of modality m for every explained class on one set of samples, with their
   * faithfulness.
   *
   * @param cost filled in: cached rows, samples drawn, nominal faithfulness masks
   */
  private ModalityFits fitModality(
      PointContext p, int m, FeatureSet<?> fs, Map<Integer, List<String>> classes, long[] cost) {
    SampleDesign design =
        c.surrogate.design(
            fs.size(),
            c.samples,
            c.modalities.get(m).samplingHints(),
            Seeds.stream(p.seed(), p.id(), m, Seeds.DESIGN, 0));
    cost[1] = design.samples();
    List<Term> slots = c.estimator.varyingTerms(m, c.pointTerms);
    int[] slotOf = new int[1 << c.k];
    Arrays.fill(slotOf, -1);
    for (int i = 0; i < slots.size(); i++) {
      slotOf[(int) slots.get(i).bits()] = i;
    }
    int groups = p.pv().leftOut().size(); // the estimator's jackknife groups (0: none)
    double[][] v = new double[design.samples()][(1 + groups) * slots.size() * p.classes()];
    cost[0] += samples.run(p, m, fs, design.masks(), Seeds.REFERENCES, null, slots, v);
    List<ColumnSpec> specs = targets.columns(m, classes.keySet());
    ModalityTargets t = new ModalityTargets(m, fs, specs, slots, slotOf);
    double[][] y = FitTargets.targets(specs, slotOf, v, p.pv(), p.classes());
    int shared = c.estimator.samplesSharingDraws(c.k);
    List<ColumnFit> fits = c.surrogate.fit(shared > 1 ? design.withErrorGroup(shared) : design, y);
    if (c.estimator.repeatsShareDrawError()) {
      fits =
          RepeatedMasks.distinctMaskErrors(
              c.surrogate, design, y, fits, specs, slotOf, (1 << c.k) - 1);
    }
    if (c.estimator.samplesCarryDrawError() && design.samples() <= fs.size() + 1) {
      fits = RepeatedMasks.withoutResidualErrors(fits, specs, slotOf, (1 << c.k) - 1);
    }
    if (groups > 0) {
      fits = withReferenceSetErrors(design, fits, specs, slotOf, v, p);
    }
    List<SurrogateFit> out = new ArrayList<>();
    for (int col = 0; col < specs.size(); col++) {
      out.add(fit(specs.get(col), fits.get(col)));
    }
    if (c.curveSteps > 0 || c.heldOut > 0) {
      FaithfulnessMeasure.Measured measured = faithfulness.measure(p, t, out);
      cost[0] += measured.cachedRows();
      cost[2] = measured.masks();
    }
    boolean[] flat = flatTargets(y, p.runner().roundingLevel());
    List<ColumnSpec> flatSpecs = new ArrayList<>();
    for (int col = 0; col < specs.size(); col++) {
      if (flat[col]) {
        out.set(col, withoutScores(out.get(col)));
        flatSpecs.add(specs.get(col));
      }
    }
    List<String> nanErrors = new ArrayList<>();
    for (SurrogateFit f : out) {
      if (Arrays.stream(f.standardErrors()).anyMatch(Double::isNaN)
          && !nanErrors.contains(f.key())) {
        nanErrors.add(f.key());
      }
    }
    int distinct = -1;
    if (!nanErrors.isEmpty() && c.estimator.repeatsShareDrawError()) { // only a warning reads it
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (boolean[] mask : design.masks()) {
        seen.add(Arrays.toString(mask));
      }
      distinct = seen.size();
    }
    return new ModalityFits(
        out,
        specs,
        flatSpecs,
        FitWarnings.shrinkage(design, alpha),
        design.samples(),
        fs.size(),
        distinct,
        nanErrors);
  }

  /**
   * Which target columns do not vary beyond rounding: their range over the samples is at most
   * {@code level}, the model's rounding ({@link BatchRunner#roundingLevel}). A model constant in
   * this modality, or one without interactions, has such MI targets; a constant model has only such
   * targets. Their R^2 scores would measure how well a line fits rounding, so they are reported as
   * NaN (not defined); the weights and their errors stay (0 to rounding).
   */
  static boolean[] flatTargets(double[][] y, double level) {
    int cols = y.length == 0 ? 0 : y[0].length;
    double[] lo = new double[cols];
    double[] hi = new double[cols];
    Arrays.fill(lo, Double.POSITIVE_INFINITY);
    Arrays.fill(hi, Double.NEGATIVE_INFINITY);
    for (double[] row : y) {
      for (int col = 0; col < cols; col++) {
        lo[col] = Math.min(lo[col], row[col]);
        hi[col] = Math.max(hi[col], row[col]);
      }
    }
    boolean[] flat = new boolean[cols];
    for (int col = 0; col < cols; col++) {
      flat[col] = hi[col] - lo[col] <= level;
    }
    return flat;
  }

  /** The fit with its R^2 scores (in-sample and held out) set to NaN: not defined. */
  private static SurrogateFit withoutScores(SurrogateFit f) {
    Optional<Faithfulness> faith =
        f.faithfulness()
            .map(
                x ->
                    new Faithfulness(
                        x.steps(),
                        x.fractions(),
                        x.deletion(),
                        x.insertion(),
                        x.deletionArea(),
                        x.insertionArea(),
                        x.normalisedDeletionArea(),
                        x.normalisedInsertionArea(),
                        x.heldOutSamples(),
                        Double.NaN,
                        Double.NaN));
    return new SurrogateFit(
        f.key(),
        f.kind(),
        f.term(),
        f.weights(),
        f.standardErrors(),
        f.intercept(),
        Double.NaN,
        f.localPrediction(),
        f.replicateErrors(),
        faith);
  }

  /**
   * The fits with their standard errors widened by the fixed reference set's error: every target is
   * recomputed with each jackknife group of the set left out (from the leave-group-out blocks of
   * {@code v} and of the point's values), all refitted on the same design in one call, and each
   * weight's jackknife error is added to the fit's own as a root sum of squares. A weight the fit
   * did not select (0 with error 0) or whose error is not estimable (NaN) keeps its error.
   */
  private List<ColumnFit> withReferenceSetErrors(
      SampleDesign design,
      List<ColumnFit> fits,
      List<ColumnSpec> specs,
      int[] slotOf,
      double[][] v,
      PointContext p) {
    List<Map<Term, double[]>> leftOut = p.pv().leftOut();
    int groups = leftOut.size();
    io.dime.core.estimate.Jackknife jack =
        p.pv().jackknife() != null ? p.pv().jackknife() : c.estimator.jackknife();
    if (jack == null || jack.groups() != groups) {
      throw new IllegalStateException(
          "the estimator's point values have "
              + groups
              + " jackknife groups, its jackknife "
              + jack);
    }
    // only the columns whose targets involve a value over the references (not LIME's: the model's
    // output at the perturbed point is the same whichever references are left out)
    int full = (1 << c.k) - 1;
    List<ColumnSpec> varying = new ArrayList<>();
    List<Integer> where = new ArrayList<>();
    for (int col = 0; col < specs.size(); col++) {
      double[] coef = specs.get(col).coef();
      for (int t = 0; t < coef.length; t++) {
        if (t != full && coef[t] != 0) {
          varying.add(specs.get(col));
          where.add(col);
          break;
        }
      }
    }
    if (varying.isEmpty()) {
      return fits;
    }
    int cols = varying.size();
    int stride = v[0].length / (1 + groups);
    int[] offsets = new int[groups];
    Estimator.PointValues[] pvs = new Estimator.PointValues[groups];
    for (int g = 0; g < groups; g++) {
      offsets[g] = (g + 1) * stride;
      pvs[g] = p.pv().withoutGroup(g);
    }
    double[][] y = FitTargets.targets(varying, slotOf, v, offsets, pvs, p.classes());
    List<ColumnFit> refits = c.surrogate.fit(design, y);
    List<ColumnFit> out = new ArrayList<>(fits);
    for (int i = 0; i < cols; i++) {
      ColumnFit f = fits.get(where.get(i));
      double[][] w = new double[groups][];
      for (int g = 0; g < groups; g++) {
        w[g] = refits.get(g * cols + i).weights();
      }
      double[] set = jack.standardErrors(f.weights(), w);
      double[] se = f.standardErrors().clone();
      for (int j = 0; j < se.length; j++) {
        boolean unselected = f.weights()[j] == 0 && se[j] == 0;
        if (!unselected && !Double.isNaN(se[j])) {
          se[j] = Math.hypot(se[j], set[j]);
        }
      }
      out.set(where.get(i), new ColumnFit(f.weights(), se, f.intercept(), f.score()));
    }
    return out;
  }

  private static SurrogateFit fit(ColumnSpec spec, ColumnFit f) {
    double local = f.intercept();
    for (double w : f.weights()) {
      local += w;
    }
    return new SurrogateFit(
        spec.key(),
        spec.kind(),
        Optional.ofNullable(spec.term()),
        f.weights(),
        f.standardErrors(),
        f.intercept(),
        f.score(),
        local,
        new double[0],
        Optional.empty());
  }

  private List<ClassExplanation> classExplanations(
      Map<Integer, List<String>> classes,
      List<ModalityFits> byModality,
      List<FeatureSet<?>> features,
      Estimator.PointValues pv,
      double[] pred) {
    List<ClassExplanation> out = new ArrayList<>();
    for (Map.Entry<Integer, List<String>> e : classes.entrySet()) {
      int cls = e.getKey();
      List<ModalityExplanation> mods = new ArrayList<>();
      for (int m = 0; m < c.k; m++) {
        List<SurrogateFit> fits = new ArrayList<>();
        ModalityFits mf = byModality.get(m);
        for (int col = 0; col < mf.specs().size(); col++) {
          if (mf.specs().get(col).cls() == cls) {
            fits.add(mf.fits().get(col));
          }
        }
        mods.add(new ModalityExplanation(c.names.get(m), features.get(m).names(), fits));
      }
      out.add(
          new ClassExplanation(
              cls,
              c.model.outputNames().get(cls),
              e.getValue(),
              pred[cls],
              targets.decomposition(pv, pred, cls),
              mods));
    }
    return out;
  }

  private List<String> warnings(long floored, long rows, List<ModalityFits> byModality) {
    List<String> warnings = new ArrayList<>();
    for (int m = 0; m < c.k; m++) {
      ModalityFits mf = byModality.get(m);
      FitWarnings.add(
          warnings,
          c.names.get(m),
          mf.samples(),
          mf.features(),
          alpha,
          mf.shrinkage(),
          mf.flat(),
          c.model.outputNames());
      FitWarnings.addUndeterminedErrors(
          warnings,
          c.names.get(m),
          mf.samples(),
          mf.features(),
          mf.distinctMasks(),
          c.estimator.samplesCarryDrawError(),
          mf.nanErrors());
    }
    if (prep.logOutputs()) {
      warnings.add(
          "model outputs are probabilities; explained as log-probabilities (the decomposition is"
              + " meant for pre-softmax scores)");
    }
    if (floored > 0) {
      warnings.add(
          floored
              + " output value(s) over "
              + rows
              + " model rows were probabilities of 0 (or below 1.4e-45), whose logarithm was"
              + " floored at -103.28: the weights of the features that drive a class's"
              + " probability to 0 mostly measure that floor; explain the model's logits if it"
              + " has them");
    }
    return warnings;
  }
}
