package io.dime.reproduce;

import static java.util.Objects.requireNonNull;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.ModalityExplanation;
import io.dime.api.MultimodalModel;
import io.dime.api.OutputKind;
import io.dime.api.RecordError;
import io.dime.api.SurrogateFit;
import io.dime.api.Term;
import io.dime.core.Dime;
import io.dime.core.DimeBuilder;
import io.dime.core.Targets;
import io.dime.core.infer.JavaModels;
import io.dime.core.infer.OutputTransform;
import io.dime.core.job.ExplanationJob;
import io.dime.core.modality.VectorModality;
import io.dime.core.pipeline.EngineSettings;
import io.dime.core.surrogate.Lime;
import io.dime.reproduce.SyntheticTasks.Split;
import io.dime.reproduce.SyntheticTasks.SyntheticPoint;
import io.dime.reproduce.SyntheticTasks.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The paper's synthetic experiment (Table 2), generalised to k modalities: explain P test points of
 * a synthetic task and correlate each explanation's 10 weights with the ground-truth terms of the
 * generating function (d1, d2, d1*d2, ...). Reference pool: the task's validation split.
 *
 * <p>Rows: for modality m, {@code UC<m>}, {@code MI<m>}, {@code LIME<m>} (plain LIME on M), and for
 * k > 2 every term containing m ({@code g12@1}). Own truths: UC_m is d_m; MI_m is the sum of the
 * interaction truths containing m; a term's own truth is its product; LIME_m is compared with d_m.
 * The cross excess of a DIME row against another truth T is r(row, T) - r(own truth, T), averaged
 * over points (DESIGN.md "Measuring faithfulness").
 */
public final class SyntheticReproduction {
  /**
   * Settings of one run.
   *
   * @param task the synthetic task
   * @param points test points explained
   * @param engine the engine's settings (estimator, references, samples, surrogate "lime" or
   *     "kernel_shap", seed, threads, replicates, explained scores)
   * @param batchSize rows per model call
   */
  public record Config(Task task, int points, EngineSettings engine, int batchSize) {
    public Config {
      requireNonNull(task, "task is null");
      requireNonNull(engine, "engine is null");
      if (points < 1
          || engine.references() < 1
          || engine.samplesFor(task.modalities()) < 2
          || engine.threads() < 1
          || batchSize < 1
          || engine.replicates() < 1) {
        throw new IllegalArgumentException(
            "points, references, threads, batch size and replicates must be >= 1");
      }
    }

    /** The defaults of the paper's experiment (LIME, one replicate) for the other settings. */
    public static Config of(
        Task task,
        int points,
        int references,
        int samples,
        String estimator,
        long seed,
        int threads,
        int batchSize) {
      return new Config(
          task,
          points,
          new EngineSettings(
              estimator,
              references,
              java.util.Optional.empty(),
              samples,
              "lime",
              seed,
              threads,
              1,
              java.util.Optional.empty(),
              io.dime.core.Presets.DEFAULT),
          batchSize);
    }
  }

  private SyntheticReproduction() {}

  /** The generating function itself as a Java model: outputs [-y, y] (k2) or [y] (regression). */
  public static MultimodalModel analyticModel(Task task) {
    return JavaModels.of(
        "analytic " + task.id(),
        task.isClassification() ? 2 : 1,
        task.isClassification() ? OutputKind.LOGITS : OutputKind.REGRESSION,
        row -> {
          double[][] parts = new double[row.length][];
          for (int j = 0; j < row.length; j++) {
            parts[j] = (double[]) row[j];
          }
          double y = SyntheticTasks.target(task, parts);
          return task.isClassification() ? new double[] {-y, y} : new double[] {y};
        });
  }

  /** The vector modalities d1..dk, each filling the model input of the same name. */
  public static List<VectorModality> modalities(Task task) {
    List<VectorModality> out = new ArrayList<>();
    for (int m = 1; m <= task.modalities(); m++) {
      out.add(VectorModality.of("d" + m, SyntheticTasks.DIM));
    }
    return out;
  }

  static Datapoint datapoint(String id, SyntheticPoint p) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int m = 0; m < p.modalities(); m++) {
      values.put("d" + (m + 1), p.part(m));
    }
    return new Datapoint(id, values, java.util.Optional.of(Integer.toString(p.label())));
  }

  /** Test accuracy (classification) or R^2 (regression) of a model on the task's test split. */
  public static double modelScore(Task task, MultimodalModel model, int batchSize) {
    return modelScore(task, testOutputs(task, model, batchSize));
  }

  private static double modelScore(Task task, double[][] out) {
    List<SyntheticPoint> test = SyntheticTasks.split(task, Split.TEST);
    double correct = 0;
    double ssRes = 0;
    double mean = 0;
    for (SyntheticPoint p : test) {
      mean += p.y() / test.size();
    }
    double ssTot = 0;
    for (int i = 0; i < test.size(); i++) {
      SyntheticPoint p = test.get(i);
      double[] y = out[i];
      if (task.isClassification()) {
        correct += (y[1] > y[0] ? 1 : 0) == p.label() ? 1 : 0;
      } else {
        ssRes += (y[0] - p.y()) * (y[0] - p.y());
        ssTot += (p.y() - mean) * (p.y() - mean);
      }
    }
    return task.isClassification() ? correct / test.size() : 1 - ssRes / ssTot;
  }

  /**
   * Pearson correlation, over the task's test split, between the explained score and the generating
   * function y. The score is the explained class's output (label 1, or the regression output) after
   * {@code transform}, the engine's own (for a two-class model with centred logits, (z1 - z0) / 2).
   * A model-only figure: the ground-truth terms (d1, d1*d2, ...) are the terms of y, so they are
   * the true explanation of the score only as far as the score is linear in y (see
   * results/paper-algorithm-check.md).
   */
  public static double explainedScoreVsY(
      Task task, MultimodalModel model, int batchSize, OutputTransform transform) {
    return explainedScoreVsY(task, testOutputs(task, model, batchSize), transform);
  }

  private static double explainedScoreVsY(Task task, double[][] out, OutputTransform transform) {
    List<SyntheticPoint> test = SyntheticTasks.split(task, Split.TEST);
    int explained = task.isClassification() ? 1 : 0;
    double[] score = new double[test.size()];
    double[] y = new double[test.size()];
    for (int i = 0; i < score.length; i++) {
      score[i] = transform.apply(out[i].clone())[explained];
      y[i] = test.get(i).y();
    }
    return pearson(score, y);
  }

  /** The model's outputs on the task's test split, in order. */
  private static double[][] testOutputs(Task task, MultimodalModel model, int batchSize) {
    List<SyntheticPoint> test = SyntheticTasks.split(task, Split.TEST);
    double[][] all = new double[test.size()][];
    for (int start = 0; start < test.size(); start += batchSize) {
      List<Object[]> rows = new ArrayList<>();
      int end = Math.min(test.size(), start + batchSize);
      for (int i = start; i < end; i++) {
        SyntheticPoint p = test.get(i);
        Object[] row = new Object[p.modalities()];
        for (int m = 0; m < row.length; m++) {
          row[m] = p.part(m);
        }
        rows.add(row);
      }
      double[][] out = model.predict(rows);
      System.arraycopy(out, 0, all, start, end - start);
    }
    return all;
  }

  private static io.dime.spi.Surrogate surrogate(String name) {
    return switch (name) {
      case "lime" -> Lime.defaults();
      case "kernel_shap", "kernel-shap" -> io.dime.core.surrogate.KernelShap.defaults();
      default ->
          throw new IllegalArgumentException(
              "no surrogate '" + name + "'; available: [lime, kernel_shap]");
    };
  }

  /** Grid side of the global analysis: n^k model passes. */
  static int globalReferences(int k) {
    return k <= 2 ? 100 : k == 3 ? 30 : 12;
  }

  /** One ground-truth term of the generating function: a subset and its per-feature values. */
  record Truth(String key, Term term) {
    double[] values(SyntheticPoint p) {
      double[] v = new double[SyntheticTasks.DIM];
      java.util.Arrays.fill(v, 1.0);
      for (int m : term.modalities()) {
        for (int i = 0; i < v.length; i++) {
          v[i] *= p.parts()[m][i];
        }
      }
      return v;
    }
  }

  /** The terms present in the task's function, as (key, term). */
  static List<Truth> truths(Task task) {
    List<Truth> out = new ArrayList<>();
    for (int m = 0; m < task.modalities(); m++) {
      out.add(new Truth("d" + (m + 1), Term.of(m)));
    }
    out.add(new Truth("d1*d2", Term.of(0, 1)));
    if (task != Task.K2) {
      out.add(new Truth("d2*d3", Term.of(1, 2)));
      out.add(new Truth("d1*d2*d3", Term.of(0, 1, 2)));
    }
    if (task == Task.K4) {
      out.add(new Truth("d3*d4", Term.of(2, 3)));
    }
    return out;
  }

  /** What explaining the test points gave: the scores and the passes, and what failed. */
  private record Scored(
      Map<String, Stats> corr,
      Map<String, Stats> cross,
      Map<String, Stats> absent,
      long[] passes,
      List<String> failures,
      double seconds) {}

  /** Runs the experiment; {@code progress} gets the number of finished points. */
  public static Map<String, Object> run(
      Config cfg, MultimodalModel model, String modelName, Consumer<Integer> progress) {
    Task task = cfg.task();
    List<SyntheticPoint> test = SyntheticTasks.split(task, Split.TEST);
    if (cfg.points() > test.size()) {
      throw new IllegalArgumentException(
          "at most " + test.size() + " test points, asked for " + cfg.points());
    }
    Dime dime = engine(cfg, model);
    long prep = dime.preparationRows();
    int explainedClass = task.isClassification() ? 1 : 0;
    Scored scored = explain(cfg, dime, test, explainedClass, progress);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("schemaVersion", 1);
    out.put("experiment", "synthetic");
    out.put("task", task.id());
    out.put("model", modelName);
    double[][] testOut = testOutputs(task, model, cfg.batchSize());
    out.put(task.isClassification() ? "modelAccuracy" : "modelR2", modelScore(task, testOut));
    out.put("explainedScoreVsY", explainedScoreVsY(task, testOut, dime.scoreTransform()));
    out.put("points", cfg.points());
    out.put("references", cfg.engine().references());
    out.put("samples", cfg.engine().samplesFor(cfg.task().modalities()));
    out.put("estimator", cfg.engine().estimator());
    if (cfg.engine().hasPreset()) {
      out.put("preset", cfg.engine().preset());
    }
    out.put("seed", cfg.engine().seed());
    out.put("surrogate", cfg.engine().surrogate());
    out.put("replicates", cfg.engine().replicates());
    out.put("explainedClass", explainedClass);
    out.put("correlations", table(scored.corr(), false));
    out.put("correlationErrors", table(scored.corr(), true));
    out.put("crossExcess", table(scored.cross(), false));
    out.put("crossExcessErrors", table(scored.cross(), true));
    if (!scored.absent().isEmpty()) {
      out.put("absentTermMaxAbsWeight", absentTerms(scored.absent()));
    }
    out.put("forwardPasses", passes(cfg.points() - scored.failures().size(), scored, prep));
    out.put("globalAnalysis", global(task, dime));
    out.put("secondsPerPoint", scored.seconds() / cfg.points());
    out.put("threads", cfg.engine().threads());
    out.put("failedPoints", scored.failures());
    out.put("provenance", dime.provenance());
    return out;
  }

  /** The engine of the run: the validation split is the pool. */
  private static Dime engine(Config cfg, MultimodalModel model) {
    return builder(cfg, model).build();
  }

  /**
   * The run's engine, not yet built (what {@code --dry-run} measures with): the task's vector
   * modalities, the validation split as the pool, the settings of {@code cfg}, no faithfulness
   * measures.
   */
  public static DimeBuilder builder(Config cfg, MultimodalModel model) {
    Task task = cfg.task();
    List<SyntheticPoint> valid = SyntheticTasks.split(task, Split.VALID);
    List<Datapoint> pool = new ArrayList<>();
    for (int i = 0; i < valid.size(); i++) {
      pool.add(datapoint("valid-" + i, valid.get(i)));
    }
    DimeBuilder b = Dime.builder();
    modalities(task).forEach(b::modality);
    b.model(model)
        .referencePool(pool)
        .estimator(cfg.engine().estimatorInstance())
        .surrogate(surrogate(cfg.engine().surrogate()))
        .replicates(cfg.engine().replicates())
        .inferenceThreads(cfg.engine().threads())
        .samples(cfg.engine().samplesFor(cfg.task().modalities()))
        .seed(cfg.engine().seed())
        .batchSize(cfg.batchSize());
    cfg.engine().centeredScores().ifPresent(b::centeredScores);
    cfg.engine().recordPreset(b);
    // scored against the ground-truth terms; the per-explanation faithfulness measures would only
    // add passes (and change the paper's pass budget reported here)
    return b.noFaithfulness();
  }

  /** The first {@code points} test points of the task, as the run explains them. */
  public static List<Datapoint> testPoints(Task task, int points) {
    List<SyntheticPoint> test = SyntheticTasks.split(task, Split.TEST);
    List<Datapoint> out = new ArrayList<>();
    for (int i = 0; i < Math.min(points, test.size()); i++) {
      out.add(datapoint("test-" + i, test.get(i)));
    }
    return out;
  }

  /** The class the run explains: 1 for the classification task, the output (0) otherwise. */
  public static int explainedClass(Task task) {
    return task.isClassification() ? 1 : 0;
  }

  /** Explains the first test points through an explanation job and scores each explanation. */
  private static Scored explain(
      Config cfg,
      Dime dime,
      List<SyntheticPoint> test,
      int explainedClass,
      Consumer<Integer> progress) {
    Task task = cfg.task();
    long t0 = System.nanoTime();
    List<Datapoint> points = new ArrayList<>();
    for (int i = 0; i < cfg.points(); i++) {
      points.add(datapoint("test-" + i, test.get(i)));
    }
    List<Truth> truths = truths(task);
    Scored s =
        new Scored(
            new LinkedHashMap<>(),
            new LinkedHashMap<>(),
            new LinkedHashMap<>(),
            new long[3],
            new ArrayList<>(),
            0);
    int[] done = {0};
    ExplanationJob.explainAll(
        dime,
        points,
        Targets.classes(Integer.toString(explainedClass)),
        cfg.engine().threads(),
        r -> {
          if (r instanceof RecordError err) {
            s.failures().add(err.id().orElse("") + ": " + err.message());
          } else {
            Explanation e = (Explanation) r;
            int idx = Integer.parseInt(e.id().substring("test-".length()));
            ClassExplanation c = e.forClass(explainedClass);
            score(task, test.get(idx), c, truths, s.corr(), s.cross(), s.absent());
            s.passes()[0] += e.passes().rows();
            s.passes()[1] += e.passes().cachedRows();
            s.passes()[2] = e.passes().formula();
          }
          progress.accept(++done[0]);
        });
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Scored(s.corr(), s.cross(), s.absent(), s.passes(), s.failures(), seconds);
  }

  /** Per absent term: the largest |weight| of each explanation, averaged and at its worst. */
  private static Map<String, Map<String, Double>> absentTerms(Map<String, Stats> absent) {
    Map<String, Map<String, Double>> abs = new LinkedHashMap<>();
    absent.forEach(
        (row, st) -> {
          Map<String, Double> cell = new LinkedHashMap<>();
          cell.put("mean", st.means().get("maxAbsWeight"));
          cell.put("worstPoint", st.max("maxAbsWeight"));
          // The share of its weights farther than 2 standard errors from 0: about 0.05 when the
          // reported errors cover the estimator's noise.
          cell.put("shareBeyond2se", st.means().get("beyond2se"));
          abs.put(row, cell);
        });
    return abs;
  }

  private static Map<String, Object> passes(int ok, Scored s, long prep) {
    long[] passes = s.passes();
    Map<String, Object> fp = new LinkedHashMap<>();
    fp.put("total", passes[0] + prep);
    fp.put("preparation", prep);
    fp.put("perPoint", ok == 0 ? 0 : (double) passes[0] / ok);
    fp.put("cachedPerPoint", ok == 0 ? 0 : (double) passes[1] / ok);
    fp.put("formulaPerPoint", passes[2]);
    return fp;
  }

  private static Map<String, Object> global(Task task, Dime dime) {
    io.dime.api.run.GlobalShares global = dime.globalAnalysis(globalReferences(task.modalities()));
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("references", global.references());
    g.put("rows", global.rows());
    g.put("varianceShares", global.shares());
    g.put("additiveShare", global.additiveShare());
    if (task.isClassification()) {
      g.put("modelAccuracyOnGrid", global.modelAccuracy());
      g.put("additiveProjectionAccuracy", global.additiveAccuracy());
    }
    return g;
  }

  private static void score(
      Task task,
      SyntheticPoint p,
      ClassExplanation c,
      List<Truth> truths,
      Map<String, Stats> corr,
      Map<String, Stats> cross,
      Map<String, Stats> absent) {
    int k = task.modalities();
    Map<String, double[]> truthValues = new LinkedHashMap<>();
    for (Truth t : truths) {
      truthValues.put(t.key(), t.values(p));
    }
    for (int m = 0; m < k; m++) {
      ModalityExplanation me = c.modalities().get(m);
      String suffix = Integer.toString(m + 1);
      double[] ownMi = new double[SyntheticTasks.DIM];
      for (Truth t : truths) {
        if (t.term().order() >= 2 && t.term().contains(m)) {
          double[] v = truthValues.get(t.key());
          for (int i = 0; i < ownMi.length; i++) {
            ownMi[i] += v[i];
          }
        }
      }
      List<Object[]> rows = new ArrayList<>(); // name, weights, own truth (null for LIME)
      rows.add(new Object[] {"UC" + suffix, fit(me, "UC"), truthValues.get("d" + suffix)});
      rows.add(new Object[] {"MI" + suffix, fit(me, "MI"), ownMi});
      rows.add(new Object[] {"LIME" + suffix, fit(me, "LIME"), null});
      if (k > 2) {
        for (SurrogateFit f : me.fits()) {
          if (f.term().isPresent() && f.term().get().order() >= 2) {
            Term term = f.term().get();
            Truth own = truths.stream().filter(t -> t.term().equals(term)).findFirst().orElse(null);
            String name = term.key() + "@" + suffix;
            if (own == null) {
              double max = 0;
              double beyond = 0;
              double[] w = f.weights();
              double[] se = f.standardErrors();
              for (int i = 0; i < w.length; i++) {
                max = Math.max(max, Math.abs(w[i]));
                beyond += Math.abs(w[i]) > 2 * se[i] ? 1.0 / w.length : 0;
              }
              Stats st = absent.computeIfAbsent(name, x -> new Stats());
              st.add("maxAbsWeight", max);
              st.add("beyond2se", beyond);
              continue;
            }
            rows.add(new Object[] {name, f.weights(), truthValues.get(own.key())});
          }
        }
      }
      for (Object[] row : rows) {
        String name = (String) row[0];
        double[] w = (double[]) row[1];
        double[] own = (double[]) row[2];
        Stats s = corr.computeIfAbsent(name, x -> new Stats());
        for (Map.Entry<String, double[]> t : truthValues.entrySet()) {
          s.add(t.getKey(), pearson(w, t.getValue()));
        }
        if (own != null) {
          if (k > 2 && name.startsWith("MI")) {
            s.add("own", pearson(w, own)); // MI_m's truth is a sum of terms for k > 2
          }
          if (!name.startsWith("LIME")) {
            Stats x = cross.computeIfAbsent(name, y -> new Stats());
            for (Map.Entry<String, double[]> t : truthValues.entrySet()) {
              if (java.util.Arrays.equals(t.getValue(), own)) {
                continue; // the diagonal
              }
              x.add(t.getKey(), pearson(w, t.getValue()) - pearson(own, t.getValue()));
            }
          }
        }
      }
    }
  }

  private static double[] fit(ModalityExplanation me, String key) {
    return me.fit(key).orElseThrow(() -> new IllegalStateException("no fit " + key)).weights();
  }

  /** Pearson correlation; 0 when either side is constant. */
  static double pearson(double[] a, double[] b) {
    int n = a.length;
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < n; i++) {
      ma += a[i] / n;
      mb += b[i] / n;
    }
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < n; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
  }

  private static Map<String, Map<String, Double>> table(Map<String, Stats> stats, boolean errors) {
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    stats.forEach((row, s) -> out.put(row, errors ? s.errors() : s.means()));
    return out;
  }

  /** Running mean and standard error per column (NaN with fewer than two values). */
  static final class Stats {
    private final Map<String, double[]> acc = new LinkedHashMap<>(); // n, sum, sumSq, max

    void add(String col, double v) {
      double[] a = acc.computeIfAbsent(col, x -> new double[] {0, 0, 0, Double.NEGATIVE_INFINITY});
      a[0]++;
      a[1] += v;
      a[2] += v * v;
      a[3] = Math.max(a[3], v);
    }

    double max(String col) {
      return acc.get(col)[3];
    }

    Map<String, Double> means() {
      Map<String, Double> out = new LinkedHashMap<>();
      acc.forEach((k, a) -> out.put(k, a[1] / a[0]));
      return out;
    }

    Map<String, Double> errors() {
      Map<String, Double> out = new LinkedHashMap<>();
      acc.forEach(
          (k, a) -> {
            // one point has no spread to measure the mean's error by: NaN, not 0
            double mean = a[1] / a[0];
            double var =
                a[0] > 1 ? Math.max(0, (a[2] - a[0] * mean * mean) / (a[0] - 1)) : Double.NaN;
            out.put(k, Math.sqrt(var / a[0]));
          });
      return out;
    }
  }
}
