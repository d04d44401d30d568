package io.dime.adapter.oip;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dime.api.ModelException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends requests to one server with {@link HttpClient}: at most {@code concurrency} in flight at
 * once, each abandoned when its whole answer (headers and body) has not come within the timeout,
 * each answer's body at most {@code maxResponseMegabytes} long, and the failed ones sent again as
 * the {@link RetryPolicy} says. Thread-safe.
 */
final class OipClient {
  /**
   * Reads and writes the protocol's JSON, numbers with Jackson's fast writer and parser (the
   * shortest text that reads back to the same float, and correctly rounded reading), and a text's
   * characters outside the basic plane as 4-byte UTF-8, not as escaped surrogates. Reading takes
   * the tokens {@code NaN}, {@code Infinity} and {@code -Infinity} that Python's JSON writes for
   * such floats, so that a model answering them fails its record as it does in binary ("model
   * returned NaN"), not as text that is not JSON.
   */
  static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder()
              .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
              .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
              .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
              .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
              .build());

  /** The binary tensor extension's header: the length of the JSON part of a body. */
  static final String HEADER_LENGTH = "Inference-Header-Content-Length";

  private static final int MAX_ERROR_CHARS = 400;

  private final HttpClient http;
  private final OipLocation location;
  private final Duration timeout;
  private final RetryPolicy policy;
  private final Semaphore inFlight;
  private final long maxResponseBytes;

  /**
   * An answer from the server.
   *
   * @param status the HTTP status
   * @param headers the response headers
   * @param body the response body
   * @param attempts how many sends it took
   */
  record Answer(int status, HttpHeaders headers, byte[] body, int attempts, long waitedMillis) {
    boolean ok() {
      return status / 100 == 2;
    }
  }

  OipClient(OipLocation location, OipSettings settings) {
    this.location = location;
    this.timeout = settings.timeout();
    this.policy = new RetryPolicy(settings.retries(), settings.backoffMillis());
    this.inFlight = new Semaphore(settings.concurrency(), true);
    this.maxResponseBytes = settings.maxResponseBytes();
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** GET, retried as the policy says; the last answer, whatever its status. */
  Answer get(URI uri) {
    HttpRequest request =
        HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").build();
    return exchange(request, "GET " + uri.getRawPath());
  }

  /**
   * POST, retried as the policy says; the last answer, whatever its status.
   *
   * @param jsonLength the length of the JSON part when the body also holds binary tensors, or -1
   */
  Answer post(URI uri, byte[] body, int jsonLength) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (jsonLength >= 0) {
      b.header("Content-Type", "application/octet-stream");
      b.header(HEADER_LENGTH, Integer.toString(jsonLength));
    } else {
      b.header("Content-Type", "application/json");
    }
    return exchange(b.build(), "POST " + uri.getRawPath());
  }

  private Answer exchange(HttpRequest request, String what) {
    long waited = 0;
    for (int attempt = 1; ; attempt++) {
      Answer answer = null;
      IOException failure = null;
      acquire(what);
      try {
        HttpResponse<byte[]> r = send(request, what);
        byte[] body = ContentCoding.decode(r.headers(), r.body(), maxResponseBytes);
        answer = new Answer(r.statusCode(), r.headers(), body, attempt, waited);
      } catch (ContentCoding.Unreadable e) {
        throw new ModelException(prefix() + what + ": " + e.getMessage(), e);
      } catch (LimitedBody.TooLarge e) {
        throw new ModelException(
            prefix()
                + what
                + ": "
                + e.getMessage()
                + " (setting '"
                + OipSettings.MAX_RESPONSE_MEGABYTES
                + "')",
            e);
      } catch (IOException e) {
        failure = e;
      } finally {
        inFlight.release();
      }
      boolean transientFailure = answer == null || RetryPolicy.retryable(answer.status());
      if (!transientFailure || !policy.another(attempt)) {
        if (answer != null) {
          return answer;
        }
        throw new ModelException(
            prefix()
                + what
                + " got no answer"
                + attempts(attempt, waited)
                + ": "
                + describe(failure),
            failure);
      }
      long asked =
          answer == null
              ? -1
              : RetryPolicy.retryAfterMillis(
                  answer.status(), answer.headers().firstValue("Retry-After"), Instant.now());
      long delay = policy.delayMillis(attempt, asked);
      sleep(delay, what);
      waited += delay;
    }
  }

  /**
   * One send, its whole answer (headers and body) within the timeout: the request's own timeout
   * ends only the wait for the headers, so a body that stalls or never ends would hold the call
   * forever. A call past the deadline or interrupted is cancelled, which lets its connection go.
   */
  private HttpResponse<byte[]> send(HttpRequest request, String what) throws IOException {
    CompletableFuture<HttpResponse<byte[]>> call =
        http.sendAsync(request, LimitedBody.handler(maxResponseBytes));
    try {
      return call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new HttpTimeoutException("no whole answer within the timeout");
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new ModelException(prefix() + what + " was interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(String.valueOf(cause), cause);
    }
  }

  /** The error of a final answer that is not a success, naming the model and the request. */
  ModelException failure(Answer answer, String what, String context) {
    return new ModelException(
        prefix()
            + "the server answered HTTP "
            + answer.status()
            + " to "
            + what
            + (RetryPolicy.retryable(answer.status())
                ? attempts(answer.attempts(), answer.waitedMillis())
                : "")
            + ": "
            + errorText(answer.body())
            + context);
  }

  /** "model 'LOCATION': ", the start of every message. */
  String prefix() {
    return "model '" + location + "': ";
  }

  /** The {@code error} of a protocol error body, or the body's text, shortened. */
  static String errorText(byte[] body) {
    if (body == null || body.length == 0) {
      return "(no error text)";
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    try {
      JsonNode n = JSON.readTree(body);
      if (n != null && n.hasNonNull("error")) {
        text = n.get("error").asText();
      }
    } catch (IOException e) {
      // not JSON: the text as it is
    }
    return shorten(text);
  }

  /** A text the server sent, cut to 400 characters for a message. */
  static String shorten(String text) {
    return text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) + "..." : text;
  }

  private String attempts(int attempts, long waitedMillis) {
    if (attempts <= 1) {
      return " (setting 'retries' is 0)";
    }
    return String.format(
        Locale.ROOT,
        " after %d attempts (%.2f s of waits between them; setting 'retries' is %d)",
        attempts,
        waitedMillis / 1000.0,
        policy.retries());
  }

  private String describe(IOException e) {
    if (e instanceof HttpTimeoutException) {
      return String.format(
          Locale.ROOT,
          "no answer within %.3g s (setting 'timeoutSeconds')",
          timeout.toNanos() / 1e9);
    }
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
      t = t.getCause();
    }
    String kind = e instanceof ConnectException ? "cannot connect to " + location.base() : "";
    String message = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
    return (kind.isEmpty() ? "" : kind + ": ") + message + " (" + e.getClass().getName() + ")";
  }

  private void acquire(String what) {
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelException(prefix() + what + " was interrupted", e);
    }
  }

  private void sleep(long millis, String what) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelException(prefix() + what + " was interrupted", e);
    }
  }
}
