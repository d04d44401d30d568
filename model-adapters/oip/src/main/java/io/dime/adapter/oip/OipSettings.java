package io.dime.adapter.oip;

import io.dime.spi.PluginConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The OIP adapter's settings, read from a {@link PluginConfig} and checked.
 *
 * @param concurrency most requests in flight at once, over every thread that runs the model
 * @param timeout how long one request may take before it is abandoned (and retried)
 * @param retries how many times a failed request is sent again
 * @param backoffMillis the wait before the first retry; it doubles before each next one (a server's
 *     longer Retry-After on a 429 or 503 is waited instead)
 * @param batchSize most rows per request; 0 for no limit
 * @param encoding how tensors travel: {@code json}, {@code binary} or {@code auto}
 * @param maxResponseMegabytes the longest answer body read, in MiB (a longer one fails the call)
 */
record OipSettings(
    int concurrency,
    Duration timeout,
    int retries,
    long backoffMillis,
    int batchSize,
    String encoding,
    int maxResponseMegabytes) {
  static final String CONCURRENCY = "concurrency";
  static final String TIMEOUT_SECONDS = "timeoutSeconds";
  static final String RETRIES = "retries";
  static final String RETRY_BACKOFF_MILLIS = "retryBackoffMillis";
  static final String BATCH_SIZE = "batchSize";
  static final String TENSOR_ENCODING = "tensorEncoding";
  static final String MAX_RESPONSE_MEGABYTES = "maxResponseMegabytes";

  static final String JSON = "json";
  static final String BINARY = "binary";
  static final String AUTO = "auto";

  static final int DEFAULT_CONCURRENCY = 1;
  static final double DEFAULT_TIMEOUT_SECONDS = 60;
  static final int DEFAULT_RETRIES = 3;
  static final int DEFAULT_BACKOFF_MILLIS = 100;

  /**
   * 256 MiB: some ten million numbers as JSON, far more than the outputs of a batch of a classifier
   * need, and little enough that a server answering without end cannot fill the heap.
   */
  static final int DEFAULT_MAX_RESPONSE_MEGABYTES = 256;

  /** A Java array holds at most 2 GiB. */
  private static final int MOST_RESPONSE_MEGABYTES = 2047;

  private static final Set<String> KNOWN =
      Set.of(
          CONCURRENCY,
          TIMEOUT_SECONDS,
          RETRIES,
          RETRY_BACKOFF_MILLIS,
          BATCH_SIZE,
          TENSOR_ENCODING,
          MAX_RESPONSE_MEGABYTES);

  /**
   * Reads and checks the settings.
   *
   * @throws IllegalArgumentException for an unknown key or a bad value, naming the setting
   */
  static OipSettings of(PluginConfig config) {
    config.requireKnown(KNOWN);
    int concurrency = config.getInt(CONCURRENCY, DEFAULT_CONCURRENCY);
    atLeast(config, CONCURRENCY, concurrency, 1);
    double seconds = config.getDouble(TIMEOUT_SECONDS, DEFAULT_TIMEOUT_SECONDS);
    // under a millisecond: a timeout under a nanosecond was 0, which the HTTP client refused at
    // the first request ("Invalid duration: PT0S"), and one of microseconds fails every request
    if (!(seconds >= 0.001) || seconds > 86_400) {
      throw new IllegalArgumentException(
          config.component()
              + ": setting '"
              + TIMEOUT_SECONDS
              + "' must be from 0.001 (a millisecond) to 86400 (a day), found "
              + seconds);
    }
    int retries = config.getInt(RETRIES, DEFAULT_RETRIES);
    atLeast(config, RETRIES, retries, 0);
    if (retries > 30) {
      throw new IllegalArgumentException(
          config.component() + ": setting '" + RETRIES + "' must be at most 30, found " + retries);
    }
    int backoff = config.getInt(RETRY_BACKOFF_MILLIS, DEFAULT_BACKOFF_MILLIS);
    atLeast(config, RETRY_BACKOFF_MILLIS, backoff, 0);
    if (backoff > RetryPolicy.MAX_DELAY_MILLIS) {
      // a wait is at most a minute, so a longer backoff was cut to a minute without a word
      throw new IllegalArgumentException(
          config.component()
              + ": setting '"
              + RETRY_BACKOFF_MILLIS
              + "' must be at most "
              + RetryPolicy.MAX_DELAY_MILLIS
              + " (a minute: the longest wait between sends), found "
              + backoff);
    }
    int batchSize = config.getInt(BATCH_SIZE, 0);
    atLeast(config, BATCH_SIZE, batchSize, 0);
    String encoding = config.getChoice(TENSOR_ENCODING, AUTO, Set.of(JSON, BINARY, AUTO));
    int megabytes = config.getInt(MAX_RESPONSE_MEGABYTES, DEFAULT_MAX_RESPONSE_MEGABYTES);
    atLeast(config, MAX_RESPONSE_MEGABYTES, megabytes, 1);
    if (megabytes > MOST_RESPONSE_MEGABYTES) {
      throw new IllegalArgumentException(
          config.component()
              + ": setting '"
              + MAX_RESPONSE_MEGABYTES
              + "' must be at most "
              + MOST_RESPONSE_MEGABYTES
              + ", found "
              + megabytes);
    }
    return new OipSettings(
        concurrency,
        Duration.ofNanos(Math.round(seconds * 1e9)),
        retries,
        backoff,
        batchSize,
        encoding,
        megabytes);
  }

  private static void atLeast(PluginConfig config, String key, int value, int least) {
    if (value < least) {
      throw new IllegalArgumentException(
          config.component()
              + ": setting '"
              + key
              + "' must be at least "
              + least
              + ", found "
              + value);
    }
  }

  /** The longest answer body read, in bytes. */
  long maxResponseBytes() {
    return maxResponseMegabytes * 1024L * 1024L;
  }

  /**
   * Every setting, for provenance; {@code maxResponseMegabytes} only when it is not the default, so
   * that runs recorded before it existed still resume (it changes no result, only which fail).
   */
  Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(CONCURRENCY, concurrency);
    m.put(TIMEOUT_SECONDS, timeout.toNanos() / 1e9);
    m.put(RETRIES, retries);
    m.put(RETRY_BACKOFF_MILLIS, backoffMillis);
    m.put(BATCH_SIZE, batchSize);
    m.put(TENSOR_ENCODING, encoding);
    if (maxResponseMegabytes != DEFAULT_MAX_RESPONSE_MEGABYTES) {
      m.put(MAX_RESPONSE_MEGABYTES, maxResponseMegabytes);
    }
    return m;
  }
}
