package io.dime.core;

import io.dime.core.infer.BatchRunner;
import io.dime.core.infer.OutputTransform;
import java.util.List;
import java.util.Optional;

/**
 * Whether the model gives the same outputs twice ({@link Dime#determinism}): pool records run in
 * two calls of their own, their raw outputs compared. Nothing of the run's preparation is needed.
 */
final class Determinism {
  /**
   * Differences up to this many float32 ulps of the largest output (at least 1) are rounding: a
   * model summing in another order from one call to the next is deterministic enough.
   */
  static final double ULPS = 64;

  private Determinism() {}

  /** The first difference, as a sentence naming the record, both outputs and the output name. */
  static Optional<String> check(EngineConfig c, EnginePool pool, int maxRecords) {
    int[] idx = pool.pool.choose(Math.max(1, maxRecords), c.seed);
    double[][] first = outputs(c, pool, idx);
    double[][] second = outputs(c, pool, idx);
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
                  + " and then "
                  + b
                  + " for '"
                  + (o < names.size() ? names.get(o) : String.valueOf(o))
                  + "' from the same input");
        }
      }
    }
    return Optional.empty();
  }

  /** The raw outputs of pool rows {@code idx}, from calls of their own. */
  private static double[][] outputs(EngineConfig c, EnginePool pool, int[] idx) {
    OutputTransform raw = new OutputTransform(false, c.model.outputCount());
    BatchRunner runner = new BatchRunner(c.model, c.batchSize, raw);
    double[][] out = new double[idx.length][];
    for (int r = 0; r < idx.length; r++) {
      int at = r;
      runner.add(pool.row(idx[r]), y -> out[at] = y.clone());
    }
    runner.flush();
    return out;
  }
}
