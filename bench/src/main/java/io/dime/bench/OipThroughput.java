package io.dime.bench;

import io.dime.adapter.oip.OipModelAdapter;
import io.dime.adapter.oip.testserver.OipServerProcess;
import io.dime.adapter.onnx.OnnxModelAdapter;
import io.dime.api.Tensor;
import io.dime.demo.DemoModels;
import io.dime.spi.ModelAdapter;
import io.dime.spi.PluginConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Rows per second of the demo model (image [3, 56, 56] + 12 token ids) served over the Open
 * Inference Protocol by the OIP adapter's test server (a separate process, one ONNX Runtime thread
 * per request), with 1, 2 and 4 requests in flight, as binary tensors and as JSON, next to the same
 * rows run in process by the ONNX adapter (one ONNX Runtime thread per call, 1, 2 and 4 callers).
 * Each setting runs the same rows in batches of 256 (the command line's default {@code
 * --batch-size}) from as many threads as requests in flight, the adapter's {@code concurrency} set
 * to match, as {@code dime explain --model-concurrency N} does. The settings are interleaved in
 * each cycle, in a rotating order, so that a shared machine's drift spreads over all of them.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.dime.bench.OipThroughput [cycles] [rows]
 * </pre>
 *
 * <p>Prints each cycle's rows per second and, per setting, the minimum, median and maximum.
 */
public final class OipThroughput {
  private static final int BATCH = 256;
  private static final int[] IN_FLIGHT = {1, 2, 4};

  private OipThroughput() {}

  public static void main(String[] args) throws Exception {
    int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 2048;
    List<Map<String, Tensor>> batches = batches(rows, 11);
    Path model = DemoModels.file(DemoModels.FASHION_VQA);
    Map<String, ModelAdapter> settings = new LinkedHashMap<>();
    try (OipServerProcess server = OipServerProcess.start(Map.of("fashion_vqa", model))) {
      String url = server.url("fashion_vqa");
      for (int n : IN_FLIGHT) {
        settings.put(
            "onnx in process, " + n + " caller(s)",
            OnnxModelAdapter.open(model.toString(), PluginConfig.of("onnx", "threads", 1)));
      }
      for (String encoding : List.of("binary", "json")) {
        for (int n : IN_FLIGHT) {
          settings.put(
              "oip " + encoding + ", " + n + " in flight",
              OipModelAdapter.open(
                  url, PluginConfig.of("oip", "concurrency", n, "tensorEncoding", encoding)));
        }
      }
      List<String> names = new ArrayList<>(settings.keySet());
      double[][] perSecond = new double[names.size()][cycles];
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        for (int i = 0; i < names.size(); i++) { // warm-up: one pass of each
          measure(settings.get(names.get(i)), batches, callers(names.get(i)), pool);
        }
        for (int c = 0; c < cycles; c++) {
          for (int k = 0; k < names.size(); k++) {
            int i = (k + c) % names.size();
            perSecond[i][c] =
                measure(settings.get(names.get(i)), batches, callers(names.get(i)), pool);
            System.out.printf(
                Locale.ROOT, "cycle %d  %-28s %9.0f rows/s%n", c, names.get(i), perSecond[i][c]);
          }
        }
      } finally {
        pool.shutdownNow();
        settings.values().forEach(ModelAdapter::close);
      }
      System.out.printf(
          Locale.ROOT,
          "%n%-28s %9s %9s %9s  (rows/s, %d cycles of %d rows)%n",
          "setting",
          "min",
          "median",
          "max",
          cycles,
          rows);
      for (int i = 0; i < names.size(); i++) {
        double[] v = perSecond[i].clone();
        Arrays.sort(v);
        System.out.printf(
            Locale.ROOT,
            "%-28s %9.0f %9.0f %9.0f%n",
            names.get(i),
            v[0],
            v[v.length / 2],
            v[v.length - 1]);
      }
    }
  }

  private static int callers(String name) {
    return Integer.parseInt(name.replaceAll(".*, (\\d+) .*", "$1"));
  }

  /** Runs every batch from {@code callers} threads; returns rows per second. */
  private static double measure(
      ModelAdapter m, List<Map<String, Tensor>> batches, int callers, ExecutorService pool)
      throws Exception {
    long start = System.nanoTime();
    List<Future<Integer>> done = new ArrayList<>();
    for (int t = 0; t < callers; t++) {
      int first = t;
      done.add(
          pool.submit(
              () -> {
                int rows = 0;
                for (int b = first; b < batches.size(); b += callers) {
                  rows += (int) m.run(batches.get(b), List.of("logits")).get("logits").shape()[0];
                }
                return rows;
              }));
    }
    int rows = 0;
    for (Future<Integer> f : done) {
      rows += f.get();
    }
    return rows / ((System.nanoTime() - start) / 1e9);
  }

  /** Demo-shaped rows: pixels in [0, 1], token ids in [2, 27), full attention masks. */
  static List<Map<String, Tensor>> batches(int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Map<String, Tensor>> out = new ArrayList<>();
    for (int start = 0; start < rows; start += BATCH) {
      int n = Math.min(BATCH, rows - start);
      float[] image = new float[n * 3 * 56 * 56];
      for (int i = 0; i < image.length; i++) {
        image[i] = (float) random.nextDouble();
      }
      long[] ids = new long[n * 12];
      long[] mask = new long[n * 12];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = 2 + random.nextLong(25);
        mask[i] = 1;
      }
      Map<String, Tensor> batch = new LinkedHashMap<>();
      batch.put("image", Tensor.ofFloats("image", new long[] {n, 3, 56, 56}, image));
      batch.put("input_ids", Tensor.ofLongs("input_ids", new long[] {n, 12}, ids));
      batch.put("attention_mask", Tensor.ofLongs("attention_mask", new long[] {n, 12}, mask));
      out.add(batch);
    }
    return out;
  }
}
