package io.dime.cli;

import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.MultimodalModel;
import io.dime.api.RecordError;
import io.dime.core.Dime;
import io.dime.core.DimeBuilder;
import io.dime.core.Targets;
import io.dime.core.estimate.Estimator;
import io.dime.core.estimate.Estimators;
import io.dime.core.io.Json;
import io.dime.core.job.ExplanationJob;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code dime explain --dry-run}: the forward passes each estimator would need for the manifest's
 * readable records and a time estimate from a short measured run of the real model.
 *
 * <p>Pass counts come from the engine itself ({@link Dime#passFormula(int)}, {@link
 * Dime#preparationRows()}), on an engine built exactly as the real run builds it but with a model
 * that only counts rows, so preparing (e.g. the paper-faithful N x N table) costs no real model
 * passes. The rate comes from explaining real datapoints with the real model, {@code min(threads,
 * readable)} at once on that many threads, for about three seconds of warm-up and four measured
 * seconds (see {@link #measure}), with the chosen estimator, R or N, few samples and the run's
 * faithfulness measures (see {@link #measurePlan}), so that rows reach the model in the same
 * pattern and batches as in the real run (the faithfulness curves' small batches included). The
 * estimate is the datapoints times the fitted time per datapoint plus the formula's passes times
 * the fitted time per pass of the formula (so what the duplicate-row cache saves at the measured
 * sample count is in it), plus the cold start the warm-up rounds showed (at most as much again).
 * The second measured sample count is the run's own S when affordable, where the cache saves what
 * it will.
 *
 * <p>What measuring costs is bounded ({@link DryRunBudget}), so that a dry run of a small job on a
 * slow model costs about the job at most instead of several times it: a round explains at most the
 * manifest's readable datapoints, and a round starts only while the rounds' time so far plus its
 * expected time stays within the running estimate of the job's explanations (at least {@link
 * DryRunBudget#FLOOR_SECONDS}). The round at the run's S is the first left out (then the largest
 * sample count whose round fits, if a datapoint needs twice the passes there, or none; with no
 * measured round, the warm-up is the measurement). When the rounds at the run's S explained as many
 * datapoints as the job, the report gives their time as the job's.
 */
final class DryRun {
  /** The most samples of the measured run (and at most the chosen --samples). */
  static final int MEASURE_SAMPLES = 128;

  /** The most passes one measured datapoint may need before a cheaper estimator measures. */
  static final long MAX_MEASURE_ROWS = 200_000;

  /** Warm-up rounds run until they took this long (or {@link #MAX_ROUNDS} rounds). */
  static final double WARMUP_SECONDS = 3;

  /** Measured rounds run until they took this long (or {@link #MAX_ROUNDS} rounds). */
  static final double MEASURE_SECONDS = 4;

  /**
   * Datapoints per thread in a round: a round ends when its slowest datapoint does, so rounds of
   * one datapoint per thread would measure idle threads the real run does not have.
   */
  static final int ROUND_POINTS = 4;

  /** The most warm-up rounds, and the most measured rounds. */
  static final int MAX_ROUNDS = 50;

  /** Rounds slower than this: no more rounds; the warm-up is the measurement. */
  static final double SLOW_ROUND_SECONDS = 5;

  /** Estimators in the order they are reported. */
  static final List<String> ESTIMATORS = List.of("sampled", "exact", "paper_faithful");

  /**
   * What the dry run needs from {@code dime explain}.
   *
   * @param base an engine builder with everything but the model and the estimator set, as the real
   *     run sets it (modalities, pool, surrogate, samples, seed, batch size, replicates, output
   *     kind)
   * @param model the real model
   * @param readable the manifest's readable datapoints, in file order, perhaps without their values
   * @param values the i-th datapoint of {@code readable} with its values (read again where it has
   *     none)
   * @param records the manifest's records (readable or not)
   * @param poolSize readable pool datapoints used
   * @param poolSkipped pool records that could not be read
   * @param globalGrid references per modality of the summary's global analysis
   * @param classes the --classes option (its words decide how many classes a point may explain)
   * @param written whether the run writes each explanation (dime explain: through the JSON mapping,
   *     which the rounds then time too) or keeps it in memory (the reproductions)
   */
  record Setup(
      Supplier<DimeBuilder> base,
      MultimodalModel model,
      List<Datapoint> readable,
      java.util.function.IntFunction<Datapoint> values,
      int records,
      int poolSize,
      int poolSkipped,
      int globalGrid,
      List<String> modalities,
      Targets targets,
      String classes,
      EngineOptions engine,
      int batchSize,
      boolean written) {}

  private DryRun() {}

  /** Runs the dry run, prints text or JSON to {@code out}; returns the exit code. */
  static int run(Setup s, boolean json, PrintStream out) {
    return run(s, json, out, null);
  }

  /**
   * Runs the dry run for a job that {@code --spark MASTER} would run (null: this machine). The
   * measurement is this machine's either way; for Spark the report says so, and what changes there.
   */
  @SuppressWarnings("unchecked")
  static int run(Setup s, boolean json, PrintStream out, String spark) {
    Map<String, Object> r = report(s);
    if (spark != null) {
      r.put("spark", spark);
      List<String> notes = new ArrayList<>((List<String>) r.get("notes"));
      notes.add(DryRunNotes.spark(spark));
      r.put("notes", notes);
    }
    if (json) {
      out.println(Json.pretty(r));
    } else {
      out.print(DryRunText.text(r));
    }
    return r.get("measurement") instanceof Map<?, ?> m && m.containsKey("error") ? 1 : 0;
  }

  /** The dry run's findings as plain maps and lists (the JSON of {@code --dry-run --json}). */
  static Map<String, Object> report(Setup s) {
    EngineOptions e = s.engine();
    int k = s.modalities().size();
    int threads = e.threadCount();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("schemaVersion", Explanation.SCHEMA_VERSION);
    r.put("dryRun", true);
    r.put("records", s.records());
    r.put("readable", s.readable().size());
    r.put("unreadable", s.records() - s.readable().size());
    r.put("poolSize", s.poolSize());
    r.put("poolRecordsSkipped", s.poolSkipped());
    r.put("modalities", s.modalities());
    r.put("samples", e.samples(k));
    r.put("references", e.references());
    r.put("replicates", e.replicates);
    r.put("threads", threads);
    r.put("batchSize", s.batchSize());
    String chosen = e.estimatorName().toLowerCase(Locale.ROOT).replace('-', '_');
    r.put("chosenEstimator", chosen);
    r.put("classes", s.classes());
    int[] perPoint = new int[s.readable().size()];
    for (int i = 0; i < perPoint.length; i++) {
      perPoint[i] = classesUpTo(s.classes(), s.readable().get(i), s.model().outputCount());
    }
    int most = Arrays.stream(perPoint).max().orElse(1);
    Map<String, Object> cls = new LinkedHashMap<>();
    cls.put("min", Arrays.stream(perPoint).min().orElse(1));
    cls.put("max", Math.max(1, most));
    r.put("classesPerPoint", cls);

    List<Map<String, Object>> rows = new ArrayList<>();
    for (String name : listed(chosen)) {
      rows.add(count(s, name, name.equals(chosen), perPoint, Math.max(1, most)));
    }
    for (Map<String, Object> row : rows) { // the chosen estimator's engine: the run's provenance
      Object p = row.remove("provenance");
      if (p != null) {
        r.put("provenance", p);
      }
    }
    long grid = 1;
    for (int j = 0; j < k; j++) {
      grid *= s.globalGrid();
    }
    Map<String, Object> global = new LinkedHashMap<>();
    global.put("references", s.globalGrid());
    global.put("rows", grid);
    r.put("globalAnalysis", global);
    long hiddenRows =
        2L * k * Math.min(s.poolSize(), io.dime.core.job.ExplanationJob.HIDDEN_BASELINE_RECORDS);
    Map<String, Object> hidden = new LinkedHashMap<>();
    hidden.put(
        "records", Math.min(s.poolSize(), io.dime.core.job.ExplanationJob.HIDDEN_BASELINE_RECORDS));
    hidden.put("rows", hiddenRows);
    r.put("hiddenBaseline", hidden);

    Map<String, Object> m =
        measure(s, Math.max(1, Math.min(threads, s.readable().size())), chosen, Math.max(1, most));
    r.put("measurement", m);
    Object perRow = m.get("secondsPerRow");
    double perPointSeconds =
        m.get("secondsPerPoint") instanceof Double a ? a : 0; // wall, all threads together
    double coldStart = m.get("warmupExcessSeconds") instanceof Double w ? w : 0;
    long explanations = (long) s.readable().size() * e.replicates;
    for (Map<String, Object> row : rows) {
      Object total = row.get("totalRows");
      double steady =
          perRow instanceof Double d && d > 0 && total instanceof Long t
              ? explanations * perPointSeconds + t * d
              : -1;
      row.put("estimatedSeconds", steady < 0 ? null : steady + Math.min(coldStart, steady));
    }
    global.put("estimatedSeconds", DryRunGlobal.estimate(m, s.globalGrid(), k));
    hidden.put("estimatedSeconds", perRow instanceof Double d && d > 0 ? hiddenRows * d : null);
    r.put("estimators", rows);
    r.put("notes", DryRunNotes.of(m));
    return r;
  }

  /**
   * The most classes {@code --classes} may explain for a datapoint: one for "predicted", one for
   * "label" when the datapoint has a label, one per named class, at most the model's outputs (the
   * predicted class may coincide with the others, so fewer is possible).
   */
  static int classesUpTo(String spec, Datapoint dp, int outputs) {
    boolean predicted = false;
    boolean label = false;
    java.util.Set<String> named = new java.util.LinkedHashSet<>();
    for (String part : spec.split(",")) {
      String p = part.trim();
      if (p.equals("predicted")) {
        predicted = true;
      } else if (p.equals("label")) {
        label = true;
      } else if (!p.isEmpty()) {
        named.add(p);
      }
    }
    int c = (predicted ? 1 : 0) + (label && dp.label().isPresent() ? 1 : 0) + named.size();
    return Math.max(1, Math.min(outputs, c));
  }

  /**
   * The estimators the table lists: {@link #ESTIMATORS}, and anchored (the fast preset's) when
   * chosen.
   */
  private static List<String> listed(String chosen) {
    List<String> names = new ArrayList<>(ESTIMATORS);
    if (chosen.equals("anchored")) {
      names.add(chosen);
    }
    return names;
  }

  /** Whether the estimator's size is R fresh draws per sample rather than N references. */
  static boolean drawsPerSample(String name) {
    return name.equals("sampled") || name.equals("anchored");
  }

  /**
   * The passes of one estimator, from an engine whose model only counts rows: per point for the
   * most classes a point may explain and for one, and the total over the readable datapoints, each
   * with its own class count.
   */
  private static Map<String, Object> count(
      Setup s, String name, boolean chosen, int[] classesPerPoint, int most) {
    EngineOptions e = s.engine();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("estimator", name);
    int size = e.referencesFor(name); // what choosing this estimator would run with
    row.put(drawsPerSample(name) ? "draws" : "references", size);
    row.put("chosen", chosen);
    Estimator est;
    try {
      est = Estimators.byName(name, size, null, e.limits().maxPassesPerPoint());
    } catch (IllegalArgumentException ex) {
      row.put("error", ex.getMessage());
      return row;
    }
    CountingModel counter = new CountingModel(s.model());
    Dime built;
    try { // build() refuses an estimator that cannot explain k modalities or is over its budget
      built = s.base().get().model(counter).estimator(est).build();
    } catch (IllegalArgumentException ex) {
      row.put("error", ex.getMessage());
      return row;
    }
    try (Dime d = built) {
      row.put("formulaPerPoint", d.passFormula(most));
      try {
        long prep = d.preparationRows();
        if (chosen) {
          row.put("provenance", d.provenance().toMap());
        }
        // After preparing: the references actually chosen (at most the pool).
        long formula = d.passFormula(most);
        row.put("formulaPerPoint", formula);
        row.put("formulaPerPointOneClass", d.passFormula(1));
        row.put("passesPerPoint", Math.multiplyExact(formula, (long) e.replicates));
        row.put("preparationRows", prep);
        long total = prep;
        Map<Integer, Long> byClasses = new java.util.HashMap<>();
        for (int c : classesPerPoint) {
          long f = byClasses.computeIfAbsent(c, d::passFormula);
          total = Math.addExact(total, Math.multiplyExact(f, (long) e.replicates));
        }
        row.put("totalRows", total);
      } catch (IllegalArgumentException | ArithmeticException ex) {
        row.put("error", ex.getMessage());
      }
    }
    return row;
  }

  /**
   * The measurement's estimator and sample count: the chosen estimator with the chosen R or N (so
   * rows come in the same pattern and batches as in the real run; paper-faithful, whose table would
   * cost (N - 1)^2 real passes first, is measured as sampled(N)), without the faithfulness
   * measures, and as many samples as fill about 16 batches per modality (2 to 128, at most S). An
   * estimator that would need more than {@link #MAX_MEASURE_ROWS} passes for one datapoint so is
   * replaced by sampled(min(R, 100)).
   */
  private static Object[] measurePlan(Setup s, String chosen) {
    EngineOptions e = s.engine();
    int k = s.modalities().size();
    String name = chosen.equals("exact") || chosen.equals("anchored") ? chosen : "sampled";
    int n = e.references();
    for (int attempt = 0; attempt < 2; attempt++) {
      long[] f = new long[2];
      for (int i = 0; i < 2; i++) {
        CountingModel counter = new CountingModel(s.model());
        try (Dime d =
            s.base()
                .get()
                .model(counter)
                .estimator(
                    Estimators.byName(name, n, null, s.engine().limits().maxPassesPerPoint()))
                .samples(2 + i)
                .replicates(1)
                .noFaithfulness()
                .build()) {
          d.preparationRows();
          f[i] = d.passFormula(1);
        }
      }
      long perSample = Math.max(1, f[1] - f[0]);
      long fixed = f[0] - 2 * perSample;
      long want = (16L * s.batchSize() * k + perSample - 1) / perSample;
      int samples = (int) Math.max(2, Math.min(Math.min(e.samples(k), MEASURE_SAMPLES), want));
      long rows = fixed + samples * perSample;
      if (rows <= MAX_MEASURE_ROWS || (drawsPerSample(name) && n <= 100)) {
        return new Object[] {name, n, samples, rows, fixed, perSample};
      }
      name = "sampled";
      n = Math.min(n, 100);
    }
    return new Object[] {name, n, 2, -1L, 0L, 1L};
  }

  /**
   * Explains real datapoints with the real model (see {@link #measurePlan}) at two sample counts,
   * S1 and S2 (the run's S when affordable, else 2 S1, at most the chosen S; lower or none when the
   * {@link DryRunBudget} says so), in rounds of {@link DryRunBudget#roundPoints} datapoints on
   * {@code threads} threads, after warm-up rounds at S1 (about {@link #WARMUP_SECONDS}; one round
   * when rounds are slower than {@link #SLOW_ROUND_SECONDS}). A datapoint's wall time is then
   * fitted as {@code secondsPerPoint + secondsPerRow x rows} through the two: the fixed part
   * (featurizing, segmenting, tokenizing, fitting) does not shrink with fewer samples, so dividing
   * the rows by one rate overstates small measured runs' cost per row.
   */
  private static Map<String, Object> measure(Setup s, int threads, String chosen, int classes) {
    Map<String, Object> m = new LinkedHashMap<>();
    DimeBuilder b1;
    String name;
    int n;
    int planned;
    DryRunBudget budget;
    try {
      Object[] plan = measurePlan(s, chosen);
      name = (String) plan[0];
      n = (Integer) plan[1];
      int samples = (Integer) plan[2];
      planned = plannedSecond(s, plan); // lower when the bound says so (DryRunBudget)
      budget = DryRunBudget.of(s, name, n, classes);
      m.put("estimator", name);
      m.put(drawsPerSample(name) ? "draws" : "references", n);
      m.put("samples", samples);
      m.put("samples2", planned);
      m.put("faithfulness", true);
      m.put("formulaPerPoint", plan[3]);
      if (s.readable().isEmpty()) {
        m.put("error", "the manifest has no readable record to measure with");
        return m;
      }
      b1 = measuredEngine(s, name, n, samples, threads);
    } catch (IllegalArgumentException ex) {
      m.put("error", ex.getMessage());
      return m;
    }
    int s1 = (Integer) m.get("samples");
    int points = DryRunBudget.roundPoints(threads, s.readable().size());
    try (Dime d1 = b1.build()) {
      int[] cursor = {0};
      DryRunRound warm = rounds(d1, s, threads, points, cursor, WARMUP_SECONDS, false, budget, s1);
      m.put("warmup", warm.asMap());
      if (warm.explained == 0) {
        m.put("error", "no datapoint could be explained: " + warm.error);
        return m;
      }
      DryRunRound one =
          budget.allows(warm, s1, s1, points)
              ? rounds(d1, s, threads, points, cursor, MEASURE_SECONDS / 2, true, budget, s1)
              : warm; // no measured round fits in the bound: the warm-up is the measurement
      int s2 = one.explained == 0 ? s1 : budget.secondCount(one, s1, planned, points);
      m.put("samples2", s2);
      DryRunRound two = one;
      if (s2 > s1) {
        try (Dime d2 = measuredEngine(s, name, n, s2, threads).build()) {
          two = rounds(d2, s, threads, points, cursor, MEASURE_SECONDS / 2, true, budget, s2);
        }
      }
      m.put("threads", threads);
      m.put("roundPoints", points);
      m.put("rounds", one.rounds + (two == one ? 0 : two.rounds));
      m.put("datapoints", one.explained + (two == one ? 0 : two.explained));
      m.put("rows", one.rows + (two == one ? 0 : two.rows));
      m.put("cachedRows", one.cached + (two == one ? 0 : two.cached));
      m.put("seconds", one.seconds + (two == one ? 0 : two.seconds));
      m.put("first", one.asMap());
      m.put("second", two.asMap());
      if (one.explained == 0 || two.explained == 0 || one.seconds <= 0 || two.seconds <= 0) {
        m.put("error", "the measured datapoints could not be explained: " + one.error + two.error);
        return m;
      }
      budget.report(m, warm, one, two, s1, s2, planned);
      double[] fit = DryRunRound.fit(one, two);
      m.put("secondsPerPoint", fit[0]);
      m.put("secondsPerRow", fit[1]);
      // What the cold start cost: the warm-up rounds' time beyond what the same work takes warm.
      // A run pays it once (the JIT compiles while it explains), at most doubling a short run.
      m.put("warmupExcessSeconds", one == warm ? 0.0 : DryRunRound.warmupExcess(warm, fit));
      // The share of the formula's rows that reached the model at the larger sample count (a
      // repeated mask's rows are cached), for information: the fit is per formula row, so the
      // time per row already includes what the cache saves at that sample count.
      m.put("sentFraction", two.rows / (double) Math.max(1, two.rows + two.cached));
      m.put("rowsPerSecond", 1 / fit[1]);
      m.put("modelRowsPerSecond", (one.rows + two.rows) / (one.seconds + two.seconds));
      m.putAll(DryRunGlobal.measure(d1, s.globalGrid(), s.modalities().size()));
      return m;
    } catch (RuntimeException ex) {
      m.put("error", String.valueOf(ex.getMessage()));
      return m;
    }
  }

  /**
   * The second count of {@link #measurePlan}'s {@code plan}: the run's own S when a datapoint at S
   * stays affordable (then the estimate need not extrapolate in S: costs per sample and the share
   * of repeated masks both change with S), else twice the first.
   */
  private static int plannedSecond(Setup s, Object[] plan) {
    int samples = (Integer) plan[2];
    int runS = s.engine().samples(s.modalities().size());
    long atRunS = (Long) plan[4] + (long) runS * (Long) plan[5];
    return (Long) plan[3] > 0 && atRunS <= 4 * MAX_MEASURE_ROWS
        ? Math.max(samples, runS)
        : Math.max(samples, Math.min(runS, 2 * samples));
  }

  /** An engine measured on {@code threads} threads, its batches sized for that many at once. */
  private static DimeBuilder measuredEngine(Setup s, String name, int n, int samples, int threads) {
    return s.base()
        .get()
        .pointsAtOnce(threads)
        .model(s.model())
        .estimator(Estimators.byName(name, n, null, s.engine().limits().maxPassesPerPoint()))
        .samples(samples)
        .replicates(1); // the run's faithfulness measures: their curves come in small batches
  }

  /**
   * Rounds of {@code points} datapoints at {@code samples} until they took {@code seconds} (or
   * {@link #MAX_ROUNDS}; one round when a round is slower than {@link #SLOW_ROUND_SECONDS}; no
   * further round past the {@link DryRunBudget}); at least one round, and, when {@code twoAtLeast},
   * two unless rounds are slow or the budget says no.
   */
  private static DryRunRound rounds(
      Dime d,
      Setup s,
      int threads,
      int points,
      int[] cursor,
      double seconds,
      boolean twoAtLeast,
      DryRunBudget budget,
      int samples) {
    DryRunRound all = new DryRunRound();
    do {
      DryRunRound r = round(d, s, threads, points, cursor[0]);
      cursor[0] += points;
      all.add(r);
      budget.spend(r.seconds);
      if (r.explained == 0) {
        return all;
      }
    } while ((all.seconds < seconds || (twoAtLeast && all.rounds < 2))
        && all.rounds < MAX_ROUNDS
        && all.seconds / all.rounds < SLOW_ROUND_SECONDS
        && budget.allows(all, samples, samples, points));
    return all;
  }

  /**
   * Explains {@code count} readable datapoints from {@code cursor} on (cyclically) on {@code
   * threads} threads.
   */
  private static DryRunRound round(Dime d, Setup s, int threads, int count, int cursor) {
    List<Datapoint> points = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      points.add(s.values().apply((cursor + i) % s.readable().size()));
    }
    DryRunRound r = new DryRunRound();
    r.rounds = 1;
    long t0 = System.nanoTime();
    ExplanationJob.explainAll(
        d,
        points,
        s.targets(),
        threads,
        res -> {
          if (res instanceof Explanation x) {
            r.rows += x.passes().rows();
            r.cached += x.passes().cachedRows();
            r.explained++;
          } else if (res instanceof RecordError err) {
            r.error =
                "record '" + err.id().orElse("") + "' (" + err.stage() + "): " + err.message();
          }
        },
        s.written()); // through the JSON mapping when the run's job writes its results
    r.seconds = (System.nanoTime() - t0) / 1e9;
    return r;
  }
}
