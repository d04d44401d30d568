package io.dime.adapter.oip;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;

/**
 * Which failed requests are sent again, and after how long: the answers that say "later" (HTTP 429
 * Too Many Requests, 502 Bad Gateway, 503 Service Unavailable, 504 Gateway Timeout) and failures to
 * get an answer at all (connection refused or reset, a timeout), at most {@code retries} times,
 * waiting {@code backoffMillis}, then twice that, four times that, ... (no jitter, so a run's waits
 * are the same every time; at most a minute each). A 429 or 503 that says how long to wait (a
 * {@code Retry-After} header of seconds or an HTTP date) is waited for that long when it is longer
 * than the backoff, also at most a minute. Any other answer (a 4xx naming a bad request, a 500 from
 * the model) is final.
 *
 * @param retries how many times a request is sent again; 0 for never
 * @param backoffMillis the wait before the first retry
 */
record RetryPolicy(int retries, long backoffMillis) {
  private static final Set<Integer> TRANSIENT = Set.of(429, 502, 503, 504);

  /** The longest wait before a send: a minute. */
  static final long MAX_DELAY_MILLIS = 60_000;

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

  /**
   * The wait before retry {@code retry} when the server asked for {@code askedMillis} (negative
   * when it asked for nothing): the longer of the two, at most a minute.
   */
  long delayMillis(int retry, long askedMillis) {
    return Math.min(MAX_DELAY_MILLIS, Math.max(delayMillis(retry), askedMillis));
  }

  /**
   * The wait a {@code Retry-After} value asks for, in milliseconds, at {@code now}: delta-seconds
   * or an HTTP date (RFC 9110); -1 when there is none, it is neither, or the status is not 429 or
   * 503 (the statuses the header means "later" for). A date in the past asks for 0.
   */
  static long retryAfterMillis(int status, Optional<String> value, Instant now) {
    if ((status != 429 && status != 503) || value.isEmpty()) {
      return -1;
    }
    String v = value.get().trim();
    if (v.matches("[0-9]{1,9}")) {
      return Long.parseLong(v) * 1000;
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Math.max(0, Duration.between(now, at).toMillis());
    } catch (DateTimeException | ArithmeticException e) {
      return -1; // not a wait this policy can read: the backoff alone
    }
  }
}
