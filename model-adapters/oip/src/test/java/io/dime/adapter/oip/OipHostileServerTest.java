package io.dime.adapter.oip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ModelException;
import io.dime.api.Tensor;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server that misbehaves below the protocol, on the bytes of its answers ({@link HostileServer}):
 * a body that stops halfway or never ends, a body larger than any answer should be, headers and
 * shapes that lie. Each call ends within its bounds, with a {@link ModelException} naming the model
 * and the problem, and the adapter serves the next call.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OipHostileServerTest {
  /** Generous bound on calls that must end within about a second of timeouts. */
  private static final Duration BOUND = Duration.ofSeconds(20);

  private static final Object[] FAST = {
    "timeoutSeconds", 0.5, "retries", 1, "retryBackoffMillis", 10
  };

  private static Map<String, Tensor> rows(int n) {
    return Map.of("x", Tensor.ofFloats("x", new long[] {n, 2}, new float[n * 2]));
  }

  private static float[] run(OipModelAdapter m, int n) {
    return m.run(rows(n), List.of("y")).get("y").floats();
  }

  private static void head(OutputStream out, String headers) throws Exception {
    out.write(("HTTP/1.1 200 OK\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Test
  void aBodyThatStopsHalfwayIsAbandonedAtTheTimeoutAndSentAgain() {
    HostileServer.Infer stallOnce =
        (attempt, id, n, out) -> {
          if (attempt == 1) {
            head(out, "Content-Type: application/json\r\nContent-Length: 1000");
            out.write("{\"id\": ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(600_000); // the rest never comes (until the server closes)
          }
          out.write(HostileServer.json(200, HostileServer.goodAnswer(id, n)));
        };
    try (HostileServer s = new HostileServer(stallOnce);
        OipModelAdapter m = OipModelAdapter.open(s.url(), TestModels.config(FAST))) {
      float[] y = assertTimeoutPreemptively(BOUND, () -> run(m, 3));
      assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, y, 0f);
      assertEquals(2, s.inferRequests(), "the stalled request was sent again once");
    }
  }

  @Test
  void aBodyThatNeverEndsFailsNamingTheTimeout() {
    HostileServer.Infer trickle =
        (attempt, id, n, out) -> {
          head(out, "Content-Type: application/json\r\nTransfer-Encoding: chunked");
          while (true) { // one space every 50 ms: the connection is never idle, the body never ends
            out.write("1\r\n \r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(50);
          }
        };
    try (HostileServer s = new HostileServer(trickle);
        OipModelAdapter m = OipModelAdapter.open(s.url(), TestModels.config(FAST))) {
      ModelException e =
          assertTimeoutPreemptively(
              BOUND, () -> assertThrows(ModelException.class, () -> run(m, 2)));
      assertEquals(
          "model '"
              + s.url()
              + "': POST /v2/models/m/infer got no answer after 2 attempts (0.01 s of waits"
              + " between them; setting 'retries' is 1): no answer within 0.500 s (setting"
              + " 'timeoutSeconds')",
          e.getMessage());
      assertEquals(2, s.inferRequests());
    }
  }

  @Test
  void aBodyLargerThanTheLimitIsRefusedWithoutReadingIt() {
    byte[] spaces = new byte[64 * 1024];
    Arrays.fill(spaces, (byte) ' ');
    HostileServer.Infer endless =
        (attempt, id, n, out) -> {
          if (attempt == 1) { // announced: 3 GB
            head(out, "Content-Type: application/json\r\nContent-Length: 3000000000");
          } else { // not announced: as fast as the socket takes it, without end
            head(out, "Content-Type: application/json\r\nConnection: close");
          }
          while (true) {
            out.write(spaces);
          }
        };
    Object[] settings = {"maxResponseMegabytes", 1, "retries", 3, "retryBackoffMillis", 10};
    try (HostileServer s = new HostileServer(endless);
        OipModelAdapter m = OipModelAdapter.open(s.url(), TestModels.config(settings))) {
      String prefix = "model '" + s.url() + "': POST /v2/models/m/infer: the response ";
      String limit = " the limit of 1048576 bytes (setting 'maxResponseMegabytes')";
      ModelException announced =
          assertTimeoutPreemptively(
              BOUND, () -> assertThrows(ModelException.class, () -> run(m, 2)));
      assertEquals(
          prefix + "announces 3000000000 bytes, more than" + limit, announced.getMessage());
      ModelException streamed =
          assertTimeoutPreemptively(
              BOUND, () -> assertThrows(ModelException.class, () -> run(m, 2)));
      assertEquals(prefix + "is longer than" + limit, streamed.getMessage());
      assertEquals(2, s.inferRequests(), "an answer too large is not asked for again");
    }
  }

  @Test
  void headersAndShapesThatLieAreRefusedNamingTheModelAndTheAdapterGoesOn() {
    String[] lies = {
      "length header", "shape beyond a long", "binary size beyond the body", "good",
    };
    HostileServer.Infer liar =
        (attempt, id, n, out) -> {
          String good = HostileServer.goodAnswer(id, n);
          switch (lies[attempt - 1]) {
            case "length header" -> {
              byte[] body = good.getBytes(StandardCharsets.UTF_8);
              head(
                  out,
                  "Content-Type: application/json\r\nInference-Header-Content-Length: abc\r\n"
                      + "Content-Length: "
                      + body.length);
              out.write(body);
            }
            case "shape beyond a long" ->
                out.write(
                    HostileServer.json(
                        200,
                        good.replace(
                            "\"shape\": [" + n + ", 1]", "\"shape\": [4611686018427387904, 4]")));
            case "binary size beyond the body" -> {
              byte[] json =
                  ("{\"id\": \""
                          + id
                          + "\", \"outputs\": [{\"name\": \"z\", \"datatype\": \"BYTES\", \"shape\":"
                          + " [1], \"parameters\": {\"binary_data_size\": 99999999999}}]}")
                      .getBytes(StandardCharsets.UTF_8);
              head(
                  out,
                  "Content-Type: application/octet-stream\r\nInference-Header-Content-Length: "
                      + json.length
                      + "\r\nContent-Length: "
                      + json.length);
              out.write(json);
            }
            default -> out.write(HostileServer.json(200, good));
          }
        };
    try (HostileServer s = new HostileServer(liar);
        OipModelAdapter m = OipModelAdapter.open(s.url(), TestModels.config(FAST))) {
      String p = "model '" + s.url() + "': ";
      assertEquals(
          p
              + "the response's header Inference-Header-Content-Length is 'abc', not the length of"
              + " its JSON part",
          assertThrows(ModelException.class, () -> run(m, 2)).getMessage());
      assertEquals(
          p + "output 'y' has shape [4611686018427387904, 4], more values than a response can hold",
          assertThrows(ModelException.class, () -> run(m, 2)).getMessage());
      String binary = assertThrows(ModelException.class, () -> run(m, 2)).getMessage();
      assertTrue(
          binary.startsWith(p + "output 'z' has binary_data_size 99999999999; 0 bytes are left"),
          binary);
      assertArrayEquals(new float[] {0.5f, 0.5f}, run(m, 2), 0f);
    }
  }

  /**
   * Python's JSON writes NaN and the infinities as bare tokens: they are read as the floats they
   * name (the engine then fails the record "model returned NaN", as for binary data), not refused
   * as text Jackson cannot read. A body cut short by a closed connection says so plainly.
   */
  @Test
  void nanTokensAreReadAndABodyCutShortSaysSo() {
    java.util.concurrent.atomic.AtomicInteger sent =
        new java.util.concurrent.atomic.AtomicInteger();
    HostileServer.Infer answers =
        (attempt, id, n, out) -> {
          String good = HostileServer.goodAnswer(id, n);
          switch (attempt) {
            case 1 ->
                out.write(
                    HostileServer.json(
                        200, good.replace("[0.5, 0.5, 0.5]", "[NaN, Infinity, -Infinity]")));
            case 2 -> {
              // no length: the body ends where the connection does, here in the data array
              head(out, "Content-Type: application/json\r\nConnection: close");
              byte[] part = good.substring(0, good.indexOf("0.5")).getBytes(StandardCharsets.UTF_8);
              sent.set(part.length);
              out.write(part);
              out.close();
            }
            default -> out.write(HostileServer.json(200, good));
          }
        };
    try (HostileServer s = new HostileServer(answers);
        OipModelAdapter m = OipModelAdapter.open(s.url(), TestModels.config(FAST))) {
      float[] y = assertTimeoutPreemptively(BOUND, () -> run(m, 3));
      assertArrayEquals(
          new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, y, 0f);
      String e = assertThrows(ModelException.class, () -> run(m, 3)).getMessage();
      assertEquals(
          "model '"
              + s.url()
              + "': the response body ended early after "
              + sent.get()
              + " bytes, inside its JSON",
          e);
      assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, run(m, 3), 0f);
    }
  }

  /**
   * An output answered in a datatype the adapter does not read (BOOL), in JSON or binary, is
   * refused naming that datatype and the metadata's, as INT64 for an FP32 output is (it was: "the
   * response has no output 'y'; it has []").
   */
  @Test
  void anOutputInAnUnreadDatatypeIsRefusedNamingIt() {
    HostileServer.Infer answers =
        (attempt, id, n, out) -> {
          String good = HostileServer.goodAnswer(id, n);
          switch (attempt) {
            case 1 ->
                out.write(
                    HostileServer.json(
                        200,
                        good.replace("\"FP32\"", "\"BOOL\"")
                            .replace("[0.5, 0.5]", "[true, false]")));
            case 2 -> {
              byte[] json =
                  ("{\"id\": \""
                          + id
                          + "\", \"outputs\": [{\"name\": \"y\", \"datatype\": \"BOOL\","
                          + " \"shape\": [2, 1], \"parameters\": {\"binary_data_size\": 2}}]}")
                      .getBytes(StandardCharsets.UTF_8);
              byte[] body = Arrays.copyOf(json, json.length + 2);
              body[json.length] = 1;
              out.write(
                  HostileServer.response(
                      200,
                      "Inference-Header-Content-Length: " + json.length + "\r\n",
                      "application/octet-stream",
                      body));
            }
            case 3 ->
                out.write(
                    HostileServer.json(
                        200,
                        good.replace("\"FP32\"", "\"INT64\"").replace("[0.5, 0.5]", "[1, 0]")));
            default -> out.write(HostileServer.json(200, good));
          }
        };
    try (HostileServer s = new HostileServer(answers);
        OipModelAdapter m = OipModelAdapter.open(s.url(), TestModels.config(FAST))) {
      String p = "model '" + s.url() + "': ";
      for (String type : new String[] {"BOOL", "BOOL", "INT64"}) {
        assertEquals(
            p + "output 'y' came back as " + type + "; the model's metadata says FP32",
            assertThrows(ModelException.class, () -> run(m, 2)).getMessage());
      }
      assertArrayEquals(new float[] {0.5f, 0.5f}, run(m, 2), 0f);
      assertEquals(4, s.inferRequests(), "a wrong datatype is not asked for again");
    }
  }

  private static void busy(OutputStream out, int status, String retryAfter) throws Exception {
    out.write(
        HostileServer.response(
            status,
            "Retry-After: " + retryAfter + "\r\n",
            "application/json",
            "{\"error\": \"busy\"}".getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * A busy server's Retry-After is waited for (the backoff is 10 ms) and counted in the message.
   */
  @Test
  void aRetryAfterIsWaitedForAndTheMessageCountsTheWaits() {
    HostileServer.Infer busyOnce =
        (attempt, id, n, out) -> {
          if (attempt == 1) {
            busy(out, 429, "1");
          } else {
            out.write(HostileServer.json(200, HostileServer.goodAnswer(id, n)));
          }
        };
    try (HostileServer s = new HostileServer(busyOnce);
        OipModelAdapter m = OipModelAdapter.open(s.url(), TestModels.config(FAST))) {
      long t0 = System.nanoTime();
      float[] y = assertTimeoutPreemptively(BOUND, () -> run(m, 2));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertArrayEquals(new float[] {0.5f, 0.5f}, y, 0f);
      assertTrue(ms >= 1000, "waited " + ms + " ms, the server asked for 1 s");
      assertEquals(2, s.inferRequests());
    }
    HostileServer.Infer alwaysBusy = (attempt, id, n, out) -> busy(out, 503, "1");
    try (HostileServer s = new HostileServer(alwaysBusy);
        OipModelAdapter m = OipModelAdapter.open(s.url(), TestModels.config(FAST))) {
      ModelException e =
          assertTimeoutPreemptively(
              BOUND, () -> assertThrows(ModelException.class, () -> run(m, 2)));
      assertTrue(
          e.getMessage()
              .contains(
                  "the server answered HTTP 503 to POST /v2/models/m/infer after 2 attempts (1.00"
                      + " s of waits between them; setting 'retries' is 1): busy"),
          e.getMessage());
      assertEquals(2, s.inferRequests());
    }
  }
}
