package io.dime.cli;

/** A one-line progress bar with rate and time left, on standard error. */
final class Progress {
  private final int total;
  private final boolean quiet;
  private final long start = System.nanoTime();
  private long lastPrint;
  private int shown; // the length of the bar's line on the terminal, 0 when there is none

  Progress(int total, boolean quiet) {
    this.total = total;
    this.quiet = quiet;
  }

  void update(int done) {
    if (quiet) {
      return;
    }
    long now = System.nanoTime();
    if (done < total && now - lastPrint < 500_000_000L) {
      return;
    }
    lastPrint = now;
    double secs = (now - start) / 1e9;
    double rate = done / Math.max(secs, 1e-9);
    double left = rate > 0 ? (total - done) / rate : 0;
    int width = 30;
    int filled = (int) Math.round(width * (double) done / total);
    String bar =
        String.format(
            java.util.Locale.ROOT,
            "[%s%s] %d/%d  %.2f/s  %s left   ",
            "#".repeat(filled),
            ".".repeat(width - filled),
            done,
            total,
            rate,
            clock(left));
    System.err.print("\r" + bar);
    shown = bar.length();
  }

  /**
   * Clears the bar's line so that a message can take it; the next {@link #update} draws the bar
   * again below the message.
   */
  void clear() {
    if (shown > 0) {
      System.err.print("\r" + " ".repeat(shown) + "\r");
      shown = 0;
      lastPrint = 0;
    }
  }

  void done() {
    if (!quiet && shown > 0) {
      System.err.println();
    }
    shown = 0;
  }

  private static String clock(double seconds) {
    long s = Math.round(seconds);
    return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
