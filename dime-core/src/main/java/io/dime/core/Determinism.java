package io.dime.core;

import io.dime.core.infer.BatchRunner;
import io.dime.core.infer.OutputTransform;
import java.util.List;
import java.util.Optional;

/**
 * Whether the model gives the same outputs twice ({@link Dime#determinism}): pool records run in
 * two calls of their own, their raw outputs compared, and then each record in a call of its own (a
 * model whose output for a row depends on the other rows of its batch, as batch normalisation left
 * in training mode does, gives another output alone). Nothing of the run's preparation is needed.
 */
final class Determinism {
  /**
   * Differences up to this many float32 ulps of the largest output (at least 1) are rounding: a
   * model summing in another order from one call to the next is deterministic enough.
   */
  static final double ULPS = 64;

  private Determinism() {}

  /** The first difference, naming the record, both outputs and the output; empty for none. */
  static Optional<ModelInconsistency> check(EngineConfig c, EnginePool pool, int maxRecords) {
    int[] idx = pool.pool.choose(Math.max(1, maxRecords), c.seed);
    double[][] first = outputs(c, pool, idx, c.batchSize);
    double[][] second = outputs(c, pool, idx, c.batchSize);
    Optional<String> noise = difference(c, pool, idx, first, second, "and then", "");
    if (noise.isPresent() || idx.length < 2 || c.batchSize < 2) {
      return noise.map(d -> new ModelInconsistency(false, d));
    }
    double[][] alone = outputs(c, pool, idx, 1);
    String rows = "in a call of " + Math.min(idx.length, c.batchSize) + " rows and";
    return difference(c, pool, idx, first, alone, rows, " alone")
        .map(d -> new ModelInconsistency(true, d));
  }

  /**
   * The first output of {@code first} and {@code second} that differs beyond rounding: "pool record
   * 'ID' got A {@code how} B{@code after} for 'OUTPUT' from the same input".
   */
  private static Optional<String> difference(
      EngineConfig c,
      EnginePool pool,
      int[] idx,
      double[][] first,
      double[][] second,
      String how,
      String after) {
    double largest = 1;
    for (double[] y : first) {
      for (double v : y) {
        largest = Math.max(largest, Math.abs(v));
      }
    }
    double level = ULPS * 0x1p-23 * largest;
    List<String> names = c.model.outputNames();
    for (int r = 0; r < idx.length; r++) {
      for (int o = 0; o < first[r].length; o++) {
        double a = first[r][o];
        double b = second[r][o];
        if (!(Math.abs(a - b) <= level) && !(Double.isNaN(a) && Double.isNaN(b))) {
          return Optional.of(
              "pool record '"
                  + pool.pool.id(idx[r])
                  + "' got "
                  + a
                  + " "
                  + how
                  + " "
                  + b
                  + after
                  + " for '"
                  + (o < names.size() ? names.get(o) : String.valueOf(o))
                  + "' from the same input");
        }
      }
    }
    return Optional.empty();
  }

  /** The raw outputs of pool rows {@code idx}, from calls of their own of up to {@code batch}. */
  private static double[][] outputs(EngineConfig c, EnginePool pool, int[] idx, int batch) {
    OutputTransform raw = new OutputTransform(false, false, c.model.outputNames());
    BatchRunner runner = new BatchRunner(c.model, batch, raw);
    double[][] out = new double[idx.length][];
    for (int r = 0; r < idx.length; r++) {
      int at = r;
      runner.add(pool.row(idx[r]), y -> out[at] = y.clone());
    }
    runner.flush();
    return out;
  }
}
