package io.dime.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How the model adapter calls a served model (a picocli mixin of {@code explain} and {@code
 * inspect-model}): each option becomes an adapter setting only when given, so an adapter's own
 * defaults hold otherwise, and an adapter that runs the model in process (onnx) refuses them.
 */
final class ModelCallOptions {
  /** The adapter setting {@code --model-timeout} sets. */
  static final String TIMEOUT_SECONDS = "timeoutSeconds";

  /** The adapter setting {@code --model-retries} sets. */
  static final String RETRIES = "retries";

  /** The adapter setting {@code --model-max-response-mb} sets. */
  static final String MAX_RESPONSE = "maxResponseMegabytes";

  @Option(
      names = "--model-timeout",
      paramLabel = "SECONDS",
      description =
          "how long one call to a served model may take before it is abandoned and sent again"
              + " (the adapter setting timeoutSeconds; oip: default 60). Served models only")
  Double timeoutSeconds;

  @Option(
      names = "--model-retries",
      paramLabel = "N",
      description =
          "how many times a failed call to a served model is sent again (HTTP 429, 502, 503 or"
              + " 504, a refused or dropped connection, a timeout), after 100, 200, 400, ... ms"
              + " (the adapter setting retries; oip: default 3, at most 30). Served models only")
  Integer retries;

  @Option(
      names = "--model-max-response-mb",
      paramLabel = "MB",
      description =
          "the longest answer of a served model read, in MiB, 1 to 2047; a longer one fails the"
              + " call at once and is not sent again (the adapter setting maxResponseMegabytes;"
              + " oip: default 256). Served models only")
  Integer maxResponseMegabytes;

  /** The settings the given options make, in a stable order. */
  Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (timeoutSeconds != null) {
      if (!(timeoutSeconds > 0)) {
        throw new IllegalArgumentException(
            "--model-timeout must be above 0 seconds, found " + timeoutSeconds);
      }
      m.put(TIMEOUT_SECONDS, timeoutSeconds);
    }
    if (retries != null) {
      if (retries < 0) {
        throw new IllegalArgumentException("--model-retries must be 0 or more, found " + retries);
      }
      m.put(RETRIES, retries);
    }
    if (maxResponseMegabytes != null) {
      m.put(MAX_RESPONSE, maxResponseMegabytes); // its range is the adapter's to check
    }
    return m;
  }

  /** The option that set {@code setting}, or null. */
  String optionOf(String setting) {
    return switch (setting) {
      case TIMEOUT_SECONDS -> timeoutSeconds == null ? null : "--model-timeout";
      case RETRIES -> retries == null ? null : "--model-retries";
      case MAX_RESPONSE -> maxResponseMegabytes == null ? null : "--model-max-response-mb";
      default -> null;
    };
  }
}
