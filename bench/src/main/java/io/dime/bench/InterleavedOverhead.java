package io.dime.bench;

import io.dime.adapter.onnx.OnnxModelAdapter;
import io.dime.api.Datapoint;
import io.dime.api.Tensor;
import io.dime.core.Dime;
import io.dime.core.Targets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The synthetic experiment's overhead ratio measured in one JVM by interleaving, for a shared
 * machine whose speed drifts by more than the effect between separate JMH runs. Each cycle times,
 * back to back and in a rotating order: the default explanation on two threads with the model on
 * its own inference threads ({@code pipelined}), the same with the model called on the explaining
 * threads ({@code inline}), and the model alone on the same rows (the rows that explaining one
 * point sends, recorded from a real explanation and re-batched into 1024-row batches, two callers
 * with one ONNX Runtime thread each: the best setting in the JMH grid). The per-cycle ratios share
 * the machine's state of that moment, so their median is a steadier figure than a ratio of two
 * separate runs.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.dime.bench.InterleavedOverhead [estimator] [cycles] [warmup]
 * </pre>
 *
 * <p>Prints each cycle's milliseconds per op (one point per thread, two threads) and the medians.
 */
public final class InterleavedOverhead {
  private InterleavedOverhead() {}

  public static void main(String[] args) throws Exception {
    String estimator = args.length > 0 ? args[0] : "sampled";
    int cycles = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    OnnxModelAdapter forPiped = SyntheticBenchmark.openModel(1);
    OnnxModelAdapter forInline = SyntheticBenchmark.openModel(1);
    OnnxModelAdapter alone = SyntheticBenchmark.openModel(1);
    List<Datapoint> points = SyntheticBenchmark.testPoints(1000);
    List<Map<String, Tensor>> rows =
        SyntheticBenchmark.rebatch(SyntheticBenchmark.recordPoint(alone, estimator, 1024), 1024);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Dime piped =
            SyntheticBenchmark.builder(forPiped, estimator, 1024)
                .inferenceThreads(2)
                .pipelined(true)
                .build();
        Dime inline =
            SyntheticBenchmark.builder(forInline, estimator, 1024)
                .inferenceThreads(2)
                .pipelined(false)
                .build()) {
      piped.preparationRows();
      inline.preparationRows();
      AtomicInteger next = new AtomicInteger();
      String[] names = {"pipelined", "inline", "model alone"};
      double[][] ms = new double[3][cycles];
      System.out.printf("%s: %d rows per point%n", estimator, count(rows));
      System.out.println("cycle | pipelined | inline | model alone (ms per op)");
      for (int c = -warmup; c < cycles; c++) {
        double[] t = new double[3];
        for (int s = 0; s < 3; s++) {
          int which = Math.floorMod(c + s, 3); // rotate the order from cycle to cycle
          t[which] =
              SyntheticBenchmark.onTwoThreads(
                  pool,
                  th ->
                      which == 2
                          ? SyntheticBenchmark.runAll(alone, rows)
                          : (which == 0 ? piped : inline)
                              .explain(
                                  points.get(next.getAndIncrement() % points.size()),
                                  Targets.classes("1")));
        }
        if (c >= 0) {
          for (int s = 0; s < 3; s++) {
            ms[s][c] = t[s];
          }
          System.out.printf("%d | %.1f | %.1f | %.1f%n", c, t[0], t[1], t[2]);
        }
      }
      double[] ratioPiped = new double[cycles];
      double[] ratioInline = new double[cycles];
      for (int c = 0; c < cycles; c++) {
        ratioPiped[c] = ms[0][c] / ms[2][c];
        ratioInline[c] = ms[1][c] / ms[2][c];
      }
      for (int s = 0; s < 3; s++) {
        System.out.printf(
            "median %s: %.1f ms/op (quartiles %.1f, %.1f)%n",
            names[s], quantile(ms[s], 0.5), quantile(ms[s], 0.25), quantile(ms[s], 0.75));
      }
      System.out.printf(
          "per-cycle ratio to the model alone, median (quartiles): pipelined %.3f (%.3f, %.3f),"
              + " inline %.3f (%.3f, %.3f)%n",
          quantile(ratioPiped, 0.5),
          quantile(ratioPiped, 0.25),
          quantile(ratioPiped, 0.75),
          quantile(ratioInline, 0.5),
          quantile(ratioInline, 0.25),
          quantile(ratioInline, 0.75));
    } finally {
      pool.shutdownNow();
      forPiped.close();
      forInline.close();
      alone.close();
    }
  }

  private static long count(List<Map<String, Tensor>> batches) {
    return batches.stream().mapToLong(m -> m.values().iterator().next().shape()[0]).sum();
  }

  private static double quantile(double[] v, double q) {
    double[] s = v.clone();
    Arrays.sort(s);
    double at = q * (s.length - 1);
    int lo = (int) Math.floor(at);
    int hi = Math.min(lo + 1, s.length - 1);
    return s[lo] + (at - lo) * (s[hi] - s[lo]);
  }
}
