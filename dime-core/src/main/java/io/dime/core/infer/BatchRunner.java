package io.dime.core.infer;

import io.dime.api.ModelException;
import io.dime.api.MultimodalModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * Gathers model rows into batches of {@code batchSize}, runs the model, and hands each row's
 * (transformed) output to its {@link Destination}. Batches are formed in the order rows are added,
 * so the same calls give the same batches. Not thread-safe: one runner per explained datapoint.
 * Rows queued with {@link #add} reach their destinations only after {@link #flush}.
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

  private static final int MAX_IN_FLIGHT = 2;

  private final MultimodalModel model;
  private final int batchSize;
  private final OutputTransform transform;
  private final Executor modelExecutor;
  private List<Object[]> rows;
  private List<Destination> dests;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private long rowCount;
  private long modelNanos;

  /** A batch handed to the model thread: its result and where each row's output goes. */
  private record Pending(
      Future<double[][]> result, List<Destination> dests, int rows, long[] nanos) {}

  /** A runner that calls the model on the caller's thread. */
  public BatchRunner(MultimodalModel model, int batchSize, OutputTransform transform) {
    this(model, batchSize, transform, null);
  }

  /**
   * A runner that runs the model on {@code modelExecutor} while the caller builds (and, for a
   * {@link StagedModel}, encodes) the next batch; at most two batches are in flight.
   */
  public BatchRunner(
      MultimodalModel model, int batchSize, OutputTransform transform, Executor modelExecutor) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, found " + batchSize);
    }
    this.model = model;
    this.batchSize = batchSize;
    this.transform = transform;
    this.modelExecutor = modelExecutor;
    this.rows = new ArrayList<>(batchSize);
    this.dests = new ArrayList<>(batchSize);
  }

  /** Queues one row; runs a batch when {@code batchSize} rows are queued. */
  public void add(Object[] row, Destination dest) {
    rows.add(row);
    dests.add(dest);
    if (rows.size() >= batchSize) {
      dispatch();
    }
  }

  /** Runs every queued row and waits until every output has reached its destination. */
  public void flush() {
    dispatch();
    while (!pending.isEmpty()) {
      complete(pending.poll());
    }
  }

  private void dispatch() {
    if (rows.isEmpty()) {
      return;
    }
    List<Object[]> batch = rows;
    List<Destination> batchDests = dests;
    rows = new ArrayList<>(batchSize);
    dests = new ArrayList<>(batchSize);
    long[] nanos = new long[1];
    if (modelExecutor == null) {
      long t0 = System.nanoTime();
      double[][] out;
      try {
        out = model.predict(batch);
      } catch (RuntimeException e) {
        throw asModelException(e);
      }
      nanos[0] = System.nanoTime() - t0;
      deliver(out, batchDests, batch.size(), nanos[0]);
      return;
    }
    Object encoded;
    try {
      encoded = model instanceof StagedModel sm ? sm.encode(batch) : batch;
    } catch (RuntimeException e) {
      abandon();
      throw asModelException(e);
    }
    FutureTask<double[][]> task =
        new FutureTask<>(
            () -> {
              long t0 = System.nanoTime();
              @SuppressWarnings("unchecked")
              double[][] out =
                  model instanceof StagedModel sm
                      ? sm.run(encoded)
                      : model.predict((List<Object[]>) encoded);
              nanos[0] = System.nanoTime() - t0;
              return out;
            });
    modelExecutor.execute(task);
    pending.add(new Pending(task, batchDests, batch.size(), nanos));
    while (pending.size() > MAX_IN_FLIGHT) {
      complete(pending.poll());
    }
  }

  private void complete(Pending p) {
    double[][] out;
    try {
      out = p.result().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandon();
      throw new ModelException("interrupted while waiting for the model", e);
    } catch (ExecutionException e) {
      abandon();
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException re
          ? asModelException(re)
          : new ModelException("model failed: " + cause, cause);
    }
    try {
      deliver(out, p.dests(), p.rows(), p.nanos()[0]);
    } catch (RuntimeException e) {
      abandon();
      throw e;
    }
  }

  private void deliver(double[][] out, List<Destination> batchDests, int n, long nanos) {
    modelNanos += nanos;
    if (out == null || out.length != n) {
      throw new ModelException(
          "model returned " + (out == null ? "nothing" : out.length + " rows") + " for " + n);
    }
    for (int i = 0; i < out.length; i++) {
      batchDests.get(i).accept(transform.apply(out[i]));
    }
    rowCount += n;
  }

  /** Drops queued and in-flight work after a failure. */
  private void abandon() {
    for (Pending p : pending) {
      p.result().cancel(false);
    }
    pending.clear();
    rows.clear();
    dests.clear();
  }

  private static ModelException asModelException(RuntimeException e) {
    return e instanceof ModelException me
        ? me
        : new ModelException("model failed: " + e.getMessage(), e);
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
