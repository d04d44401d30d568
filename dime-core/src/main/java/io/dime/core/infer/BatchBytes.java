package io.dime.core.infer;

/** How many bytes of the model's encoded inputs one batch of a {@link BatchRunner} may hold. */
public final class BatchBytes {
  /** This JVM's: {@link #of} its heap and its processors. */
  static final long CAP =
      of(Runtime.getRuntime().maxMemory(), Runtime.getRuntime().availableProcessors());

  private BatchBytes() {}

  /**
   * The cap for an engine whose caller explains up to {@code pointsAtOnce} datapoints at once (each
   * with up to two batches in flight): {@link #of} this JVM's heap and the larger of its processors
   * and {@code pointsAtOnce}.
   */
  public static long forPoints(int pointsAtOnce) {
    return of(
        Runtime.getRuntime().maxMemory(),
        Math.max(Runtime.getRuntime().availableProcessors(), pointsAtOnce));
  }

  /**
   * Encoded bytes a batch may hold under a heap of {@code heap} bytes on {@code processors}
   * processors: 64 MiB, but at most a 16th of the heap, and at most {@code heap / (8 x processors)}
   * (less than 64 MiB under a heap of 1 GiB, or of 512 MiB times the processors). A job explains on
   * as many threads as processors by default, each with up to two batches in flight (one filled
   * while the model runs the other), so on many processors their batches together hold at most a
   * quarter of the heap (the reference pool's encodings may take half). It depends on the machine
   * alone, not on how many points are being explained at the moment, so a run's batches are the
   * same at any load; up to 2 processors it is the 16th.
   */
  static long of(long heap, int processors) {
    return Math.min(64L << 20, Math.min(heap / 16, heap / (8L * Math.max(1, processors))));
  }
}
