package io.dime.bench;

import io.dime.core.estimate.Pool;
import io.dime.core.estimate.ReferenceSelection;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The one-off cost of choosing exact(N)'s references: {@code vectors} is the 3-modality synthetic
 * task's shape (a pool of 10,000 datapoints of three 10-vectors), {@code image} a pool of 1,000
 * float images of 3 x 64 x 64 (block-averaged to 256 summary numbers).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class ReferenceSelectionBenchmark {
  @Param({"vectors", "image"})
  public String pool;

  @Param({"representative", "random"})
  public String selection;

  @Param({"100"})
  public int references;

  private Pool data;
  private ReferenceSelection sel;

  @Setup
  public void setUp() {
    SplittableRandom rng = new SplittableRandom(1);
    boolean image = pool.equals("image");
    int n = image ? 1000 : 10_000;
    int k = image ? 1 : 3;
    int len = image ? 3 * 64 * 64 : 10;
    List<String> ids = new ArrayList<>();
    Object[][] values = new Object[n][k];
    for (int i = 0; i < n; i++) {
      ids.add("p" + i);
      for (int j = 0; j < k; j++) {
        if (image) {
          float[] v = new float[len];
          for (int c = 0; c < len; c++) {
            v[c] = (float) rng.nextDouble();
          }
          values[i][j] = v;
        } else {
          double[] v = new double[len];
          for (int c = 0; c < len; c++) {
            v[c] = rng.nextDouble() * 2 - 1;
          }
          values[i][j] = v;
        }
      }
    }
    data = new Pool(ids, values, k);
    sel = ReferenceSelection.of(selection);
  }

  @Benchmark
  public int[] choose() {
    return sel.choose(data, references, 0).indices();
  }
}
