package io.dime.core.infer;

import io.dime.api.ModelException;
import io.dime.api.MultimodalModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Gathers model rows into batches of {@code batchSize}, runs the model, and hands each row's
 * (transformed) output to its {@link Destination}. Batches are formed in the order rows are added,
 * so the same calls give the same batches. Not thread-safe: one runner per explained datapoint.
 */
public final class BatchRunner {
  /** Where one row's output goes. */
  @FunctionalInterface
  public interface Destination {
    /** Receives the transformed output vector of one row (do not keep the array). */
    void accept(double[] output);
  }

  /** Adds {@code coef * y} into {@code acc[offset .. offset + C)}. */
  public record Accumulate(double[] acc, int offset, double coef) implements Destination {
    @Override
    public void accept(double[] y) {
      for (int c = 0; c < y.length; c++) {
        acc[offset + c] += coef * y[c];
      }
    }
  }

  private final MultimodalModel model;
  private final int batchSize;
  private final OutputTransform transform;
  private final List<Object[]> rows;
  private final List<Destination> dests;
  private long rowCount;
  private long modelNanos;

  public BatchRunner(MultimodalModel model, int batchSize, OutputTransform transform) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, found " + batchSize);
    }
    this.model = model;
    this.batchSize = batchSize;
    this.transform = transform;
    this.rows = new ArrayList<>(batchSize);
    this.dests = new ArrayList<>(batchSize);
  }

  /** Queues one row; runs a batch when {@code batchSize} rows are queued. */
  public void add(Object[] row, Destination dest) {
    rows.add(row);
    dests.add(dest);
    if (rows.size() >= batchSize) {
      flush();
    }
  }

  /** Runs the queued rows. */
  public void flush() {
    if (rows.isEmpty()) {
      return;
    }
    long t0 = System.nanoTime();
    double[][] out;
    try {
      out = model.predict(rows);
    } catch (ModelException e) {
      rows.clear();
      dests.clear();
      throw e;
    } catch (RuntimeException e) {
      rows.clear();
      dests.clear();
      throw new ModelException("model failed: " + e.getMessage(), e);
    }
    modelNanos += System.nanoTime() - t0;
    if (out == null || out.length != rows.size()) {
      int n = rows.size();
      rows.clear();
      dests.clear();
      throw new ModelException(
          "model returned " + (out == null ? "nothing" : out.length + " rows") + " for " + n);
    }
    for (int i = 0; i < out.length; i++) {
      dests.get(i).accept(transform.apply(out[i]));
    }
    rowCount += out.length;
    rows.clear();
    dests.clear();
  }

  /** Rows sent to the model so far. */
  public long rowCount() {
    return rowCount;
  }

  /** Seconds spent inside the model so far. */
  public double modelSeconds() {
    return modelNanos / 1e9;
  }
}
