package io.dime.core.infer;

import io.dime.api.ModelException;
import io.dime.api.MultimodalModel;
import java.util.List;

/**
 * How {@link BatchRunner} calls a model: serialised when it is not thread-safe, its rows copied.
 */
final class ModelCalls {
  private ModelCalls() {}

  /**
   * One model call, and for a model that takes rows a copy of its answer made before anything else
   * runs: the answer then cannot change under the engine (a model that reuses its output arrays on
   * its next call, or keeps them in a cache that the output transform would otherwise change in
   * place). A model that is not {@link MultimodalModel#threadSafe() thread-safe} is called by one
   * thread at a time, its answer copied before the next call may start.
   */
  static Object call(MultimodalModel model, StagedModel staged, Object encoded, Object bound) {
    if (model.threadSafe()) {
      return staged != null ? staged.runFlat(encoded, bound) : predict(model, encoded);
    }
    synchronized (model) {
      return staged != null ? staged.runFlat(encoded, bound) : predict(model, encoded);
    }
  }

  /**
   * The model's answer as the engine's own array: a flat {@code double[n * C]}, row after row, when
   * it has n rows of C values (delivered like a staged model's, without an array per row); else a
   * copy of its rows, whose faults (a missing row, a wrong length) the runner's delivery names.
   */
  @SuppressWarnings("unchecked")
  private static Object predict(MultimodalModel model, Object rows) {
    List<Object[]> batch = (List<Object[]>) rows;
    return own(model.predict(batch), batch.size(), model.outputCount());
  }

  /**
   * The rows copied into an array of the engine's own (flat when every row has {@code c} values and
   * there are {@code n}); refuses one array given for two rows in a row (a model filling one buffer
   * for every row would have every row show the last one's values).
   */
  static Object own(double[][] rows, int n, int c) {
    if (rows == null) {
      return null;
    }
    boolean regular = n > 0 && rows.length == n;
    for (int i = 0; i < rows.length; i++) {
      double[] r = rows[i];
      if (r != null && i > 0 && r == rows[i - 1]) {
        throw new ModelException(
            "model returned one array for rows "
                + (i - 1)
                + " and "
                + i
                + " of a batch: return a new array for each row (an array filled again for each"
                + " row holds only the last row's values)");
      }
      regular &= r != null && r.length == c;
    }
    if (!regular) {
      double[][] copy = new double[rows.length][];
      for (int i = 0; i < rows.length; i++) {
        copy[i] = rows[i] == null ? null : rows[i].clone();
      }
      return copy;
    }
    double[] flat = new double[n * c];
    for (int i = 0; i < n; i++) {
      System.arraycopy(rows[i], 0, flat, i * c, c);
    }
    return flat;
  }
}
