package io.dime.core;

import io.dime.api.Datapoint;
import io.dime.api.Tensor;
import io.dime.core.estimate.Pool;
import io.dime.core.infer.EncodedModel;
import io.dime.spi.Modality;
import io.dime.spi.PoolStatistics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The reference pool as the engine uses it: every value checked by its modality, per-modality
 * statistics for the perturbers, the ids' digest for provenance, and where the pool's encodings sit
 * among the model's pinned values.
 */
final class EnginePool {
  final Pool pool;
  final List<PoolStatistics> stats;

  /** SHA-256 of the pool's ids, one per line (provenance of every explanation). */
  final String idsSha256;

  /** Where pool row 0 of each modality sits among the model's pinned values; -1: not pinned. */
  final int[] pins;

  final List<Optional<String>> labels;

  /** Featurizes with the pool's statistics and the run's seed. */
  final Featurizer featurizer;

  EnginePool(EngineConfig c) {
    int k = c.k;
    List<Datapoint> points = c.poolPoints;
    Object[][] values = new Object[points.size()][k];
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      Datapoint p = points.get(i);
      ids.add(p.id());
      for (int j = 0; j < k; j++) {
        values[i][j] = c.modalities.get(j).check(p.value(c.names.get(j)), p.id());
      }
    }
    List<Modality<?>> mods = c.modalities;
    this.pool = new Pool(ids, values, k, i -> summary(mods, values[i]));
    this.idsSha256 = Versions.sha256(String.join("\n", pool.ids()));
    this.labels = points.stream().map(Datapoint::label).toList();
    List<PoolStatistics> st = new ArrayList<>();
    for (int j = 0; j < k; j++) {
      List<Object> col = new ArrayList<>();
      for (Object[] row : values) {
        col.add(row[j]);
      }
      st.add(new PoolStatistics(col));
    }
    this.stats = List.copyOf(st);
    this.featurizer = new Featurizer(c.modalities, stats, c.seed, c.limits.maxFeatures());
    this.pins = new int[k];
    Arrays.fill(pins, -1);
    if (c.model instanceof EncodedModel em) {
      // every modality's bytes a datapoint at once, so that a refusal names a pool size that runs
      List<List<Tensor>> first =
          io.dime.core.infer.PoolBudget.check(
              c.modalities, stats.stream().map(PoolStatistics::values).toList());
      for (int j = 0; j < k; j++) {
        // the first values' encodings, made to count the pool's bytes, are packed, not made again
        pins[j] =
            em.pin(
                j,
                stats.get(j).values(),
                first.isEmpty() ? null : first.get(j),
                Runtime.getRuntime().maxMemory() / 2);
        if (pins[j] < 0) {
          // Encodings of several sizes cannot share a batch: name the pool datapoint at fault.
          PoolEncodings.check(c.modalities, points);
        }
        for (int i = 0; pins[j] >= 0 && i < pool.size(); i++) {
          if (em.pinnedValue(j, pins[j] + i) != pool.value(i, j)) {
            pins[j] = -1; // not where the runner would look: named by value instead
          }
        }
      }
    }
  }

  /**
   * A pool datapoint's numeric summary for choosing representative references: per modality, the
   * float tensors it encodes into, concatenated and block-averaged ({@link Pool#blockMeans}).
   */
  private static double[] summary(List<Modality<?>> mods, Object[] row) {
    List<double[]> parts = new ArrayList<>();
    int total = 0;
    for (int j = 0; j < row.length; j++) {
      List<Tensor> ts = encodeUnchecked(mods.get(j), row[j]);
      int len = 0;
      for (Tensor t : ts) {
        if (t.floats() != null) {
          len += t.floats().length;
        }
      }
      double[] x = new double[len];
      int at = 0;
      for (Tensor t : ts) {
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
  private static <V> List<Tensor> encodeUnchecked(Modality<V> m, Object value) {
    return m.encoder().encode((V) value);
  }

  /** The values of pool datapoint i, one per modality. */
  Object[] row(int i) {
    Object[] row = new Object[pool.modalities()];
    for (int j = 0; j < row.length; j++) {
      row[j] = pool.value(i, j);
    }
    return row;
  }
}
