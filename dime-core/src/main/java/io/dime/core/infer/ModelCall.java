package io.dime.core.infer;

/**
 * A batch's call on a model thread: its thread and time, and whether the deadline is asking the
 * model to end it ({@code BatchRunner.endCall}). The thread does not leave the call while the
 * request is being made, so the model never ends the next call on that thread instead.
 */
final class ModelCall {
  static final int RUNNING = 0;
  static final int ENDING = 1;
  static final int DONE = 2;
  final java.util.concurrent.atomic.AtomicInteger state =
      new java.util.concurrent.atomic.AtomicInteger(RUNNING);
  volatile Thread thread;
  long nanos; // written by the model thread before its result, read after it

  /** On the model thread, as the call returns or throws. */
  void leave() {
    if (!state.compareAndSet(RUNNING, DONE)) {
      while (state.get() == ENDING) {
        Thread.onSpinWait();
      }
    }
  }
}
