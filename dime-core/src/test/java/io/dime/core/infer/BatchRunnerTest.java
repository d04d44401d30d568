package io.dime.core.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.MultimodalModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The batch runner's bulk queuing, run-wise delivery and inline batches. */
class BatchRunnerTest {
  /** A model that records every row it is given (and its thread) and scores a row by its values. */
  private static class Recording implements MultimodalModel {
    final List<Object[]> rows = Collections.synchronizedList(new ArrayList<>());
    final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());

    @Override
    public double[][] predict(List<Object[]> batch) {
      threads.add(Thread.currentThread());
      double[][] out = new double[batch.size()][];
      for (int i = 0; i < batch.size(); i++) {
        Object[] row = batch.get(i);
        rows.add(row.clone());
        double a = ((double[]) row[0])[0];
        double b = ((double[]) row[1])[0];
        out[i] = new double[] {a * b + 0.1 * a, a - b};
      }
      return out;
    }

    @Override
    public int outputCount() {
      return 2;
    }

    @Override
    public void close() {}
  }

  private static Object[][] pool(int n, SplittableRandom rng) {
    Object[][] byModality = new Object[2][n];
    for (int j = 0; j < 2; j++) {
      for (int i = 0; i < n; i++) {
        byModality[j][i] = new double[] {rng.nextDouble()};
      }
    }
    return byModality;
  }

  @Test
  void addDrawsQueuesTheSameRowsAsOneAddPerDrawAcrossBatchBoundaries() {
    SplittableRandom rng = new SplittableRandom(11);
    Object[][] pool = pool(20, rng);
    BatchRunner.PoolValues values = (i, j) -> pool[j][i];
    Object[] x = {new double[] {0.3}, new double[] {0.7}};
    int draws = 23;
    int[] tuples = new int[draws * 2];
    for (int t = 0; t < tuples.length; t++) {
      tuples[t] = rng.nextInt(20);
    }
    OutputTransform none = new OutputTransform(false, 2);
    for (long bits : new long[] {1L, 2L, 0L}) {
      Recording bulk = new Recording();
      Recording single = new Recording();
      double[] accBulk = new double[2];
      double[] accSingle = new double[2];
      BatchRunner a = new BatchRunner(bulk, 7, none).poolPins(new int[] {-1, -1});
      BatchRunner b = new BatchRunner(single, 7, none).poolPins(new int[] {-1, -1});
      a.add(x, new BatchRunner.Accumulate(new double[2], 0, 1)); // a batch already begun
      b.add(x, new BatchRunner.Accumulate(new double[2], 0, 1));
      a.addDraws(
          x, bits, tuples, 2, draws - 2, values, new BatchRunner.Accumulate(accBulk, 0, 0.5));
      BatchRunner.Accumulate dest = new BatchRunner.Accumulate(accSingle, 0, 0.5);
      for (int r = 2; r < draws; r++) {
        Object[] row = new Object[2];
        int[] poolRow = new int[2];
        for (int j = 0; j < 2; j++) {
          boolean fromX = (bits >>> j & 1L) != 0;
          row[j] = fromX ? x[j] : pool[j][tuples[r * 2 + j]];
          poolRow[j] = fromX ? -1 : tuples[r * 2 + j];
        }
        b.add(row, poolRow, dest);
      }
      a.flush();
      b.flush();
      assertEquals(single.rows.size(), bulk.rows.size());
      for (int i = 0; i < bulk.rows.size(); i++) {
        for (int j = 0; j < 2; j++) {
          assertSame(single.rows.get(i)[j], bulk.rows.get(i)[j], "row " + i + ", modality " + j);
        }
      }
      assertArrayEquals(accSingle, accBulk, 0.0, "the same sums, bit for bit");
    }
  }

  /**
   * A batch size far beyond the rows queued costs only the rows queued: --batch-size 2000000000
   * allocated its arrays for two billion rows up front and ran out of heap. The arrays grow as rows
   * come, across add and addDraws, and the model gets every row once, in one call, in order.
   */
  @Test
  void aHugeBatchSizeHoldsOnlyTheRowsQueued() {
    SplittableRandom rng = new SplittableRandom(5);
    Object[][] pool = pool(50, rng);
    BatchRunner.PoolValues values = (i, j) -> pool[j][i];
    Object[] x = {new double[] {0.3}, new double[] {0.7}};
    int draws = 3 * BatchRunner.FIRST_CAPACITY + 17;
    int[] tuples = new int[draws * 2];
    for (int t = 0; t < tuples.length; t++) {
      tuples[t] = rng.nextInt(50);
    }
    OutputTransform none = new OutputTransform(false, 2);
    Recording huge = new Recording();
    Recording small = new Recording();
    double[] accHuge = new double[2];
    double[] accSmall = new double[2];
    BatchRunner a = new BatchRunner(huge, 2_000_000_000, none).poolPins(new int[] {-1, -1});
    BatchRunner b = new BatchRunner(small, 1000, none).poolPins(new int[] {-1, -1});
    for (BatchRunner r : new BatchRunner[] {a, b}) {
      double[] acc = r == a ? accHuge : accSmall;
      for (int i = 0; i < BatchRunner.FIRST_CAPACITY - 3; i++) {
        r.add(new Object[] {pool[0][i % 50], x[1]}, new BatchRunner.Accumulate(acc, 0, 1));
      }
      r.addDraws(x, 1L, tuples, 0, draws, values, new BatchRunner.Accumulate(acc, 0, 0.5));
      r.add(x, new BatchRunner.Accumulate(acc, 0, 1));
      r.flush();
    }
    assertEquals(1, huge.threads.size(), "one model call");
    assertEquals(small.rows.size(), huge.rows.size());
    for (int i = 0; i < huge.rows.size(); i++) {
      for (int j = 0; j < 2; j++) {
        assertSame(small.rows.get(i)[j], huge.rows.get(i)[j], "row " + i + ", modality " + j);
      }
    }
    assertArrayEquals(accSmall, accHuge, 1e-9 * Math.abs(accSmall[0]));
  }

  /**
   * A staged model whose rows take {@code bytes} each once encoded; it records each call's rows.
   */
  private static final class Sized extends Recording implements StagedModel {
    final long bytes;
    final List<Integer> calls = Collections.synchronizedList(new ArrayList<>());

    Sized(long bytes) {
      this.bytes = bytes;
    }

    @Override
    public long rowBytes(Object[] row) {
      return bytes;
    }

    @Override
    public Object encode(List<Object[]> rows) {
      return new ArrayList<>(rows);
    }

    @Override
    @SuppressWarnings("unchecked")
    public double[][] run(Object encoded) {
      List<Object[]> rows = (List<Object[]>) encoded;
      calls.add(rows.size());
      return predict(rows);
    }
  }

  /**
   * Rows of many bytes come fewer to a batch: a 300,000-step series (1.2 MB a row) came 256 to a
   * batch and the job ran out of heap. At most {@link BatchRunner#BATCH_BYTES} a batch, at least
   * one row; rows of unknown size (0) and small ones fill the batch size; the outputs are the same.
   */
  @Test
  void rowsOfManyBytesComeFewerToABatch() {
    Object[] x = {new double[] {0.3}, new double[] {0.7}};
    OutputTransform none = new OutputTransform(false, 2);
    long[] sizes = {BatchRunner.BATCH_BYTES / 10, BatchRunner.BATCH_BYTES * 3, 0, 1000};
    int[] perBatch = {10, 1, 64, 64};
    double[] first = null;
    for (int c = 0; c < sizes.length; c++) {
      Sized model = new Sized(sizes[c]);
      double[] acc = new double[2];
      BatchRunner r = new BatchRunner(model, 64, none);
      for (int i = 0; i < 150; i++) {
        r.add(x, new BatchRunner.Accumulate(acc, 0, 1));
      }
      r.flush();
      int n = perBatch[c];
      List<Integer> want = new ArrayList<>();
      for (int left = 150; left > 0; left -= n) {
        want.add(Math.min(n, left));
      }
      assertEquals(want, model.calls, "rows of " + sizes[c] + " bytes");
      if (first == null) {
        first = acc;
      }
      assertArrayEquals(first, acc, 0.0, "the same sums whatever the batches");
    }
  }

  /** A runner given its own cap ({@link BatchRunner#batchBytes}) batches rows by it. */
  @Test
  void aRunnersOwnCapSetsItsRowsPerBatch() {
    Object[] x = {new double[] {0.3}, new double[] {0.7}};
    Sized model = new Sized(1000);
    double[] acc = new double[2];
    BatchRunner r = new BatchRunner(model, 64, new OutputTransform(false, 2)).batchBytes(7_500);
    for (int i = 0; i < 20; i++) {
      r.add(x, new BatchRunner.Accumulate(acc, 0, 1));
    }
    r.flush();
    assertEquals(List.of(7, 7, 6), model.calls, "7,500 bytes hold 7 rows of 1,000");
  }

  @Test
  void acceptRowsAddsExactlyWhatOneCallPerRowAdds() {
    SplittableRandom rng = new SplittableRandom(3);
    double[] out = new double[3 * 41];
    for (int i = 0; i < out.length; i++) {
      out[i] = rng.nextGaussian() * Math.pow(10, rng.nextInt(-8, 9));
    }
    double[] perRow = {0.25, -1e-9, 3e7};
    double[] runWise = perRow.clone();
    BatchRunner.Accumulate one = new BatchRunner.Accumulate(perRow, 0, 1.0 / 7);
    BatchRunner.Accumulate run = new BatchRunner.Accumulate(runWise, 0, 1.0 / 7);
    for (int r = 1; r < 41; r++) {
      one.accept(out, r * 3, 3);
    }
    run.acceptRows(out, 3, 40, 3);
    assertArrayEquals(perRow, runWise, 0.0);
  }

  @Test
  void inlineBatchesRunOnTheCallerAndEveryOutputArrivesInOrder() throws Exception {
    ExecutorService modelThread = Executors.newSingleThreadExecutor();
    try {
      Recording model = new Recording();
      AtomicBoolean inline = new AtomicBoolean(false);
      BatchRunner runner =
          new BatchRunner(model, 4, new OutputTransform(false, 2), modelThread)
              .inlineWhen(inline::get);
      List<Double> arrived = Collections.synchronizedList(new ArrayList<>());
      for (int i = 0; i < 40; i++) {
        if (i % 4 == 0) {
          inline.set((i / 4) % 3 == 1); // every third batch inline, the others pipelined
        }
        double v = i;
        runner.add(new Object[] {new double[] {v}, new double[] {1}}, y -> arrived.add(y[1] + 1));
      }
      runner.flush();
      List<Double> expected = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        expected.add((double) i);
      }
      assertEquals(expected, arrived, "outputs reach their destinations in queue order");
      Thread caller = Thread.currentThread();
      for (int batch = 0; batch < 10; batch++) {
        if (batch % 3 == 1) {
          assertSame(caller, model.threads.get(batch), "batch " + batch + " ran inline");
        } else {
          assertNotSame(caller, model.threads.get(batch), "batch " + batch + " ran pipelined");
        }
      }
    } finally {
      modelThread.shutdownNow();
    }
  }

  /**
   * A batch run on the explaining thread keeps the record's time limit of a runner with a model
   * executor: a model that never answers (but waits interruptibly) fails the record at the
   * deadline, with the message a call on a model thread gets, and the thread's interrupt flag is
   * clear after.
   */
  @Test
  @org.junit.jupiter.api.Timeout(30)
  void aStalledModelCalledInlineFailsItsRecordAtTheDeadline() {
    ExecutorService modelThread = Executors.newSingleThreadExecutor();
    try {
      MultimodalModel stalls = new Stalls(0);
      BatchRunner runner =
          new BatchRunner(stalls, 4, new OutputTransform(false, 2), modelThread)
              .inlineWhen(() -> true)
              .deadline(System.nanoTime() + 500_000_000L, 0.5);
      runner.add(new Object[] {new double[] {1}, new double[] {2}}, y -> {});
      io.dime.api.ModelException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              io.dime.api.ModelException.class, runner::flush);
      org.junit.jupiter.api.Assertions.assertTrue(
          e.getMessage().contains("no answer within the record's time limit (0.5 s"),
          e.getMessage());
      // woken from its 600 s sleep by the deadline's interrupt, not run to its end
      assertEquals("woken", e.getCause().getMessage());
      org.junit.jupiter.api.Assertions.assertFalse(Thread.currentThread().isInterrupted());
      runner.close();
      org.junit.jupiter.api.Assertions.assertFalse(Thread.currentThread().isInterrupted());
    } finally {
      modelThread.shutdownNow();
    }
  }

  /**
   * A model that answers its first {@code answered} calls and then never answers (it waits
   * interruptibly, and throws "woken" when interrupted).
   */
  private static final class Stalls extends Recording {
    private final java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    private final int answered;

    Stalls(int answered) {
      this.answered = answered;
    }

    @Override
    public double[][] predict(List<Object[]> batch) {
      if (calls.incrementAndGet() <= answered) {
        return super.predict(batch);
      }
      try {
        Thread.sleep(600_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("woken");
    }
  }

  /**
   * A model whose call ignores interrupts (as native code does) and runs until {@link
   * #interruptCalls} names its thread (or 20 s pass); it then throws "ended".
   */
  private static final class Deaf extends Recording {
    final List<Thread> asked = Collections.synchronizedList(new ArrayList<>());
    final AtomicBoolean endedCall = new AtomicBoolean();
    private volatile Thread ended;

    @Override
    public double[][] predict(List<Object[]> batch) {
      long until = System.nanoTime() + 20_000_000_000L;
      while (ended != Thread.currentThread() && System.nanoTime() < until) {
        Thread.onSpinWait(); // deaf to the interrupt
      }
      endedCall.set(ended != null);
      ended = null;
      throw new IllegalStateException("ended");
    }

    @Override
    public void interruptCalls(Thread thread) {
      asked.add(thread);
      ended = thread;
    }
  }

  /** Queues one row on a runner with a 0.3 s limit; returns the failure of its flush. */
  private static io.dime.api.ModelException failsAtTheLimit(BatchRunner runner) {
    runner.deadline(System.nanoTime() + 300_000_000L, 0.3);
    runner.add(new Object[] {new double[] {1}, new double[] {2}}, y -> {});
    io.dime.api.ModelException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            io.dime.api.ModelException.class, runner::flush);
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains("no answer within the record's time limit (0.3 s"), e.getMessage());
    return e;
  }

  /**
   * The model deaf to interrupts, called inline: it is asked to end the explaining thread's call at
   * the deadline (once, naming that thread), and the record fails at its limit.
   */
  @Test
  @org.junit.jupiter.api.Timeout(30)
  void aModelDeafToInterruptsIsAskedToEndTheCallAtTheDeadline() {
    ExecutorService modelThread = Executors.newSingleThreadExecutor();
    try {
      Deaf deaf = new Deaf();
      BatchRunner runner =
          new BatchRunner(deaf, 4, new OutputTransform(false, 2), modelThread)
              .inlineWhen(() -> true);
      io.dime.api.ModelException e = failsAtTheLimit(runner);
      assertEquals("ended", e.getCause().getMessage());
      assertEquals(List.of(Thread.currentThread()), deaf.asked);
      // ended because it was asked, not at the end of its 20 s
      org.junit.jupiter.api.Assertions.assertTrue(deaf.endedCall.get(), "the call was ended");
      runner.close();
      org.junit.jupiter.api.Assertions.assertFalse(Thread.currentThread().isInterrupted());
    } finally {
      modelThread.shutdownNow();
    }
  }

  /**
   * A runner with no model executor (the engine's {@code pipelined(false)}) runs every batch on the
   * explaining thread and keeps the same time limit: a stalled model that waits interruptibly and
   * one deaf to interrupts both fail the record at the deadline, not when they return (before, only
   * a runner with an executor watched its inline calls: 20 s sleeps ran to their end).
   */
  @Test
  @org.junit.jupiter.api.Timeout(30)
  void aRunnerWithoutAModelThreadKeepsTheTimeLimit() {
    MultimodalModel stalls = new Stalls(0);
    Deaf deaf = new Deaf();
    for (MultimodalModel model : List.of(stalls, deaf)) {
      BatchRunner runner = new BatchRunner(model, 4, new OutputTransform(false, 2));
      io.dime.api.ModelException e = failsAtTheLimit(runner);
      // ended at the deadline, not run to its end: woken from its 600 s sleep, or asked to end
      // before its 20 s were out
      org.junit.jupiter.api.Assertions.assertTrue(
          model == stalls ? "woken".equals(e.getCause().getMessage()) : deaf.endedCall.get(),
          "" + e.getCause());
      runner.close();
      org.junit.jupiter.api.Assertions.assertFalse(Thread.currentThread().isInterrupted());
    }
    assertEquals(List.of(Thread.currentThread()), deaf.asked);
  }

  /**
   * A model that has answered some of the record's calls and is still computing one at the deadline
   * is a healthy model and a record too costly for its limit: the record fails with a {@link
   * io.dime.api.LimitException} (stage "limit", not counted towards stopping the job), on the
   * explaining thread and on a model thread alike. One that answered none is stalled (above).
   */
  @Test
  @org.junit.jupiter.api.Timeout(30)
  void aModelThatAnsweredBeforeTheDeadlineFailsTheRecordsLimitNotTheModel() {
    ExecutorService modelThread = Executors.newSingleThreadExecutor();
    try {
      for (boolean pipelined : new boolean[] {false, true}) {
        MultimodalModel slowSecond = new Stalls(1);
        BatchRunner runner =
            pipelined
                ? new BatchRunner(slowSecond, 1, new OutputTransform(false, 2), modelThread)
                : new BatchRunner(slowSecond, 1, new OutputTransform(false, 2));
        runner.deadline(System.nanoTime() + 300_000_000L, 0.3);
        io.dime.api.LimitException e = threeRowsPastTheLimit(runner);
        // inline, the call is waited for: it stopped when interrupted (Stalls throws "woken")
        assertEquals(
            "the explanation took longer than 0.3 s (limit maxSecondsPerPoint); the model was"
                + " computing a batch then, and "
                + (pipelined ? "the call was interrupted" : "the call was ended"),
            e.getMessage(),
            "pipelined " + pipelined);
        runner.close();
        org.junit.jupiter.api.Assertions.assertFalse(Thread.currentThread().isInterrupted());
      }
    } finally {
      modelThread.shutdownNow();
    }
  }

  /**
   * A model that ends no call when asked (it answers once its thread has been interrupted, as a
   * native call would answer at its end), called on the explaining thread: the record fails at its
   * limit once the call returns, and its message says the call ran on to its end instead of
   * claiming it was interrupted (before, the two read the same).
   */
  @Test
  @org.junit.jupiter.api.Timeout(30)
  void aCallThatRunsOnAfterTheDeadlineSaysSoInTheRecordsMessage() {
    MultimodalModel runsOn =
        new Recording() {
          private int calls;

          @Override
          public double[][] predict(List<Object[]> batch) {
            if (++calls > 1) {
              while (!Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait(); // the deadline's interrupt: the call then answers in full
              }
            }
            return super.predict(batch);
          }
        };
    BatchRunner runner = new BatchRunner(runsOn, 1, new OutputTransform(false, 2));
    runner.deadline(System.nanoTime() + 300_000_000L, 0.3);
    io.dime.api.LimitException e = threeRowsPastTheLimit(runner);
    assertEquals(
        "the explanation took longer than 0.3 s (limit maxSecondsPerPoint); the model was"
            + " computing a batch then, and the call, asked to end, ran on to its end: the model"
            + " does not end a call in progress (a smaller --batch-size makes each call shorter)",
        e.getMessage());
    runner.close();
    org.junit.jupiter.api.Assertions.assertFalse(Thread.currentThread().isInterrupted());
  }

  /**
   * The same model called on a model thread: the record fails at the deadline, the model is asked
   * to end the call on the model thread (which no interrupt reaches), and that thread is free for
   * the next batch at once.
   */
  @Test
  @org.junit.jupiter.api.Timeout(30)
  void aModelThreadsCallDeafToInterruptsIsEndedAtTheDeadline() throws Exception {
    ExecutorService modelThread = Executors.newSingleThreadExecutor();
    try {
      Deaf deaf = new Deaf();
      Thread worker = modelThread.submit(Thread::currentThread).get();
      BatchRunner runner = new BatchRunner(deaf, 4, new OutputTransform(false, 2), modelThread);
      failsAtTheLimit(runner);
      assertEquals(List.of(worker), deaf.asked);
      assertSame(worker, modelThread.submit(Thread::currentThread).get());
      // free because the call was ended when asked, not at the end of its 20 s
      org.junit.jupiter.api.Assertions.assertTrue(deaf.endedCall.get(), "the call was ended");
      runner.close();
    } finally {
      modelThread.shutdownNow();
    }
  }

  /**
   * The cap on a batch's encoded bytes: 64 MiB, a 16th of the heap, and on more than 2 processors
   * at most heap / (8 x processors), so that two batches on each of as many threads as processors
   * hold at most a quarter of the heap.
   */
  @Test
  void aBatchsBytesShrinkWithTheHeapAndTheProcessors() {
    long mib = 1L << 20;
    assertEquals(64 * mib, BatchBytes.of(4096 * mib, 1));
    assertEquals(64 * mib, BatchBytes.of(4096 * mib, 2));
    assertEquals(64 * mib, BatchBytes.of(4096 * mib, 8));
    assertEquals(32 * mib, BatchBytes.of(4096 * mib, 16));
    assertEquals(8 * mib, BatchBytes.of(4096 * mib, 64));
    assertEquals(16 * mib, BatchBytes.of(256 * mib, 1));
    assertEquals(16 * mib, BatchBytes.of(256 * mib, 2));
    assertEquals(2 * mib, BatchBytes.of(256 * mib, 16));
    assertEquals(16 * mib, BatchBytes.of(256 * mib, 0), "no processors reads as one");
    long jvm = Runtime.getRuntime().maxMemory();
    int cpus = Runtime.getRuntime().availableProcessors();
    assertEquals(BatchBytes.of(jvm, cpus), BatchBytes.forPoints(1), "fewer points: the processors");
    assertEquals(BatchBytes.of(jvm, cpus + 40), BatchBytes.forPoints(cpus + 40));
    for (int p = 1; p <= 256; p++) {
      long heap = 4096 * mib;
      assertTrue(
          2L * p * BatchBytes.of(heap, p) <= heap / 4,
          "two batches a processor hold at most a quarter of the heap: " + p);
    }
  }

  /** Three one-row calls on {@code runner}, whose deadline passes during them: its limit error. */
  private static io.dime.api.LimitException threeRowsPastTheLimit(BatchRunner runner) {
    return org.junit.jupiter.api.Assertions.assertThrows(
        io.dime.api.LimitException.class,
        () -> {
          for (int i = 0; i < 3; i++) {
            runner.add(new Object[] {new double[] {i}, new double[] {2}}, y -> {});
          }
          runner.flush();
        });
  }
}
