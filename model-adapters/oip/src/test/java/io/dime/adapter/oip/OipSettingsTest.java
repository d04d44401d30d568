package io.dime.adapter.oip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile values of the adapter's settings (as a pipeline's YAML or the command line gives them:
 * numbers, strings of numbers, fractions, NaN, huge or tiny values) are refused when the settings
 * are read, before any request, naming the setting, the value and what is allowed.
 */
class OipSettingsTest {
  private static OipSettings read(String key, Object value) {
    return OipSettings.of(TestModels.config(key, value));
  }

  static List<Arguments> refused() {
    return List.of(
        Arguments.of("concurrency", 0, "must be at least 1, found 0"),
        Arguments.of("concurrency", -1, "must be at least 1, found -1"),
        Arguments.of("concurrency", 1.5, "must be an integer, found '1.5'"),
        Arguments.of("concurrency", 2147483648L, "must be an integer from -2147483648 to"),
        Arguments.of("concurrency", 1e300, "must be an integer from -2147483648 to"),
        Arguments.of("concurrency", Double.NaN, "must be an integer, found 'NaN'"),
        Arguments.of("concurrency", List.of(2), "must be an integer, found '[2]'"),
        Arguments.of("timeoutSeconds", 0, "found 0.0"),
        Arguments.of("timeoutSeconds", -1, "found -1.0"),
        Arguments.of("timeoutSeconds", Double.NaN, "found NaN"),
        Arguments.of("timeoutSeconds", "NaN", "found NaN"),
        Arguments.of("timeoutSeconds", Double.POSITIVE_INFINITY, "found Infinity"),
        Arguments.of("timeoutSeconds", 1e300, "found 1.0E300"),
        Arguments.of("timeoutSeconds", 86400.5, "found 86400.5"),
        Arguments.of("timeoutSeconds", "abc", "must be a number, found 'abc'"),
        // under a nanosecond it was a timeout of 0, which the HTTP client refused at the first
        // request ("Invalid duration: PT0S"), naming no setting
        Arguments.of("timeoutSeconds", 1e-10, "found 1.0E-10"),
        Arguments.of("timeoutSeconds", 0.0009, "found 9.0E-4"),
        Arguments.of("retries", -1, "must be at least 0, found -1"),
        Arguments.of("retries", 31, "must be at most 30, found 31"),
        Arguments.of("retries", 2147483647, "must be at most 30, found 2147483647"),
        Arguments.of("retries", 2147483648L, "must be an integer from -2147483648 to"),
        Arguments.of("retryBackoffMillis", -1, "must be at least 0, found -1"),
        // a wait is at most a minute: a longer backoff was cut to one without a word
        Arguments.of("retryBackoffMillis", 60001, "must be at most 60000 (a minute"),
        Arguments.of("retryBackoffMillis", 2147483647, "found 2147483647"),
        Arguments.of("batchSize", -1, "must be at least 0, found -1"),
        Arguments.of("batchSize", 0.5, "must be an integer, found '0.5'"),
        Arguments.of("maxResponseMegabytes", 0, "must be at least 1, found 0"),
        Arguments.of("maxResponseMegabytes", 2048, "must be at most 2047, found 2048"),
        Arguments.of("tensorEncoding", "xml", "is 'xml'; allowed: [auto, binary, json]"),
        Arguments.of("tensorEncoding", List.of("json"), "must be one value (a string)"));
  }

  @ParameterizedTest
  @MethodSource
  void refused(String key, Object value, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> read(key, value));
    assertTrue(
        e.getMessage().startsWith("model adapter 'oip': setting '" + key + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("refused")
  void refusedThroughOpenBeforeAnyRequest(String key, Object value, String message) {
    // port 9 (discard): nothing is sent, the settings are read first
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                OipModelAdapter.open(
                    "http://127.0.0.1:9/v2/models/m", TestModels.config(key, value)));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  static List<Arguments> read() {
    return List.of(
        Arguments.of("concurrency", "4", 4),
        Arguments.of("concurrency", 4.0, 4),
        Arguments.of("retries", 30, 30),
        Arguments.of("retryBackoffMillis", 0, 0L),
        Arguments.of("retryBackoffMillis", 60000, 60000L),
        Arguments.of("batchSize", 2147483647, 2147483647),
        Arguments.of("maxResponseMegabytes", 2047, 2047));
  }

  @ParameterizedTest
  @MethodSource
  void read(String key, Object value, Object expected) {
    assertEquals(expected, read(key, value).asMap().get(key));
  }

  @ParameterizedTest
  @MethodSource("timeouts")
  void aTimeoutIsReadToTheNanosecond(Object seconds, double expected) {
    assertEquals(expected, read("timeoutSeconds", seconds).asMap().get("timeoutSeconds"));
  }

  static List<Arguments> timeouts() {
    return List.of(Arguments.of(2.5, 2.5), Arguments.of("86400", 86400.0), Arguments.of(1, 1.0));
  }
}
