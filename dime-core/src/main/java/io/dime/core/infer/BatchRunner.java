package io.dime.core.infer;

import io.dime.api.ModelException;
import io.dime.api.MultimodalModel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Gathers model rows into batches of {@code batchSize} (fewer for large rows: {@link
 * #BATCH_BYTES}), runs the model, and hands each row's (transformed) output to its {@link
 * Destination}. Batches are formed in the order rows are added, so the same calls give the same
 * batches. Not thread-safe: one runner per explained datapoint. Rows queued with {@link #add} reach
 * their destinations only after {@link #flush}.
 *
 * <p>Rows are copied when they are added (the caller may reuse its row array). For a {@link
 * StagedModel} a row is stored as one int per modality ({@link RowBatch}): the position of a pinned
 * reference-pool value, or the batch's own value, stored once while consecutive rows repeat it.
 * Queuing a row allocates nothing and writes no object references.
 */
public final class BatchRunner {
  /** Where one row's output goes. */
  @FunctionalInterface
  public interface Destination {
    /** Receives the transformed output vector of one row (a fresh array: it may be kept). */
    void accept(double[] output);

    /**
     * Receives one row's transformed output as {@code out[from .. from + length)} of a batch's
     * output array (do not keep the array). The default copies the row and calls {@link
     * #accept(double[])}; destinations on the hot path read it in place.
     */
    default void accept(double[] out, int from, int length) {
      accept(Arrays.copyOfRange(out, from, from + length));
    }

    /**
     * Receives {@code rows} consecutive rows' outputs, row r at {@code out[from + r * length ..
     * from + (r + 1) * length)}, in order: the same as calling {@link #accept(double[], int, int)}
     * once per row (which the default does), so an override must give the same result to the last
     * bit.
     */
    default void acceptRows(double[] out, int from, int rows, int length) {
      for (int r = 0, at = from; r < rows; r++, at += length) {
        accept(out, at, length);
      }
    }
  }

  /** The reference pool's values, by datapoint and modality, for {@link #addDraws}. */
  @FunctionalInterface
  public interface PoolValues {
    /** Modality j of pool datapoint i. */
    Object value(int i, int j);
  }

  /** Adds {@code coef * y} into {@code acc[offset .. offset + C)}. */
  public record Accumulate(double[] acc, int offset, double coef) implements InPlaceDestination {
    @Override
    public void accept(double[] out, int from, int length) {
      for (int c = 0; c < length; c++) {
        acc[offset + c] += coef * out[from + c];
      }
    }

    @Override
    public void acceptRows(double[] out, int from, int rows, int length) {
      // row after row into each entry: the same additions, in the same order, as one call per row
      for (int c = 0; c < length; c++) {
        double a = acc[offset + c];
        for (int r = 0, at = from + c; r < rows; r++, at += length) {
          a += coef * out[at];
        }
        acc[offset + c] = a;
      }
    }
  }

  private static final int MAX_IN_FLIGHT = 2;
  private static final int UNPINNED = -2;

  private final MultimodalModel model;
  private final int batchSize;
  private int cap; // rows per batch: batchSize, or fewer for rows of many bytes (set at the first)
  private long batchBytes = BATCH_BYTES;
  private final OutputTransform transform;
  private final Executor modelExecutor;
  private final StagedModel staged; // null: the model takes rows
  private int[] poolBase = new int[0];
  // The batch being filled: codes[j][i] is row i's value of modality j, a pinned position (>= 0)
  // or -1 - the index of the value among locals[j] (see RowBatch).
  private int[][] codes;
  private Object[][] locals;
  private int[] localCount;
  // per modality: the last value queued that was not named by position, and its code
  private Object[] lastValue;
  private int[] lastCode;
  private Destination[] dests;
  private int queued;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private long rowCount;
  private long floored; // probabilities below OutputTransform.PROBABILITY_FLOOR
  private final OutputRounding rounding = new OutputRounding(); // of the raw outputs
  private long modelNanos;
  private long answered; // batches the model answered (delivered)
  private long deadline = Long.MAX_VALUE;
  private double limitSeconds;
  private Object binding;
  private java.util.function.BooleanSupplier inlineWhen;
  private InlineWatchdog watchdog; // armed at the first inline call with a deadline

  /** A batch handed to the model thread: its result and where each row's output goes. */
  private record Pending(Future<Object> result, Destination[] dests, int rows, ModelCall call) {}

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
    this.staged = model instanceof StagedModel sm ? sm : null;
  }

  /**
   * Where the pool's values sit among the model's pinned values: pool row i of modality j at {@code
   * base[j] + i} ({@code base[j] < 0}: not pinned), so that {@link #add(Object[], int[],
   * Destination)} names them by index, no lookup per row. {@link #addDraws} trusts them ({@code
   * EnginePool} checks them once).
   */
  public BatchRunner poolPins(int[] base) {
    this.poolBase = base.clone();
    return this;
  }

  /**
   * Runs a batch on the caller's thread, even with a model executor, whenever {@code inline} says
   * so (while the explaining threads alone keep every processor busy, a hand-off to another thread
   * only adds thread switches). The outputs are the same either way.
   */
  public BatchRunner inlineWhen(java.util.function.BooleanSupplier inline) {
    this.inlineWhen = inline;
    return this;
  }

  /** Runs every row with this {@link StagedModel#bind binding} of the explained point. */
  public BatchRunner bind(Object pointBinding) {
    this.binding = pointBinding;
    return this;
  }

  /**
   * Waits for the model no later than {@code nanoTime} ({@link System#nanoTime()}): a call still
   * running then is interrupted and the record fails with a {@link ModelException} when the model
   * answered none of its calls, else with a {@link io.dime.api.LimitException} ({@link
   * TimeLimits}), as it does when the time was spent before a call was waited for (the record's
   * limit, not the model's fault). On a model thread and on the caller's (no model executor, or
   * {@link #inlineWhen}) alike, a call is interrupted and asked to end ({@link
   * io.dime.api.MultimodalModel#interruptCalls}); {@code seconds} is the limit messages name.
   */
  public BatchRunner deadline(long nanoTime, double seconds) {
    this.deadline = nanoTime;
    this.limitSeconds = seconds;
    return this;
  }

  /** Queues one row (copied: the caller may reuse the array); runs a batch when it is full. */
  public void add(Object[] row, Destination dest) {
    int i = slot(row);
    for (int j = 0; j < row.length; j++) {
      codes[j][i] = code(j, row[j], -1);
    }
    commit(dest);
  }

  /**
   * Queues one row whose value of modality j is pool row {@code poolRow[j]} of that modality
   * ({@code -1}: not a pool value); {@code row[j]} should be that very pool value (a position that
   * names another value costs a lookup, never correctness). Both arrays are copied.
   */
  public void add(Object[] row, int[] poolRow, Destination dest) {
    int i = slot(row);
    for (int j = 0; j < row.length; j++) {
      int base = j < poolBase.length ? poolBase[j] : -1;
      codes[j][i] = code(j, row[j], poolRow[j] >= 0 && base >= 0 ? base + poolRow[j] : -1);
    }
    commit(dest);
  }

  /**
   * Queues {@code draws} rows, all with destination {@code dest}: row r takes modality j from
   * {@code x} where bit j of {@code xBits} is set, else pool datapoint {@code tuples[(from + r) * k
   * + j]} of that modality (k = {@code x.length}). The same rows as one {@link #add(Object[],
   * int[], Destination)} per draw, without building them: a pool value is named by its {@link
   * #poolPins pinned position}, or looked up in {@code pool} for a modality without one.
   */
  public void addDraws(
      Object[] x,
      long xBits,
      int[] tuples,
      int from,
      int draws,
      PoolValues pool,
      Destination dest) {
    int k = x.length;
    for (int r = 0; r < draws; ) {
      int i = slot(x);
      int m = Math.min(draws - r, cap - i); // rows that fit in the batch being filled
      if (i + m > dests.length) {
        grow(i + m);
      }
      for (int j = 0; j < k; j++) {
        int[] col = codes[j];
        int base = j < poolBase.length ? poolBase[j] : -1;
        if ((xBits >>> j & 1L) != 0) {
          Arrays.fill(col, i, i + m, code(j, x[j], UNPINNED));
        } else if (base >= 0) {
          for (int q = 0, at = (from + r) * k + j; q < m; q++, at += k) {
            col[i + q] = base + tuples[at];
          }
        } else {
          for (int q = 0, at = (from + r) * k + j; q < m; q++, at += k) {
            col[i + q] = code(j, pool.value(tuples[at], j), -1);
          }
        }
      }
      Arrays.fill(dests, i, i + m, dest);
      queued += m;
      r += m;
      if (queued >= cap) {
        dispatch();
      }
    }
  }

  /**
   * The code of value v of modality j ({@link RowBatch}); {@code named}: its claimed position, -1
   * for none, or {@link #UNPINNED} to store v as the batch's own value without looking it up among
   * the pinned ones (always correct; the lookup only spares encoding a pinned value again).
   */
  private int code(int j, Object v, int named) {
    if (named >= 0 && staged != null && staged.pinnedValue(j, named) == v) {
      return named;
    }
    if (v == lastValue[j] && v != null) {
      return lastCode[j];
    }
    int c = staged == null || named == UNPINNED ? -1 : staged.pinnedPosition(j, v);
    if (c < 0) {
      Object[] local = locals[j];
      int at = localCount[j]++;
      if (at == local.length) {
        local = locals[j] = Arrays.copyOf(local, Math.min(batchSize, local.length * 2));
      }
      local[at] = v;
      c = -1 - at;
    }
    lastValue[j] = v;
    lastCode[j] = c;
    return c;
  }

  private int slot(Object[] row) {
    if (codes == null) {
      int k = row.length;
      cap = rowsPerBatch(row);
      codes = new int[k][Math.min(cap, FIRST_CAPACITY)];
      locals = new Object[k][];
      localCount = new int[k];
      lastValue = new Object[k];
      lastCode = new int[k];
      dests = new Destination[codes[0].length];
      newLocals();
    } else if (row.length != codes.length) {
      throw new IllegalArgumentException(
          "a row has " + row.length + " values; earlier rows had " + codes.length);
    }
    if (queued == dests.length) {
      grow(queued + 1);
    }
    return queued;
  }

  /** Rows a batch's arrays hold before they grow (doubling, up to its rows): not all up front. */
  static final int FIRST_CAPACITY = 4096;

  /** Encoded bytes a batch may hold by default: 64 MiB, less on a small heap or many processors. */
  public static final long BATCH_BYTES = BatchBytes.CAP;

  /** Caps a batch's encoded bytes at {@code bytes} instead ({@link BatchBytes#forPoints}). */
  public BatchRunner batchBytes(long bytes) {
    batchBytes = bytes;
    return this;
  }

  private int rowsPerBatch(Object[] row) {
    long bytes = staged == null ? 0 : staged.rowBytes(row);
    return bytes <= 0 ? batchSize : (int) Math.max(1, Math.min(batchSize, batchBytes / bytes));
  }

  /** Room for at least {@code rows} rows in the batch being filled (at most its rows). */
  private void grow(int rows) {
    int to = (int) Math.min(cap, Math.max(rows, 2L * dests.length));
    for (int j = 0; j < codes.length; j++) {
      codes[j] = Arrays.copyOf(codes[j], to);
    }
    dests = Arrays.copyOf(dests, to);
  }

  /** Fresh per-batch value arrays (young objects: storing into them is cheap for the collector). */
  private void newLocals() {
    for (int j = 0; j < locals.length; j++) {
      locals[j] = new Object[Math.min(batchSize, 16)];
      localCount[j] = 0;
      lastValue[j] = null;
    }
  }

  private void commit(Destination dest) {
    dests[queued++] = dest;
    if (queued >= cap) {
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
    int n = queued;
    if (n == 0) {
      return;
    }
    boolean inline = modelExecutor == null || (inlineWhen != null && inlineWhen.getAsBoolean());
    Destination[] batchDests = dests;
    if (!inline) {
      dests = new Destination[dests.length]; // this batch's stay with it until it is delivered
    }
    queued = 0;
    StagedModel staged = this.staged;
    Object bound = binding;
    Object encoded;
    try {
      RowBatch batch = new RowBatch(n, codes, locals, localCount.clone());
      encoded = staged != null ? staged.encode(batch) : (Object) batch.rows(null);
    } catch (RuntimeException e) {
      abandon();
      throw asModelException(e);
    } finally {
      newLocals(); // the encoding no longer needs the queued values
    }
    if (inline) { // delivered before the next row is queued: the destinations array is reused
      runInline(encoded, bound, batchDests, n);
      return;
    }
    ModelCall call = new ModelCall(); // only a call on a model thread needs one
    FutureTask<Object> task =
        new FutureTask<>(
            () -> {
              call.thread = Thread.currentThread();
              long t0 = System.nanoTime();
              try {
                Object out = call(encoded, bound);
                call.nanos = System.nanoTime() - t0;
                return out;
              } finally {
                call.leave();
              }
            });
    modelExecutor.execute(task);
    pending.add(new Pending(task, batchDests, n, call));
    while (pending.size() > MAX_IN_FLIGHT) {
      complete(pending.poll());
    }
  }

  private Object call(Object encoded, Object bound) {
    return ModelCalls.call(model, staged, encoded, bound);
  }

  /** Runs a batch on this thread and delivers it, after the batches still in flight. */
  private void runInline(Object encoded, Object bound, Destination[] batchDests, int n) {
    while (!pending.isEmpty()) {
      complete(pending.poll()); // outputs reach their destinations in batch order
    }
    // the record's time limit holds on the caller's thread too, with or without a model executor
    // (pipelined(false) runs every batch here)
    InlineWatchdog watch = null;
    if (deadline != Long.MAX_VALUE) {
      if (watchdog == null) {
        watchdog = new InlineWatchdog(deadline, model::interruptCalls);
      }
      watch = watchdog;
      if (System.nanoTime() > deadline || !watch.enter()) {
        abandon(); // as for a call on a model thread not answered when its wait began
        throw TimeLimits.overTime(limitSeconds);
      }
    }
    long t0 = System.nanoTime();
    Object out = null;
    RuntimeException failure = null;
    boolean late;
    try {
      out = call(encoded, bound);
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      late = watch != null && watch.exit(); // whatever the call threw
    }
    if (late) {
      throw TimeLimits.waitedFor(limitSeconds, answered, failure);
    }
    if (failure != null) {
      throw asModelException(failure);
    }
    deliver(out, batchDests, n, System.nanoTime() - t0);
  }

  private void complete(Pending p) {
    Object out;
    long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
    if (left <= 0 && !p.result().isDone()) {
      // the record's own work used its time before this call was awaited: its limit, not the model
      p.result().cancel(true);
      endCall(p.call());
      abandon();
      throw TimeLimits.overTime(limitSeconds);
    }
    try {
      out =
          deadline == Long.MAX_VALUE
              ? p.result().get()
              : p.result().get(Math.max(0, left), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      p.result().cancel(true);
      endCall(p.call());
      abandon();
      throw TimeLimits.noAnswer(limitSeconds, answered, e, TimeLimits.INTERRUPTED);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      // the call awaited is this record's alone: end it as at the time limit (before, it ran on
      // to its end, holding the model thread for a result no one would read)
      p.result().cancel(true);
      endCall(p.call());
      abandon();
      throw new ModelException("interrupted while waiting for the model", e);
    } catch (ExecutionException e) {
      abandon();
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException re
          ? asModelException(re)
          : new ModelException("model failed: " + PluginErrors.describe(cause), cause);
    }
    try {
      deliver(out, p.dests(), p.rows(), p.call().nanos);
    } catch (RuntimeException e) {
      abandon();
      throw e;
    }
  }

  /**
   * Asks the model to end a call its thread is still in after the deadline (the interrupt that
   * {@code cancel(true)} sent does not reach native code), so that the model thread is free again.
   */
  private void endCall(ModelCall call) {
    Thread t = call.thread;
    if (t != null && call.state.compareAndSet(ModelCall.RUNNING, ModelCall.ENDING)) {
      try {
        model.interruptCalls(t);
      } catch (RuntimeException e) {
        // the call runs to its end; the record has failed at its limit either way
      } finally {
        call.state.set(ModelCall.DONE);
      }
    }
  }

  /** {@code out}: a flat {@code double[n * C]} from a staged model, else {@code double[n][]}. */
  private void deliver(Object out, Destination[] batchDests, int n, long nanos) {
    modelNanos += nanos;
    answered++;
    if (out instanceof double[] flat) {
      int c = n == 0 ? 0 : flat.length / n;
      if (flat.length != n * c || c == 0) {
        throw new ModelException("model returned " + flat.length + " values for " + n + " rows");
      }
      rounding.observe(flat);
      floored += transform.applyAll(flat, c);
      for (int i = 0; i < n; ) {
        Destination d = batchDests[i];
        int e = i + 1;
        while (e < n && batchDests[e] == d) {
          e++;
        }
        if (e - i == 1) {
          d.accept(flat, i * c, c);
        } else {
          d.acceptRows(flat, i * c, e - i, c);
        }
        i = e;
      }
    } else {
      double[][] rows = (double[][]) out;
      if (rows == null || rows.length != n) {
        throw new ModelException(
            "model returned " + (rows == null ? "nothing" : rows.length + " rows") + " for " + n);
      }
      for (int i = 0; i < n; i++) {
        if (rows[i] != null) {
          rounding.observe(rows[i]);
        }
        floored += transform.flooredIn(rows[i]);
        double[] y = transform.apply(rows[i]);
        batchDests[i].accept(y, 0, y.length);
      }
    }
    rowCount += n;
  }

  /**
   * The size below which differences between the explained scores this runner delivered are
   * floating-point rounding, not the model's ({@link OutputRounding#level}); 0 before any output.
   */
  public double roundingLevel() {
    return rowCount == 0 ? 0 : rounding.level(transform.isLog());
  }

  /** Drops queued and in-flight work after a failure (calls in progress asked to end). */
  private void abandon() {
    for (Pending p : pending) {
      p.result().cancel(false);
      endCall(p.call());
    }
    pending.clear();
    if (codes != null) {
      newLocals();
    }
    queued = 0;
  }

  /**
   * A failure as the record's error: a {@link ModelException}, or an {@link InputException} when a
   * value could not be encoded the way its batch needs (it names its own problem). Any other
   * exception is a bug of the model's code (an adapter plugin's, say) and is named with its class
   * and the frame that threw it, since its message may be empty.
   */
  private static RuntimeException asModelException(RuntimeException e) {
    return e instanceof ModelException || e instanceof io.dime.api.InputException
        ? e
        : new ModelException("model failed: " + PluginErrors.describe(e), e);
  }

  /**
   * Ends the runner's watch over inline model calls (see {@link #inlineWhen}); call it on the
   * explaining thread once the datapoint is done, whatever the outcome.
   */
  public void close() {
    if (watchdog != null) {
      watchdog.close();
      watchdog = null;
    }
  }

  /** Rows sent to the model so far. */
  public long rowCount() {
    return rowCount;
  }

  /** Outputs so far that were probabilities below the floor ({@link OutputTransform}). */
  public long flooredProbabilities() {
    return floored;
  }

  /** Seconds spent inside the model so far. */
  public double modelSeconds() {
    return modelNanos / 1e9;
  }
}
