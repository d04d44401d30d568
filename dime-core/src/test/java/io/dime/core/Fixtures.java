package io.dime.core;

import io.dime.api.Datapoint;
import io.dime.api.MultimodalModel;
import io.dime.api.OutputKind;
import io.dime.core.infer.JavaModels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** Shared test fixtures: vector datapoints and small Java models. */
final class Fixtures {
  private Fixtures() {}

  static Datapoint point(String id, double[]... parts) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int j = 0; j < parts.length; j++) {
      values.put("m" + (j + 1), parts[j]);
    }
    return Datapoint.of(id, values);
  }

  static List<Datapoint> gaussianPoints(String prefix, int n, int k, int d, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Datapoint> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[][] parts = new double[k][d];
      for (int j = 0; j < k; j++) {
        for (int e = 0; e < d; e++) {
          parts[j][e] = gaussian(rng);
        }
      }
      out.add(point(prefix + i, parts));
    }
    return out;
  }

  static double gaussian(SplittableRandom rng) {
    double u1 = 1 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  static MultimodalModel model(int outputs, Function<double[][], double[]> f) {
    return JavaModels.of(
        "test",
        outputs,
        OutputKind.LOGITS,
        row -> {
          double[][] parts = new double[row.length][];
          for (int j = 0; j < row.length; j++) {
            parts[j] = (double[]) row[j];
          }
          return f.apply(parts);
        });
  }

  /** Wraps a model and counts the rows it is asked for. */
  static final class Counting implements MultimodalModel {
    final MultimodalModel inner;
    final AtomicLong rows = new AtomicLong();

    Counting(MultimodalModel inner) {
      this.inner = inner;
    }

    @Override
    public double[][] predict(List<Object[]> batch) {
      rows.addAndGet(batch.size());
      return inner.predict(batch);
    }

    @Override
    public int outputCount() {
      return inner.outputCount();
    }
  }
}
