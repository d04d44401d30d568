package io.dime.core;

import static java.util.Objects.requireNonNull;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.ExplainResult;
import io.dime.api.Explanation;
import io.dime.api.Faithfulness;
import io.dime.api.InputException;
import io.dime.api.ModalityExplanation;
import io.dime.api.ModelException;
import io.dime.api.MultimodalModel;
import io.dime.api.OutputKind;
import io.dime.api.PassCount;
import io.dime.api.Provenance;
import io.dime.api.RecordError;
import io.dime.api.SurrogateFit;
import io.dime.api.TargetKind;
import io.dime.api.Term;
import io.dime.api.TermValue;
import io.dime.api.Timings;
import io.dime.core.decompose.Moebius;
import io.dime.core.estimate.Estimator;
import io.dime.core.estimate.Estimators;
import io.dime.core.estimate.Pool;
import io.dime.core.infer.BatchRunner;
import io.dime.core.infer.OutputTransform;
import io.dime.core.random.Seeds;
import io.dime.core.surrogate.Lime;
import io.dime.spi.ColumnFit;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.PoolStatistics;
import io.dime.spi.SampleDesign;
import io.dime.spi.Surrogate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The DIME engine: splits a multimodal model's output into functional-ANOVA terms (unimodal
 * contributions and interactions, k modalities) and explains each term on every modality's features
 * with a local surrogate.
 *
 * <pre>{@code
 * Dime dime = Dime.builder()
 *     .modality(vectorModality1).modality(vectorModality2)
 *     .model(model).referencePool(pool)
 *     .estimator(Estimators.sampled(100)).surrogate(Lime.defaults())
 *     .samples(1000).seed(42).batchSize(256)
 *     .faithfulness(10, 100) // deletion/insertion curves, held-out R^2 (the default)
 *     .build();
 * Explanation e = dime.explain(datapoint, Targets.predictedAndLabel());
 * }</pre>
 *
 * <p>Thread-safe once built; {@link #explainAll} explains datapoints concurrently with identical
 * results whatever the thread count.
 */
public final class Dime implements AutoCloseable {
  private final List<Modality<?>> modalities;
  private final List<String> names;
  private final MultimodalModel model;
  private final Pool pool;
  private final List<PoolStatistics> poolStats;

  /** SHA-256 of the pool's ids, one per line (provenance of every explanation). */
  private final String poolIdsSha256;

  /** Where pool row 0 of each modality sits among the model's pinned values; -1: not pinned. */
  private final int[] poolPins;

  private final List<Optional<String>> poolLabels;
  private final Estimator estimator;
  private final Surrogate surrogate;
  private final int samples;
  private final long seed;
  private final int batchSize;
  private final int maxOrder;
  private final int replicates;
  private final int curveSteps;
  private final int heldOut;
  private final OutputKind declaredKind;
  private final Map<String, Object> extraProvenance;
  private final int k;
  private final List<Term> pointTerms;

  private final java.util.concurrent.ExecutorService modelExecutor;
  private volatile boolean prepared;
  private OutputTransform transform;
  private boolean logOutputs;
  private final boolean centerScores;
  private long preparationRows;

  private Dime(Builder b) {
    this.modalities = List.copyOf(b.modalities);
    this.names = modalities.stream().map(Modality::name).toList();
    this.k = modalities.size();
    if (k < 1) {
      throw new IllegalArgumentException("no modalities: add at least one with modality(...)");
    }
    if (names.stream().distinct().count() != k) {
      throw new IllegalArgumentException("modality names must be unique, found " + names);
    }
    this.model = requireNonNull(b.model, "model is null: set it with model(...)");
    if (b.pool == null || b.pool.isEmpty()) {
      throw new IllegalArgumentException("the reference pool is empty: set referencePool(...)");
    }
    Object[][] values = new Object[b.pool.size()][k];
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < b.pool.size(); i++) {
      Datapoint p = b.pool.get(i);
      ids.add(p.id());
      for (int j = 0; j < k; j++) {
        values[i][j] = modalities.get(j).check(p.value(names.get(j)), p.id());
      }
    }
    List<Modality<?>> mods = modalities;
    this.pool = new Pool(ids, values, k, i -> summary(mods, values[i]));
    this.poolIdsSha256 = Versions.sha256(String.join("\n", pool.ids()));
    this.poolLabels = b.pool.stream().map(Datapoint::label).toList();
    List<PoolStatistics> stats = new ArrayList<>();
    for (int j = 0; j < k; j++) {
      List<Object> col = new ArrayList<>();
      for (Object[] row : values) {
        col.add(row[j]);
      }
      stats.add(new PoolStatistics(col));
    }
    this.poolStats = List.copyOf(stats);
    this.estimator = b.estimator;
    this.surrogate = b.surrogate;
    if (b.samples < 2) {
      throw new IllegalArgumentException("samples must be at least 2, found " + b.samples);
    }
    this.samples = b.samples;
    this.seed = b.seed;
    if (b.batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, found " + b.batchSize);
    }
    this.batchSize = b.batchSize;
    this.maxOrder = b.maxOrder <= 0 ? k : Math.min(b.maxOrder, k);
    this.replicates = b.replicates;
    this.curveSteps = b.curveSteps;
    this.heldOut = b.heldOut;
    this.declaredKind = b.outputKind != null ? b.outputKind : model.outputKind();
    boolean classifier = declaredKind != OutputKind.REGRESSION && model.outputCount() >= 2;
    if (Boolean.TRUE.equals(b.centeredScores) && !classifier) {
      throw new IllegalArgumentException(
          "centred scores need a classifier with at least 2 outputs; the model is "
              + declaredKind.name().toLowerCase()
              + " with "
              + model.outputCount()
              + " output(s)");
    }
    // Centred by default for classifiers: their logits are pre-softmax scores (OutputKind.LOGITS),
    // defined up to a constant per row.
    this.centerScores = classifier && !Boolean.FALSE.equals(b.centeredScores);
    this.extraProvenance = new LinkedHashMap<>(b.provenance);
    List<Term> terms = new ArrayList<>();
    for (Term t : Term.all(k)) {
      if (t.order() <= maxOrder || t.order() == k) {
        terms.add(t);
      }
    }
    this.pointTerms = List.copyOf(terms);
    this.poolPins = new int[k];
    java.util.Arrays.fill(poolPins, -1);
    if (model instanceof io.dime.core.infer.EncodedModel em) {
      for (int j = 0; j < k; j++) {
        poolPins[j] = em.pin(j, poolStats.get(j).values());
        if (poolPins[j] < 0) {
          // Encodings of several sizes cannot share a batch: name the pool datapoint at fault.
          PoolEncodings.check(modalities, b.pool);
        }
      }
    }
    this.modelExecutor =
        b.pipelined
            ? Executors.newFixedThreadPool(
                b.inferenceThreads,
                r -> {
                  Thread t = new Thread(r, "dime-model");
                  t.setDaemon(true);
                  return t;
                })
            : null;
  }

  /**
   * A pool datapoint's numeric summary for choosing representative references: per modality, the
   * float tensors it encodes into, concatenated and block-averaged ({@link Pool#blockMeans}).
   */
  private static double[] summary(List<Modality<?>> mods, Object[] row) {
    List<double[]> parts = new ArrayList<>();
    int total = 0;
    for (int j = 0; j < row.length; j++) {
      List<io.dime.api.Tensor> ts = encodeUnchecked(mods.get(j), row[j]);
      int len = 0;
      for (io.dime.api.Tensor t : ts) {
        if (t.floats() != null) {
          len += t.floats().length;
        }
      }
      double[] x = new double[len];
      int at = 0;
      for (io.dime.api.Tensor t : ts) {
        if (t.floats() != null) {
          for (float f : t.floats()) {
            x[at++] = f;
          }
        }
      }
      double[] b = Pool.blockMeans(x, len);
      parts.add(b);
      total += b.length;
    }
    double[] out = new double[total];
    int at = 0;
    for (double[] b : parts) {
      System.arraycopy(b, 0, out, at, b.length);
      at += b.length;
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static <V> List<io.dime.api.Tensor> encodeUnchecked(Modality<V> m, Object value) {
    return m.encoder().encode((V) value);
  }

  /** Stops the model thread. */
  @Override
  public void close() {
    if (modelExecutor != null) {
      modelExecutor.shutdownNow();
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * How this engine turns a model output row into the scores it explains (logarithm for
   * probabilities, centring for classifiers by default); decided once per run, before the first
   * explanation.
   */
  public OutputTransform scoreTransform() {
    prepare();
    return transform;
  }

  /** Modality names in pipeline order. */
  public List<String> modalityNames() {
    return names;
  }

  /** The model's output (class) names, in output order. */
  public List<String> outputNames() {
    return model.outputNames();
  }

  /** The number of modalities k. */
  public int modalityCount() {
    return k;
  }

  /** Model rows spent preparing (e.g. the paper-faithful table), once per run. */
  public long preparationRows() {
    prepare();
    return preparationRows;
  }

  private synchronized void prepare() {
    if (prepared) {
      return;
    }
    OutputTransform identity = new OutputTransform(false, model.outputCount());
    BatchRunner runner = new BatchRunner(model, batchSize, identity);
    boolean log;
    switch (declaredKind) {
      case PROBABILITIES -> log = true;
      case AUTO -> {
        double[][] y = new double[1][];
        Object[] first = new Object[k];
        for (int j = 0; j < k; j++) {
          first[j] = pool.value(0, j);
        }
        runner.add(first, out -> y[0] = out.clone());
        runner.flush();
        log = OutputTransform.looksLikeProbabilities(y[0]);
      }
      default -> log = false;
    }
    this.logOutputs = log;
    this.transform = new OutputTransform(log, centerScores, model.outputCount());
    BatchRunner prepRunner = new BatchRunner(model, batchSize, transform);
    estimator.checkBudget(passFormula());
    this.preparationRows = estimator.prepare(pool, prepRunner, seed) + runner.rowCount();
    prepared = true;
  }

  /** The forward passes one datapoint needs with one explained class: {@code passFormula(1)}. */
  public long passFormula() {
    return passFormula(1);
  }

  /**
   * The forward passes one datapoint needs by the estimator's formula (DESIGN.md section 4), when
   * every surrogate draws the requested number of samples (an enumerating surrogate may draw fewer)
   * and every modality has at least {@code steps} features; each explanation reports its own
   * formula value.
   *
   * <p>Per modality m, every mask costs the estimator's rows per sample r_m, and the masks are the
   * S fitted samples, plus, with {@link Builder#faithfulness faithfulness} on, H held-out masks and
   * 2 (T + 1) curve masks (a deletion and an insertion curve of T + 1 points) for each of the F_m
   * fits of each explained class:
   *
   * <pre>
   * 1 + pointRows + sum over m of (S + H + classes * F_m * 2 (T + 1)) * r_m
   * </pre>
   *
   * with T = min(d_m, steps) (0 curve masks when steps is 0). Curve masks shared by several fits or
   * classes (always the two end points) are evaluated once and count as cached rows.
   *
   * @param classes the number of explained classes (1 for the predicted class)
   */
  public long passFormula(int classes) {
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be at least 1, found " + classes);
    }
    long rows = 1 + estimator.pointRows(k, pointTerms);
    for (int m = 0; m < k; m++) {
      long masks = samples + heldOut + curveMasks(classes * fitsPerClass(m), curveSteps);
      rows += masks * estimator.rowsPerSample(k, estimator.varyingTerms(m, pointTerms));
    }
    return rows;
  }

  /** The fits (target columns) of one class on modality m. */
  private int fitsPerClass(int m) {
    return columns(m, java.util.Set.of(0)).size();
  }

  /** The nominal curve masks of {@code fits} fits with T steps: two curves of T + 1 points each. */
  private static long curveMasks(long fits, int steps) {
    return steps == 0 ? 0 : fits * 2 * (steps + 1L);
  }

  /**
   * Explains one datapoint.
   *
   * @throws InputException for a bad value, naming the record
   * @throws ModelException when the model fails or returns NaN or the wrong shape
   */
  public Explanation explain(Datapoint dp, Targets targets) {
    prepare();
    if (replicates == 1) {
      return explainOnce(dp, targets, seed);
    }
    List<Explanation> runs = new ArrayList<>();
    for (int r = 0; r < replicates; r++) {
      runs.add(explainOnce(dp, targets, replicateSeed(r)));
    }
    return Replicates.combine(runs, replicates);
  }

  /** The seed of replicate r (replicate 0 uses the run's seed). */
  long replicateSeed(int r) {
    return r == 0 ? seed : Seeds.mix(seed ^ (0x632BE59BD9B4E019L * r));
  }

  private Explanation explainOnce(Datapoint dp, Targets targets, long seed) {
    long t0 = System.nanoTime();
    Object[] x = new Object[k];
    for (int j = 0; j < k; j++) {
      x[j] = modalities.get(j).check(dp.value(names.get(j)), dp.id());
    }
    BatchRunner runner =
        new BatchRunner(model, batchSize, transform, modelExecutor).poolPins(poolPins);
    double[][] predHolder = new double[1][];
    runner.add(x.clone(), y -> predHolder[0] = y.clone());
    runner.flush();
    double[] pred = predHolder[0];
    int c = pred.length;
    int predicted = argmax(pred);
    Map<Integer, List<String>> classes =
        targets.resolve(dp.id(), pred, dp.label(), model.outputNames());

    Estimator.Session session =
        estimator.open(new Estimator.Context(dp.id(), x, pool, seed, c, runner));
    Estimator.PointValues pv = session.point(pointTerms, pred);

    // Featurize every modality first so bad input fails before the expensive part.
    List<FeatureSet<?>> features = new ArrayList<>();
    for (int m = 0; m < k; m++) {
      features.add(featurize(m, x[m], dp.id()));
    }

    long cached = 0;
    int[] drawn = new int[k]; // samples each modality's surrogate actually drew
    long[] extra = new long[k]; // nominal faithfulness masks per modality
    List<List<SurrogateFit>> fitsByModality = new ArrayList<>(); // [m] -> fits for all classes
    List<List<ColumnSpec>> specsByModality = new ArrayList<>();
    for (int m = 0; m < k; m++) {
      FeatureSet<?> fs = features.get(m);
      SampleDesign design =
          surrogate.design(
              fs.size(),
              samples,
              modalities.get(m).samplingHints(),
              Seeds.stream(seed, dp.id(), m, Seeds.DESIGN, 0));
      drawn[m] = design.samples();
      List<Term> slots = estimator.varyingTerms(m, pointTerms);
      int[] slotOf = new int[1 << k];
      Arrays.fill(slotOf, -1);
      for (int i = 0; i < slots.size(); i++) {
        slotOf[(int) slots.get(i).bits()] = i;
      }
      double[][] v = new double[design.samples()][slots.size() * c];
      cached +=
          runSamples(m, fs, design.masks(), Seeds.REFERENCES, null, slots, session, runner, v);
      List<ColumnSpec> specs = columns(m, classes.keySet());
      double[][] y = targets(specs, slotOf, v, pv, c);
      List<ColumnFit> fits = surrogate.fit(design, y);
      List<SurrogateFit> out = new ArrayList<>();
      for (int col = 0; col < specs.size(); col++) {
        ColumnSpec spec = specs.get(col);
        ColumnFit f = fits.get(col);
        double local = f.intercept();
        for (double w : f.weights()) {
          local += w;
        }
        out.add(
            new SurrogateFit(
                spec.key,
                spec.kind,
                Optional.ofNullable(spec.term),
                f.weights(),
                f.standardErrors(),
                f.intercept(),
                f.score(),
                local,
                new double[0]));
      }
      if (curveSteps > 0 || heldOut > 0) {
        Measured measured =
            measure(m, fs, specs, out, slots, slotOf, session, runner, pv, c, seed, dp.id());
        cached += measured.cachedRows();
        extra[m] = measured.masks();
      }
      fitsByModality.add(out);
      specsByModality.add(specs);
    }

    List<ClassExplanation> classExplanations = new ArrayList<>();
    for (Map.Entry<Integer, List<String>> e : classes.entrySet()) {
      int cls = e.getKey();
      List<ModalityExplanation> mods = new ArrayList<>();
      for (int m = 0; m < k; m++) {
        List<SurrogateFit> fits = new ArrayList<>();
        List<ColumnSpec> specs = specsByModality.get(m);
        for (int col = 0; col < specs.size(); col++) {
          if (specs.get(col).cls == cls) {
            fits.add(fitsByModality.get(m).get(col));
          }
        }
        mods.add(new ModalityExplanation(names.get(m), features.get(m).names(), fits));
      }
      classExplanations.add(
          new ClassExplanation(
              cls,
              model.outputNames().get(cls),
              e.getValue(),
              pred[cls],
              decomposition(pv, pred, cls),
              mods));
    }

    long formula = 1 + estimator.pointRows(k, pointTerms);
    for (int m = 0; m < k; m++) {
      formula +=
          (drawn[m] + extra[m]) * estimator.rowsPerSample(k, estimator.varyingTerms(m, pointTerms));
    }
    PassCount passes = new PassCount(runner.rowCount(), cached, formula);
    if (passes.rows() + passes.cachedRows() != formula) {
      throw new IllegalStateException(
          "pass accounting is off: " + passes + " (please report this as a bug)");
    }
    List<String> warnings = new ArrayList<>();
    if (logOutputs) {
      warnings.add(
          "model outputs are probabilities; explained as log-probabilities (the decomposition is"
              + " meant for pre-softmax scores)");
    }
    Provenance prov =
        provenance().withReferenceDraws(List.of(Long.toHexString(session.drawHash())));
    double total = (System.nanoTime() - t0) / 1e9;
    return new Explanation(
        Explanation.SCHEMA_VERSION,
        dp.id(),
        names,
        pred,
        predicted,
        dp.label(),
        classExplanations,
        passes,
        warnings,
        prov,
        new Timings(total, runner.modelSeconds()));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private FeatureSet<?> featurize(int m, Object value, String id) {
    Modality mod = modalities.get(m);
    FeatureSet<?> fs;
    try {
      fs = mod.featurize(value, poolStats.get(m), Seeds.stream(seed, id, m, Seeds.FEATURIZE, 0));
    } catch (InputException e) {
      throw e.recordId().isPresent() ? e : new InputException(id, e.getMessage(), e);
    }
    if (fs.size() < 1) {
      throw new InputException(id, "modality '" + names.get(m) + "' has no features to explain");
    }
    return fs;
  }

  /**
   * Runs the masks in chunks; returns the rows answered from the duplicate-mask cache.
   *
   * @param stream the reference-draw stream ({@link Seeds#REFERENCES} for the fitted samples)
   * @param indices each mask's index in that stream; null for the mask's position
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private long runSamples(
      int m,
      FeatureSet fs,
      boolean[][] masks,
      long stream,
      long[] indices,
      List<Term> slots,
      Estimator.Session session,
      BatchRunner runner,
      double[][] v) {
    int n = masks.length;
    boolean[] det = new boolean[slots.size()];
    List<Term> detSlots = new ArrayList<>();
    for (int i = 0; i < slots.size(); i++) {
      det[i] = estimator.deterministic(slots.get(i), k);
      if (det[i]) {
        detSlots.add(slots.get(i));
      }
    }
    long detRows = detSlots.isEmpty() ? 0 : estimator.rowsPerSample(k, detSlots);
    Map<String, Integer> firstByMask = new HashMap<>();
    int[] source = new int[n];
    long cached = 0;
    // One flush for all masks: the runner keeps at most a batch queued and two in flight, so
    // nothing piles up, and the model never waits for this thread between groups of masks.
    for (int s = 0; s < n; s++) {
      boolean[] mask = masks[s];
      String key = maskKey(mask);
      Integer first = firstByMask.putIfAbsent(key, s);
      source[s] = first == null ? -1 : first;
      boolean[] skip = first == null ? null : det;
      if (first != null) {
        cached += detRows;
      }
      Object z;
      try {
        z = fs.apply(mask);
      } catch (InputException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new InputException(
            null, "perturbing modality '" + names.get(m) + "' failed: " + e.getMessage(), e);
      }
      session.sample(m, stream, indices == null ? s : indices[s], z, slots, skip, v[s]);
    }
    runner.flush();
    int c = v.length == 0 ? 0 : v[0].length / Math.max(1, slots.size());
    for (int s = 0; s < n; s++) {
      if (source[s] >= 0) {
        for (int i = 0; i < slots.size(); i++) {
          if (det[i]) {
            System.arraycopy(v[source[s]], i * c, v[s], i * c, c);
          }
        }
      }
    }
    return cached;
  }

  private static String maskKey(boolean[] mask) {
    char[] ch = new char[mask.length];
    for (int i = 0; i < mask.length; i++) {
      ch[i] = mask[i] ? '1' : '0';
    }
    return new String(ch);
  }

  /**
   * The target of every column for every evaluated mask: row s of the result holds, per column, the
   * column's combination of the slot values of row s of {@code v} and the point's constants.
   */
  private static double[][] targets(
      List<ColumnSpec> specs, int[] slotOf, double[][] v, Estimator.PointValues pv, int c) {
    int cols = specs.size();
    // Per column, in term order (the sums stay bit for bit the same): each nonzero coefficient and
    // either the slot value's position in a row of v or, for a term taken from the point, its
    // value.
    int[][] at = new int[cols][];
    double[][] coef = new double[cols][];
    double[][] constant = new double[cols][];
    for (int col = 0; col < cols; col++) {
      ColumnSpec spec = specs.get(col);
      int nz = 0;
      for (double a : spec.coef) {
        nz += a != 0 ? 1 : 0;
      }
      at[col] = new int[nz];
      coef[col] = new double[nz];
      constant[col] = new double[nz];
      for (int t = 0, i = 0; t < spec.coef.length; t++) {
        double a = spec.coef[t];
        if (a == 0) {
          continue;
        }
        coef[col][i] = a;
        if (slotOf[t] >= 0) {
          at[col][i] = slotOf[t] * c + spec.cls;
        } else {
          at[col][i] = -1;
          constant[col][i] = pv.values().get(new Term(t))[spec.cls];
        }
        i++;
      }
    }
    double[][] y = new double[v.length][cols];
    for (int s = 0; s < v.length; s++) {
      double[] vs = v[s];
      for (int col = 0; col < cols; col++) {
        int[] a = at[col];
        double[] w = coef[col];
        double[] k0 = constant[col];
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
          sum += w[i] * (a[i] >= 0 ? vs[a[i]] : k0[i]);
        }
        y[s][col] = sum;
      }
    }
    return y;
  }

  /** What the faithfulness measures of one modality cost: nominal masks and cached rows. */
  private record Measured(long masks, long cachedRows) {}

  /**
   * The faithfulness measures of every fit of modality m (every column of {@code specs}), attached
   * to {@code fits} in place. Targets come from the same estimator session, so they are the very
   * quantities the fits were fitted to.
   *
   * <p>Held-out masks: the surrogate's design for H + 1 samples from the stream {@link
   * Seeds#HELD_OUT_DESIGN}, its fixed unperturbed sample 0 left out; their reference draws come
   * from {@link Seeds#HELD_OUT}, one index per held-out sample, and duplicate masks reuse the
   * deterministic rows as the fitted samples do.
   *
   * <p>Curve masks: every distinct mask of every fit's deletion and insertion curve is evaluated
   * once, with reference draws from {@link Seeds#CURVE} indexed by a hash of the mask, and serves
   * every fit and class that asks for it (the rows it saves count as cached).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private Measured measure(
      int m,
      FeatureSet fs,
      List<ColumnSpec> specs,
      List<SurrogateFit> fits,
      List<Term> slots,
      int[] slotOf,
      Estimator.Session session,
      BatchRunner runner,
      Estimator.PointValues pv,
      int c,
      long seed,
      String id) {
    int d = fs.size();
    long perMask = estimator.rowsPerSample(k, slots);
    long cached = 0;

    // Held-out masks from the surrogate's own distribution, on an independent stream.
    boolean[][] hMasks = new boolean[0][];
    double[] hWeights = new double[0];
    if (heldOut > 0) {
      SampleDesign hd =
          surrogate.design(
              d,
              heldOut + 1,
              modalities.get(m).samplingHints(),
              Seeds.stream(seed, id, m, Seeds.HELD_OUT_DESIGN, 0));
      hMasks = Arrays.copyOfRange(hd.masks(), 1, hd.samples());
      hWeights = Arrays.copyOfRange(hd.weights(), 1, hd.samples());
    }
    double[][] hv = new double[hMasks.length][slots.size() * c];
    cached += runSamples(m, fs, hMasks, Seeds.HELD_OUT, null, slots, session, runner, hv);
    double[][] hy = targets(specs, slotOf, hv, pv, c);

    // Curves: the distinct masks of every fit's deletion and insertion curve.
    int steps = Math.min(d, curveSteps);
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
    double[][] cv = new double[cMasks.length][slots.size() * c];
    cached += runSamples(m, fs, cMasks, Seeds.CURVE, cIndex, slots, session, runner, cv);
    double[][] cy = targets(specs, slotOf, cv, pv, c);
    long nominalCurve = curveMasks(specs.size(), steps);
    cached += (nominalCurve - cMasks.length) * perMask;

    for (int col = 0; col < specs.size(); col++) {
      SurrogateFit fit = fits.get(col);
      double[] deletion = new double[fractions.length];
      double[] insertion = new double[fractions.length];
      for (int t = 0; t < fractions.length; t++) {
        deletion[t] = cy[deletionAt[col][t]][col];
        insertion[t] = cy[insertionAt[col][t]][col];
      }
      double[] y = new double[hMasks.length];
      double[] pred = new double[hMasks.length];
      for (int s = 0; s < hMasks.length; s++) {
        y[s] = hy[s][col];
        pred[s] = fit.predict(hMasks[s]);
      }
      fits.set(
          col,
          fit.withFaithfulness(
              Optional.of(
                  Faithfulness.of(
                      fractions,
                      deletion,
                      insertion,
                      hMasks.length,
                      r2(y, pred, null),
                      r2(y, pred, hWeights)))));
    }
    return new Measured(hMasks.length + nominalCurve, cached);
  }

  /** Feature indices by weight, largest first; ties by index. */
  static int[] byWeightDescending(double[] w) {
    Integer[] idx = new Integer[w.length];
    for (int j = 0; j < w.length; j++) {
      idx[j] = j;
    }
    Arrays.sort(
        idx,
        (p, q) -> {
          int cmp = Double.compare(w[q], w[p]);
          return cmp != 0 ? cmp : Integer.compare(p, q);
        });
    int[] out = new int[w.length];
    for (int j = 0; j < w.length; j++) {
      out[j] = idx[j];
    }
    return out;
  }

  private static int indexOf(boolean[] mask, Map<String, Integer> distinct, List<boolean[]> list) {
    String key = maskKey(mask);
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
   * that tolerance and NaN otherwise.
   */
  static double r2(double[] y, double[] pred, double[] w) {
    double sw = 0;
    double swy = 0;
    double scale = 1;
    for (int s = 0; s < y.length; s++) {
      double ws = w == null ? 1 : w[s];
      sw += ws;
      swy += ws * y[s];
      scale = Math.max(scale, Math.abs(y[s]));
    }
    if (y.length == 0 || !(sw > 0)) {
      return Double.NaN;
    }
    double mean = swy / sw;
    double tss = 0;
    double rss = 0;
    for (int s = 0; s < y.length; s++) {
      double ws = w == null ? 1 : w[s];
      tss += ws * (y[s] - mean) * (y[s] - mean);
      rss += ws * (y[s] - pred[s]) * (y[s] - pred[s]);
    }
    double tol = sw * (1e-12 * scale) * (1e-12 * scale);
    if (tss <= tol) {
      return rss <= tol ? 1 : Double.NaN;
    }
    return 1 - rss / tss;
  }

  /** One target column: a linear combination of v(T) over all 2^k subsets, for one class. */
  private record ColumnSpec(String key, TargetKind kind, Term term, int cls, double[] coef) {}

  private List<ColumnSpec> columns(int m, java.util.Set<Integer> classes) {
    int n = 1 << k;
    List<ColumnSpec> out = new ArrayList<>();
    double[] uc = new double[n];
    double[] below = new double[n]; // sum of g_S for |S| <= maxOrder
    for (Term s : pointTerms) {
      if (s.order() <= maxOrder) {
        addTerm(below, s);
      }
      if (s.order() <= 1) {
        addTerm(uc, s);
      }
    }
    int full = n - 1;
    double[] mi = uc.clone();
    for (int i = 0; i < n; i++) {
      mi[i] = -mi[i];
    }
    mi[full] += 1;
    double[] residual = new double[n];
    for (int i = 0; i < n; i++) {
      residual[i] = -below[i];
    }
    residual[full] += 1;
    double[] lime = new double[n];
    lime[full] = 1;
    for (int cls : classes) {
      for (Term s : pointTerms) {
        if (s.contains(m) && s.order() <= maxOrder) {
          double[] coef = new double[n];
          addTerm(coef, s);
          out.add(new ColumnSpec(s.key(), TargetKind.TERM, s, cls, coef));
        }
      }
      out.add(new ColumnSpec("UC", TargetKind.UC, null, cls, uc));
      if (k > 1) {
        out.add(new ColumnSpec("MI", TargetKind.MI, null, cls, mi));
      }
      if (maxOrder < k) {
        out.add(new ColumnSpec("residual", TargetKind.RESIDUAL, null, cls, residual));
      }
      out.add(new ColumnSpec("LIME", TargetKind.MODEL, null, cls, lime));
    }
    return out;
  }

  private static void addTerm(double[] coef, Term s) {
    for (Term t : Moebius.subsets(s)) {
      coef[(int) t.bits()] += Moebius.sign(s, t);
    }
  }

  private List<TermValue> decomposition(Estimator.PointValues pv, double[] pred, int cls) {
    List<TermValue> out = new ArrayList<>();
    double sum = 0;
    double errSq = 0;
    for (Term s : pointTerms) {
      if (s.order() > maxOrder) {
        continue;
      }
      double g = 0;
      for (Term t : Moebius.subsets(s)) {
        g += Moebius.sign(s, t) * pv.values().get(t)[cls];
      }
      double[] se = pv.termErrors().get(s);
      double e = se == null ? Double.NaN : se[cls];
      out.add(new TermValue(s, s.key(), s.label(names), g, e, Double.NaN));
      sum += g;
      errSq += e * e;
    }
    if (maxOrder < k) {
      out.add(
          new TermValue(
              Moebius.full(k),
              "residual",
              "above order " + maxOrder,
              pred[cls] - sum,
              Math.sqrt(errSq),
              Double.NaN));
    }
    return out;
  }

  private static int argmax(double[] y) {
    int best = 0;
    for (int i = 1; i < y.length; i++) {
      if (y[i] > y[best]) {
        best = i;
      }
    }
    return best;
  }

  /**
   * Global analysis over a grid of {@code references} pool datapoints (references^k passes):
   * variance shares of every term and the accuracy of the additive projection next to the model's
   * own.
   */
  public io.dime.api.run.GlobalShares globalAnalysis(int references) {
    prepare();
    int[] idx = pool.choose(references, seed);
    Object[][] refs = new Object[idx.length][k];
    List<Optional<String>> labels = new ArrayList<>();
    for (int i = 0; i < idx.length; i++) {
      for (int j = 0; j < k; j++) {
        refs[i][j] = pool.value(idx[i], j);
      }
      labels.add(poolLabels.get(idx[i]));
    }
    return io.dime.core.decompose.GlobalAnalysis.run(
        model,
        refs,
        io.dime.core.decompose.GlobalAnalysis.labelIndices(labels, model.outputNames()),
        model.outputNames(),
        transform,
        batchSize);
  }

  /**
   * What the model makes of each modality with every feature hidden ({@link
   * io.dime.core.decompose.HiddenBaseline}), over up to {@code maxRecords} pool records chosen from
   * the seed: 2 x k x records model rows. A record whose modality cannot be featurized is left out
   * of that modality's summary.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public List<io.dime.api.run.HiddenModality> hiddenBaseline(int maxRecords) {
    prepare();
    int[] idx = pool.choose(Math.max(1, maxRecords), seed);
    List<io.dime.api.run.HiddenModality> out = new ArrayList<>();
    for (int m = 0; m < k; m++) {
      BatchRunner runner = new BatchRunner(model, batchSize, transform);
      List<double[]> original = new ArrayList<>();
      List<double[]> hidden = new ArrayList<>();
      for (int i : idx) {
        FeatureSet fs;
        try {
          fs = featurize(m, pool.value(i, m), pool.id(i));
        } catch (RuntimeException e) {
          continue;
        }
        Object[] row = new Object[k];
        for (int j = 0; j < k; j++) {
          row[j] = pool.value(i, j);
        }
        int at = original.size();
        original.add(null);
        hidden.add(null);
        runner.add(row, y -> original.set(at, y.clone()));
        row[m] = fs.apply(new boolean[fs.size()]);
        runner.add(row, y -> hidden.set(at, y.clone()));
      }
      runner.flush();
      if (!original.isEmpty()) {
        out.add(
            io.dime.core.decompose.HiddenBaseline.summarise(
                names.get(m), model.outputNames(), original, hidden));
      }
    }
    return out;
  }

  /**
   * Draws one fit of an explanation as a view, with the modality's own renderer (heat map, shaded
   * words, series bands). The datapoint is featurized again, which gives the same features.
   *
   * @param dp the explained datapoint
   * @param e its explanation
   * @param classIndex the explained class
   * @param modality the modality's name
   * @param fitKey "UC", "MI", "LIME" or a term key such as "g12"
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public io.dime.spi.View view(
      Datapoint dp,
      Explanation e,
      int classIndex,
      String modality,
      String fitKey,
      io.dime.spi.ViewOptions options) {
    int m = names.indexOf(modality);
    if (m < 0) {
      throw new IllegalArgumentException("no modality '" + modality + "'; modalities: " + names);
    }
    SurrogateFit fit =
        e.forClass(classIndex)
            .modality(modality)
            .fit(fitKey)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no fit '" + fitKey + "' for modality '" + modality + "'"));
    Object value = modalities.get(m).check(dp.value(modality), dp.id());
    FeatureSet fs = featurize(m, value, dp.id());
    return ((Modality) modalities.get(m)).view(fs, fit.weights(), options);
  }

  /**
   * The features of one modality of a datapoint, as the explanation used them (featurizing is
   * deterministic): their names and {@link FeatureSet#layout() layout}, e.g. superpixel centroids.
   */
  public FeatureSet<?> features(Datapoint dp, String modality) {
    int m = names.indexOf(modality);
    if (m < 0) {
      throw new IllegalArgumentException("no modality '" + modality + "'; modalities: " + names);
    }
    prepare();
    Object value = modalities.get(m).check(dp.value(modality), dp.id());
    return featurize(m, value, dp.id());
  }

  /** Every parameter of this engine, for provenance (no reference draws: those are per point). */
  public Provenance provenance() {
    prepare();
    Map<String, Object> faith = new LinkedHashMap<>();
    faith.put("steps", curveSteps);
    faith.put("heldOut", heldOut);
    if (curveSteps > 0 || heldOut > 0) {
      faith.put(
          "method",
          "targets of each fit by the same estimator; curves hide (deletion) or reveal"
              + " (insertion) the top ceil(t d / T) features by weight, T = min(d, steps),"
              + " trapezoid areas over the fraction, normalised by subtracting the end points'"
              + " line; held-out masks from the surrogate's design on an independent stream,"
              + " R^2 of intercept + weights . mask, unweighted and kernel-weighted");
    }
    Map<String, Map<String, Object>> mods = new LinkedHashMap<>();
    for (Modality<?> mod : modalities) {
      Map<String, Object> mp = new LinkedHashMap<>(mod.provenance());
      mp.put("kind", mod.kind());
      mp.put("sampling", mod.samplingHints().toString());
      mods.put(mod.name(), mp);
    }
    return new Provenance(
        Versions.dime(),
        Versions.libraries(),
        seed,
        samples,
        batchSize,
        maxOrder,
        replicates,
        faith,
        estimator.parameters(),
        surrogate.provenance(),
        mods,
        model.provenance(),
        logOutputs ? "log-probabilities" : declaredKind.name().toLowerCase(),
        centerScores ? "centered" : "raw",
        new Provenance.PoolIdentity(pool.size(), poolIdsSha256),
        extraProvenance,
        List.of());
  }

  /**
   * Explains datapoints concurrently on {@code threads} threads, handing each result to {@code
   * sink} in input order. A datapoint that fails becomes a {@link RecordError}; the others go on.
   *
   * @return the number of datapoints that failed
   */
  public int explainAll(
      List<Datapoint> datapoints, Targets targets, int threads, Consumer<ExplainResult> sink) {
    prepare();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<ExplainResult>> futures = new ArrayList<>();
      for (Datapoint dp : datapoints) {
        futures.add(pool.submit(() -> explainOrError(dp, targets)));
      }
      int failed = 0;
      for (Future<ExplainResult> f : futures) {
        ExplainResult r;
        try {
          r = f.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException(e.getCause());
        }
        if (r instanceof RecordError) {
          failed++;
        }
        sink.accept(r);
      }
      return failed;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Explains one datapoint, turning bad input and model failures into a {@link RecordError}. */
  public ExplainResult explainOrError(Datapoint dp, Targets targets) {
    try {
      return explain(dp, targets);
    } catch (InputException e) {
      return new RecordError(dp.id(), "input", e.getMessage());
    } catch (ModelException e) {
      return new RecordError(dp.id(), "model", e.getMessage());
    } catch (IllegalArgumentException e) {
      return new RecordError(dp.id(), "input", e.getMessage());
    }
  }

  /**
   * Builds a {@link Dime}. Defaults: sampled(100), LIME, 1000 samples, seed 0, batch 256,
   * faithfulness with 10 curve steps and 100 held-out masks.
   */
  public static final class Builder {
    private final List<Modality<?>> modalities = new ArrayList<>();
    private MultimodalModel model;
    private List<Datapoint> pool;
    private Estimator estimator = Estimators.sampled(100);
    private Surrogate surrogate = Lime.defaults();
    private int samples = 1000;
    private long seed = 0;
    private int batchSize = 256;
    private int maxOrder = 0;
    private boolean pipelined = true;
    private int inferenceThreads = 1;
    private int replicates = 1;
    private int curveSteps = 10;
    private int heldOut = 100;
    private OutputKind outputKind;
    private Boolean centeredScores;
    private final Map<String, Object> provenance = new LinkedHashMap<>();

    private Builder() {}

    public Builder modality(Modality<?> m) {
      modalities.add(requireNonNull(m, "modality is null"));
      return this;
    }

    public Builder model(MultimodalModel m) {
      this.model = m;
      return this;
    }

    public Builder referencePool(List<Datapoint> datapoints) {
      this.pool = List.copyOf(datapoints);
      return this;
    }

    public Builder estimator(Estimator e) {
      this.estimator = requireNonNull(e, "estimator is null");
      return this;
    }

    public Builder surrogate(Surrogate s) {
      this.surrogate = requireNonNull(s, "surrogate is null");
      return this;
    }

    public Builder samples(int n) {
      this.samples = n;
      return this;
    }

    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    public Builder batchSize(int n) {
      this.batchSize = n;
      return this;
    }

    /** Interaction terms above this order are lumped into one residual term (default: k). */
    public Builder maxInteractionOrder(int q) {
      if (q < 1) {
        throw new IllegalArgumentException("maxInteractionOrder must be >= 1, found " + q);
      }
      this.maxOrder = q;
      return this;
    }

    /**
     * Whether the model runs on its own thread while the next batch is built and encoded (default
     * true). Results are identical either way.
     */
    public Builder pipelined(boolean p) {
      this.pipelined = p;
      return this;
    }

    /**
     * Independent reruns with other seeds (default 1): explanations report the mean over replicates
     * and, next to the within-run standard errors, the standard error from their spread.
     */
    public Builder replicates(int k) {
      if (k < 1) {
        throw new IllegalArgumentException("replicates must be >= 1, found " + k);
      }
      this.replicates = k;
      return this;
    }

    /**
     * Threads that run model batches concurrently (default 1); with several datapoints explained at
     * once, more than one keeps every core busy when the model itself runs single-threaded. Results
     * are identical whatever the number.
     */
    public Builder inferenceThreads(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("inferenceThreads must be >= 1, found " + n);
      }
      this.inferenceThreads = n;
      return this;
    }

    /**
     * The faithfulness measures of every fit (see {@link Faithfulness}); default on, with 10 steps
     * and 100 held-out masks. The curves cost 2 (T + 1) masks per fit and class and the held-out
     * scores H masks per modality, each mask at the estimator's rows per sample; masks shared by
     * several curves are evaluated once (see {@link Dime#passFormula(int)}). The fits themselves do
     * not change.
     *
     * @param steps the most curve steps T per curve (T = min(d, steps)); 0 switches the curves off
     * @param heldOut the held-out masks H per modality; 0 switches the held-out R^2 off
     */
    public Builder faithfulness(int steps, int heldOut) {
      if (steps < 0 || heldOut < 0 || heldOut == Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "faithfulness steps and held-out masks must be >= 0, found "
                + steps
                + " and "
                + heldOut);
      }
      this.curveSteps = steps;
      this.heldOut = heldOut;
      return this;
    }

    /** Switches the faithfulness measures off: {@code faithfulness(0, 0)}, no extra passes. */
    public Builder noFaithfulness() {
      return faithfulness(0, 0);
    }

    /** Overrides what the model says its outputs are. */
    public Builder outputKind(OutputKind kind) {
      this.outputKind = kind;
      return this;
    }

    /**
     * Whether to explain centred scores: each output row minus its mean over the classes (after the
     * logarithm for probability outputs), the centred log-ratio of the class probabilities; see
     * {@link OutputTransform}. The default for classifiers (logits or probabilities, at least 2
     * outputs), which a softmax makes invariant to a per-row constant; {@code false} explains the
     * scores as they are (the paper's setting, and the right one for outputs that are not one
     * softmax, such as independent sigmoid logits). Regression outputs are never centred, and
     * asking for it there is an error.
     */
    public Builder centeredScores(boolean centered) {
      this.centeredScores = centered;
      return this;
    }

    /** Extra provenance (manifest SHA-256, command line). */
    public Builder provenance(String key, Object value) {
      provenance.put(key, value);
      return this;
    }

    public Dime build() {
      return new Dime(this);
    }
  }
}
