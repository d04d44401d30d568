package io.dime.adapter.oip;

import java.util.Set;

/**
 * Which failed requests are sent again, and after how long: the answers that say "later" (HTTP 429
 * Too Many Requests, 502 Bad Gateway, 503 Service Unavailable, 504 Gateway Timeout) and failures to
 * get an answer at all (connection refused or reset, a timeout), at most {@code retries} times,
 * waiting {@code backoffMillis}, then twice that, four times that, ... (no jitter, so a run's waits
 * are the same every time; at most a minute each). Any other answer (a 4xx naming a bad request, a
 * 500 from the model) is final.
 *
 * @param retries how many times a request is sent again; 0 for never
 * @param backoffMillis the wait before the first retry
 */
record RetryPolicy(int retries, long backoffMillis) {
  private static final Set<Integer> TRANSIENT = Set.of(429, 502, 503, 504);
  private static final long MAX_DELAY_MILLIS = 60_000;

  /** Whether an HTTP answer with this status is worth asking again. */
  static boolean retryable(int status) {
    return TRANSIENT.contains(status);
  }

  /** Whether attempt {@code attempt} (1 for the first send) may be followed by another. */
  boolean another(int attempt) {
    return attempt <= retries;
  }

  /** The wait before retry {@code retry} (1 for the first retry), in milliseconds. */
  long delayMillis(int retry) {
    if (backoffMillis == 0) {
      return 0;
    }
    int doublings = Math.min(retry - 1, 20);
    return Math.min(MAX_DELAY_MILLIS, backoffMillis << doublings);
  }

  /** The sum of every wait when all retries are used, in milliseconds, for messages. */
  long totalDelayMillis() {
    long total = 0;
    for (int r = 1; r <= retries; r++) {
      total += delayMillis(r);
    }
    return total;
  }
}
