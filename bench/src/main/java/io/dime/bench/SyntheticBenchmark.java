package io.dime.bench;

import io.dime.adapter.onnx.OnnxModelAdapter;
import io.dime.api.Datapoint;
import io.dime.api.ElementType;
import io.dime.api.Explanation;
import io.dime.api.OutputKind;
import io.dime.api.Tensor;
import io.dime.core.Dime;
import io.dime.core.DimeBuilder;
import io.dime.core.Targets;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.EncodedModel;
import io.dime.reproduce.SyntheticModels;
import io.dime.reproduce.SyntheticReproduction;
import io.dime.reproduce.SyntheticTasks;
import io.dime.reproduce.SyntheticTasks.Split;
import io.dime.reproduce.SyntheticTasks.SyntheticPoint;
import io.dime.reproduce.SyntheticTasks.Task;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelSignature;
import io.dime.spi.PluginConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Seconds per explained point of the synthetic experiment (the committed ONNX MLP, label 1, S =
 * 1000, R = N = 100), and the model-only time for the same number of rows: batches of pre-encoded
 * rows fed straight to ONNX Runtime, with no DIME code in the loop.
 *
 * <p>Each benchmark runs with two JMH threads or one; on a 2-core machine the explain benchmarks
 * use two concurrent datapoints with one ONNX thread each (what {@code dime reproduce} does).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx4g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class SyntheticBenchmark {
  /** Rows per explained point of the default run: 1 + 3R + 2 S (R + 1). */
  public static final long ROWS_SAMPLED = 1 + 3 * 100 + 2L * 1000 * 101;

  @State(Scope.Benchmark)
  public static class Explain {
    @Param({"sampled", "paper_faithful"})
    public String estimator;

    @Param({"1024"})
    public int batchSize;

    @Param({"1", "2"})
    public int inferenceThreads;

    /**
     * {@code onnx}: the committed model; {@code none}: the same signature, every output 0 and no
     * runtime call, which leaves the framework's own cost per point.
     */
    @Param({"onnx"})
    public String model;

    /** Whether the model runs on its own threads (true) or on the explaining thread (false). */
    @Param({"true"})
    public boolean pipelined;

    Dime dime;
    List<Datapoint> points;
    final AtomicInteger next = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() {
      int cores = Runtime.getRuntime().availableProcessors();
      OnnxModelAdapter onnx = openModel(1);
      ModelAdapter adapter = model.equals("none") ? new Wrapped(onnx, false) : onnx;
      dime =
          builder(adapter, estimator, batchSize)
              .inferenceThreads(inferenceThreads)
              .pipelined(pipelined)
              .build();
      dime.preparationRows();
      points = testPoints(1000);
      if (cores < 2) {
        System.err.println("warning: fewer than 2 cores");
      }
    }

    Datapoint nextPoint() {
      return points.get(Math.floorMod(next.getAndIncrement(), points.size()));
    }
  }

  /**
   * The default run's engine on {@code adapter}: the synthetic task's two vector modalities, the
   * validation split as the pool, S = 1000, each estimator at its default size (sampled R = 50
   * since issue 18, paper-faithful N = 100). The figures in BENCHMARKS.md are for the explanation
   * itself, as {@code reproduce synthetic} runs it: faithfulness measures off.
   */
  static DimeBuilder builder(ModelAdapter adapter, String estimator, int batchSize) {
    EncodedModel encoded =
        new EncodedModel(
            List.copyOf(SyntheticReproduction.modalities(Task.K2)),
            adapter,
            null,
            OutputKind.LOGITS,
            null);
    List<Datapoint> pool = new ArrayList<>();
    List<SyntheticPoint> valid = SyntheticTasks.split(Task.K2, Split.VALID);
    for (int i = 0; i < valid.size(); i++) {
      pool.add(datapoint("valid-" + i, valid.get(i)));
    }
    DimeBuilder b = Dime.builder();
    SyntheticReproduction.modalities(Task.K2).forEach(b::modality);
    return b.model(encoded)
        .referencePool(pool)
        .estimator(Estimators.byName(estimator, Estimators.defaultSize(estimator)))
        .samples(1000)
        .batchSize(batchSize)
        .noFaithfulness();
  }

  /**
   * The ONNX model seen through a wrapper: {@code callModel} true runs it and records every batch's
   * inputs; false answers every row with zeros without calling it (the framework's own cost).
   */
  static final class Wrapped implements ModelAdapter {
    private final OnnxModelAdapter inner;
    private final boolean callModel;
    final List<Map<String, Tensor>> batches =
        java.util.Collections.synchronizedList(new ArrayList<>());

    Wrapped(OnnxModelAdapter inner, boolean callModel) {
      this.inner = inner;
      this.callModel = callModel;
    }

    @Override
    public ModelSignature signature() {
      return inner.signature();
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
      if (callModel) {
        batches.add(Map.copyOf(inputs));
        return inner.run(inputs, outputNames);
      }
      long n = inputs.values().iterator().next().shape()[0];
      float[] y = new float[(int) n * 2];
      return Map.of(
          "logits", new Tensor("logits", ElementType.FLOAT32, new long[] {n, 2}, y, null));
    }

    @Override
    public Map<String, Object> provenance() {
      return inner.provenance();
    }

    @Override
    public void close() {
      if (!callModel) {
        inner.close();
      }
    }
  }

  static Datapoint datapoint(String id, SyntheticPoint p) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("d1", p.part(0));
    values.put("d2", p.part(1));
    return new Datapoint(id, values, Optional.of(Integer.toString(p.label())));
  }

  /** One explained point per call per thread; two threads as in {@code dime reproduce}. */
  @Benchmark
  @Threads(2)
  public Explanation explainTwoThreads(Explain s) {
    return s.dime.explain(s.nextPoint(), Targets.classes("1"));
  }

  @State(Scope.Thread)
  public static class ModelOnly {
    @Param({"256", "1024", "4096"})
    public int batchSize;

    @Param({"1", "2"})
    public int ortThreads;

    OnnxModelAdapter adapter;
    Map<String, Tensor> inputs;

    @Setup(Level.Trial)
    public void setUp() {
      adapter = openModel(ortThreads);
      List<SyntheticPoint> valid = SyntheticTasks.split(Task.K2, Split.VALID);
      float[] d1 = new float[batchSize * 10];
      float[] d2 = new float[batchSize * 10];
      for (int i = 0; i < batchSize; i++) {
        SyntheticPoint p = valid.get(i % valid.size());
        for (int j = 0; j < 10; j++) {
          d1[i * 10 + j] = (float) p.parts()[0][j];
          d2[i * 10 + j] = (float) p.parts()[1][j];
        }
      }
      inputs = new LinkedHashMap<>();
      inputs.put("d1", new Tensor("d1", ElementType.FLOAT32, new long[] {batchSize, 10}, d1, null));
      inputs.put("d2", new Tensor("d2", ElementType.FLOAT32, new long[] {batchSize, 10}, d2, null));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      adapter.close();
    }
  }

  /** One batch of pre-encoded rows through ONNX Runtime, one caller. */
  @Benchmark
  @Threads(1)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Map<String, Tensor> modelOnlyOneCaller(ModelOnly s) {
    return s.adapter.run(s.inputs, List.of("logits"));
  }

  /** The same with two concurrent callers (as two datapoints explained at once). */
  @Benchmark
  @Threads(2)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Map<String, Tensor> modelOnlyTwoCallers(ModelOnly s) {
    return s.adapter.run(s.inputs, List.of("logits"));
  }

  /**
   * The exact batches that explaining one point sends to the model (recorded once from a real
   * explanation, estimator as in {@link Explain}), replayed straight into ONNX Runtime: the model
   * alone for the same rows, with inputs as cold or warm in the caches as they really are.
   */
  @State(Scope.Thread)
  public static class Replay {
    @Param({"sampled", "paper_faithful"})
    public String estimator;

    @Param({"1024"})
    public int batchSize;

    OnnxModelAdapter adapter;
    List<Map<String, Tensor>> batches;
    long rows;

    @Setup(Level.Trial)
    public void setUp() {
      adapter = openModel(1);
      batches = recordPoint(adapter, estimator, batchSize);
      rows = batches.stream().mapToLong(m -> m.values().iterator().next().shape()[0]).sum();
      System.err.println("replay: " + batches.size() + " batches, " + rows + " rows per point");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      adapter.close();
    }
  }

  /**
   * The rows that explaining one point sends to the model (recorded once from a real explanation,
   * estimator as in {@link Explain}, the engine's batch size 1024), re-batched into uniform batches
   * of {@code batchSize} rows: the model alone for the same rows, at whichever batch size and
   * thread count suits it best.
   */
  @State(Scope.Thread)
  public static class SameRows {
    @Param({"sampled", "paper_faithful"})
    public String estimator;

    @Param({"256", "1024", "4096"})
    public int batchSize;

    @Param({"1", "2"})
    public int ortThreads;

    OnnxModelAdapter adapter;
    List<Map<String, Tensor>> batches;

    @Setup(Level.Trial)
    public void setUp() {
      adapter = openModel(ortThreads);
      batches = rebatch(recordPoint(adapter, estimator, 1024), batchSize);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      adapter.close();
    }
  }

  /** The first {@code n} test points of the k2 task, as datapoints. */
  static List<Datapoint> testPoints(int n) {
    List<SyntheticPoint> test = SyntheticTasks.split(Task.K2, Split.TEST);
    List<Datapoint> points = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      points.add(datapoint("test-" + i, test.get(i)));
    }
    return points;
  }

  /** Runs {@code job} for threads 0 and 1 on {@code pool} at once; returns the wall time in ms. */
  static double onTwoThreads(
      java.util.concurrent.ExecutorService pool, java.util.function.IntFunction<?> job)
      throws Exception {
    long t0 = System.nanoTime();
    List<java.util.concurrent.Future<?>> jobs = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      int thread = t;
      jobs.add(pool.submit(() -> job.apply(thread)));
    }
    for (java.util.concurrent.Future<?> f : jobs) {
      f.get();
    }
    return (System.nanoTime() - t0) / 1e6;
  }

  /** The committed synthetic MLP with {@code ortThreads} ONNX Runtime intra-op threads. */
  static OnnxModelAdapter openModel(int ortThreads) {
    return OnnxModelAdapter.open(
        SyntheticModels.file("synthetic_mlp.onnx").toString(),
        PluginConfig.of("onnx", OnnxModelAdapter.THREADS, ortThreads));
  }

  /**
   * The batches that explaining test point 0 sends to {@code adapter} (estimator as in {@link
   * Explain}, the given engine batch size), recorded from a real explanation.
   */
  static List<Map<String, Tensor>> recordPoint(
      OnnxModelAdapter adapter, String estimator, int batchSize) {
    return recordPoints(adapter, estimator, batchSize, 1).get(0);
  }

  /**
   * For each of the first {@code n} test points, the batches that explaining it sends to {@code
   * adapter} (one engine, estimator as in {@link Explain}), recorded from real explanations.
   */
  static List<List<Map<String, Tensor>>> recordPoints(
      OnnxModelAdapter adapter, String estimator, int batchSize, int n) {
    Wrapped rec = new Wrapped(adapter, true);
    List<List<Map<String, Tensor>>> out = new ArrayList<>();
    try (Dime dime = builder(rec, estimator, batchSize).build()) {
      dime.preparationRows();
      List<Datapoint> points = testPoints(n);
      for (Datapoint p : points) {
        rec.batches.clear(); // keep only the point's own batches, not the preparation's
        dime.explain(p, Targets.classes("1"));
        out.add(List.copyOf(rec.batches));
      }
    }
    return out;
  }

  /** Runs every batch through the model; returns the number of outputs seen. */
  static int runAll(OnnxModelAdapter adapter, List<Map<String, Tensor>> batches) {
    int n = 0;
    for (Map<String, Tensor> batch : batches) {
      n += adapter.run(batch, List.of("logits")).size();
    }
    return n;
  }

  /**
   * The recorded batches' rows, in order, cut into batches of {@code size} rows (the last may be
   * short).
   */
  static List<Map<String, Tensor>> rebatch(List<Map<String, Tensor>> recorded, int size) {
    List<String> names = List.copyOf(recorded.get(0).keySet());
    Map<String, float[]> all = new LinkedHashMap<>();
    Map<String, Integer> width = new LinkedHashMap<>();
    long total = recorded.stream().mapToLong(m -> m.get(names.get(0)).shape()[0]).sum();
    for (String name : names) {
      Tensor first = recorded.get(0).get(name);
      int w = (int) (first.size() / first.shape()[0]);
      width.put(name, w);
      float[] data = new float[(int) total * w];
      int at = 0;
      for (Map<String, Tensor> batch : recorded) {
        float[] f = batch.get(name).floats();
        System.arraycopy(f, 0, data, at, f.length);
        at += f.length;
      }
      all.put(name, data);
    }
    List<Map<String, Tensor>> out = new ArrayList<>();
    for (int start = 0; start < total; start += size) {
      int n = (int) Math.min(size, total - start);
      Map<String, Tensor> batch = new LinkedHashMap<>();
      for (String name : names) {
        int w = width.get(name);
        float[] rows = java.util.Arrays.copyOfRange(all.get(name), start * w, (start + n) * w);
        batch.put(name, new Tensor(name, ElementType.FLOAT32, new long[] {n, w}, rows, null));
      }
      out.add(batch);
    }
    System.err.println(
        "same rows: "
            + out.size()
            + " batches of up to "
            + size
            + ", "
            + total
            + " rows per point");
    return out;
  }

  /**
   * One point's rows, re-batched, through ONNX Runtime per call, two callers at once: ms per op is
   * directly comparable with {@link #explainTwoThreads}.
   */
  @Benchmark
  @Threads(2)
  public int modelOnlySameRowsTwoCallers(SameRows s) {
    return runAll(s.adapter, s.batches);
  }

  /** The same with one caller. */
  @Benchmark
  @Threads(1)
  public int modelOnlySameRowsOneCaller(SameRows s) {
    return runAll(s.adapter, s.batches);
  }

  /**
   * One point's recorded batches through ONNX Runtime per call, two callers at once (as two
   * datapoints explained at once): ms per op is directly comparable with {@link
   * #explainTwoThreads}.
   */
  @Benchmark
  @Threads(2)
  public int modelOnlyReplayTwoCallers(Replay s) {
    return runAll(s.adapter, s.batches);
  }

  /**
   * The explanation and the model alone on the same rows, interleaved within one JMH op, so that
   * both see the machine in the same state: each op explains two points on two threads (the default
   * engine, two inference threads) and then runs, on two threads, the rows that explaining each of
   * those two points sent, through the model alone (or the other way round, alternating). The ops
   * cycle through the first {@link #RECORDED} test points, whose rows are recorded from real
   * explanations before the trial. The phases' times are reported as the secondary results {@code
   * explainMs} and {@code modelMs} (sums over the iteration's ops); their quotient is the overhead
   * ratio against the same rows.
   *
   * <p>Until 2026-12-03 (fourth pass of issue 18) the model phase replayed test point 0's rows for
   * every op while the explanations went through all 1000 test points: not quite the same rows
   * (65,074 against 65,324 per point on average), and with both threads given equal work, where two
   * explained points differ and the slower one sets the phase's wall time.
   */
  @State(Scope.Thread)
  public static class Interleaved {
    /**
     * Test points cycled through, each with its recorded rows: 17 pairs, an odd number, so that
     * each pair runs explanation-first and model-first in turn.
     */
    static final int RECORDED = 34;

    @Param({"sampled", "paper_faithful"})
    public String estimator;

    /**
     * {@code explained}: the model phase runs the rows of the two points just explained; {@code
     * point0}: test point 0's rows on both threads, every op (the benchmark before 2026-12-03).
     */
    @Param({"explained"})
    public String modelRows;

    /** Rows per model call in both phases (the engine's batch size, and the model phase's). */
    @Param({"1024"})
    public int batch;

    OnnxModelAdapter forExplain;
    OnnxModelAdapter alone;
    Dime dime;
    List<List<Map<String, Tensor>>> rows;
    List<Datapoint> points;
    java.util.concurrent.ExecutorService pool;
    int op;

    @Setup(Level.Trial)
    public void setUp() {
      forExplain = openModel(1);
      alone = openModel(1);
      dime = builder(forExplain, estimator, batch).inferenceThreads(2).build();
      dime.preparationRows();
      rows = new ArrayList<>();
      for (List<Map<String, Tensor>> point : recordPoints(alone, estimator, batch, RECORDED)) {
        rows.add(rebatch(point, batch));
      }
      points = testPoints(RECORDED);
      pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      pool.shutdownNow();
      dime.close();
      forExplain.close();
      alone.close();
    }

    /** The first of this op's two points. */
    int first() {
      return Math.floorMod(op * 2, RECORDED);
    }

    double explainPhase() throws Exception {
      int first = first();
      return onTwoThreads(pool, t -> dime.explain(points.get(first + t), Targets.classes("1")));
    }

    double modelPhase() throws Exception {
      int first = first();
      boolean point0 = modelRows.equals("point0");
      return onTwoThreads(pool, t -> runAll(alone, rows.get(point0 ? 0 : first + t)));
    }
  }

  /** The two phases' times, summed over an iteration (JMH secondary results). */
  @org.openjdk.jmh.annotations.AuxCounters(org.openjdk.jmh.annotations.AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class Phases {
    public double explainMs;
    public double modelMs;

    @Setup(Level.Iteration)
    public void clear() {
      explainMs = 0;
      modelMs = 0;
    }
  }

  /** One op: both phases, in alternating order (see {@link Interleaved}). */
  @Benchmark
  @Threads(1)
  public int interleavedExplainAndModel(Interleaved s, Phases phases) throws Exception {
    if ((s.op++ & 1) == 0) {
      phases.explainMs += s.explainPhase();
      phases.modelMs += s.modelPhase();
    } else {
      phases.modelMs += s.modelPhase();
      phases.explainMs += s.explainPhase();
    }
    return s.op;
  }
}
