package io.dime.cli;

/** A one-line progress bar with rate and time left, on standard error. */
final class Progress {
  private final int total;
  private final boolean quiet;
  private final long start = System.nanoTime();
  private long lastPrint;

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
    System.err.printf(
        "\r[%s%s] %d/%d  %.2f/s  %s left   ",
        "#".repeat(filled), ".".repeat(width - filled), done, total, rate, clock(left));
  }

  void done() {
    if (!quiet) {
      System.err.println();
    }
  }

  private static String clock(double seconds) {
    long s = Math.round(seconds);
    return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
