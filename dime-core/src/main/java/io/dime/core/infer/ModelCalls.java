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

  @SuppressWarnings("unchecked")
  private static double[][] predict(MultimodalModel model, Object rows) {
    return ownCopy(model.predict((List<Object[]>) rows));
  }

  /**
   * The model's rows copied into arrays of the engine's own; refuses one array given for two rows
   * in a row (a model filling one buffer for every row would have every row show the last one's
   * values). A null answer or row is left for the runner's delivery to report.
   */
  static double[][] ownCopy(double[][] rows) {
    if (rows == null) {
      return null;
    }
    double[][] copy = new double[rows.length][];
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
      copy[i] = r == null ? null : r.clone();
    }
    return copy;
  }
}
