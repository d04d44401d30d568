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
 * @param backoffMillis the wait before the first retry; it doubles before each next one
 * @param batchSize most rows per request; 0 for no limit
 * @param encoding how tensors travel: {@code json}, {@code binary} or {@code auto}
 */
record OipSettings(
    int concurrency,
    Duration timeout,
    int retries,
    long backoffMillis,
    int batchSize,
    String encoding) {
  static final String CONCURRENCY = "concurrency";
  static final String TIMEOUT_SECONDS = "timeoutSeconds";
  static final String RETRIES = "retries";
  static final String RETRY_BACKOFF_MILLIS = "retryBackoffMillis";
  static final String BATCH_SIZE = "batchSize";
  static final String TENSOR_ENCODING = "tensorEncoding";

  static final String JSON = "json";
  static final String BINARY = "binary";
  static final String AUTO = "auto";

  static final int DEFAULT_CONCURRENCY = 1;
  static final double DEFAULT_TIMEOUT_SECONDS = 60;
  static final int DEFAULT_RETRIES = 3;
  static final int DEFAULT_BACKOFF_MILLIS = 100;

  private static final Set<String> KNOWN =
      Set.of(
          CONCURRENCY, TIMEOUT_SECONDS, RETRIES, RETRY_BACKOFF_MILLIS, BATCH_SIZE, TENSOR_ENCODING);

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
    if (!(seconds > 0) || seconds > 86_400) {
      throw new IllegalArgumentException(
          config.component()
              + ": setting '"
              + TIMEOUT_SECONDS
              + "' must be above 0 and at most 86400 (a day), found "
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
    int batchSize = config.getInt(BATCH_SIZE, 0);
    atLeast(config, BATCH_SIZE, batchSize, 0);
    String encoding = config.getChoice(TENSOR_ENCODING, AUTO, Set.of(JSON, BINARY, AUTO));
    return new OipSettings(
        concurrency,
        Duration.ofNanos(Math.round(seconds * 1e9)),
        retries,
        backoff,
        batchSize,
        encoding);
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

  /** Every setting, for provenance. */
  Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(CONCURRENCY, concurrency);
    m.put(TIMEOUT_SECONDS, timeout.toNanos() / 1e9);
    m.put(RETRIES, retries);
    m.put(RETRY_BACKOFF_MILLIS, backoffMillis);
    m.put(BATCH_SIZE, batchSize);
    m.put(TENSOR_ENCODING, encoding);
    return m;
  }
}
