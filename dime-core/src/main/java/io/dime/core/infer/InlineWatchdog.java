package io.dime.core.infer;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The record's time limit for model calls made on the explaining thread ({@link
 * BatchRunner#inlineWhen}). Armed once per datapoint, it interrupts that thread if the deadline
 * passes during such a call, as a call on a model thread is abandoned there, so that a stalled
 * model that waits interruptibly (a sleep, a remote call) still fails its record at the limit
 * instead of holding the thread. It also asks the model to end the call ({@link
 * io.dime.api.MultimodalModel#interruptCalls}), for a model whose calls run in native code that
 * ignores interrupts (ONNX Runtime's). One timer task per datapoint, none per call (a task per call
 * woke the timer thread at every batch). The interrupt flag is clear again after {@link #exit} and
 * {@link #close}.
 */
final class InlineWatchdog implements AutoCloseable {
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private static final int IDLE = 0;
  private static final int IN_CALL = 1;
  private static final int FIRING = 2;
  private static final int FIRED = 3; // interrupted during a call
  private static final int EXPIRED = 4; // the deadline passed between calls
  private static final int CLOSED = 5;

  private final Thread caller = Thread.currentThread();
  private final AtomicInteger state = new AtomicInteger(IDLE);
  private final java.util.function.Consumer<Thread> endCall;
  private final ScheduledFuture<?> task;

  /**
   * Watches the calling thread's calls until {@code deadlineNanos} ({@link System#nanoTime}).
   *
   * @param endCall asked to end the call running on the watched thread, after its interrupt; it
   *     runs before the thread can leave {@link #exit}, so the call it ends is the watched one
   */
  InlineWatchdog(long deadlineNanos, java.util.function.Consumer<Thread> endCall) {
    this.endCall = endCall;
    long delay = Math.max(0, deadlineNanos - System.nanoTime());
    this.task = TIMER.schedule(this::fire, delay, TimeUnit.NANOSECONDS);
  }

  private void fire() {
    if (state.compareAndSet(IN_CALL, FIRING)) {
      try {
        caller.interrupt();
        endCall.accept(caller);
      } catch (RuntimeException e) {
        // the interrupt is sent; a model that fails to end its call only keeps the thread longer
      } finally {
        state.set(FIRED);
      }
    } else {
      state.compareAndSet(IDLE, EXPIRED);
    }
  }

  /** Before a call on the watched thread: false when the deadline has passed already. */
  boolean enter() {
    return state.compareAndSet(IDLE, IN_CALL);
  }

  /** After the call: whether the deadline passed during it (the interrupt flag is clear again). */
  boolean exit() {
    if (state.compareAndSet(IN_CALL, IDLE)) {
      return false;
    }
    settle();
    return true;
  }

  /**
   * Ends the watch (on the watched thread, between calls). No interrupt can come after it: the
   * timer interrupts only during a call, and {@link #exit} has already cleared one that came during
   * the last call; an interrupt from anyone else stays set.
   */
  @Override
  public void close() {
    task.cancel(false);
    state.set(CLOSED);
  }

  /** Waits out an interrupt on its way, then clears it. */
  private void settle() {
    while (state.get() == FIRING) {
      Thread.onSpinWait();
    }
    Thread.interrupted();
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread th = new Thread(r, "dime-deadline");
              th.setDaemon(true);
              return th;
            });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }
}
