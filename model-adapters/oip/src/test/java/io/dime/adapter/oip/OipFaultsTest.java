package io.dime.adapter.oip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.adapter.oip.testserver.OipServerProcess;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.spi.ModelAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults of the server and the network, injected by the test server: every fault that lasts less
 * than the retries allow is survived with nothing lost (the results equal a fault-free run's, bit
 * for bit), and one that lasts longer fails with a message naming the model, the request and what
 * went wrong.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OipFaultsTest {
  private static final int BATCHES = 12;
  private static OipServerProcess server;
  private static List<Map<String, Tensor>> batches;
  private static List<float[]> reference;

  @BeforeAll
  static void startServerAndRunFaultFree() {
    server = TestModels.server();
    batches = new ArrayList<>();
    for (int i = 0; i < BATCHES; i++) {
      batches.add(TestModels.linearInputs(1 + i % 5, 500 + i));
    }
    try (ModelAdapter m = open(server, "retries", 0)) {
      reference = runAll(m);
    }
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void noFaults() {
    server.faults("[]");
    server.resetStats();
  }

  private static OipModelAdapter open(OipServerProcess s, Object... settings) {
    return OipModelAdapter.open(s.url("two_inputs"), TestModels.config(settings));
  }

  private static List<float[]> runAll(ModelAdapter m) {
    List<float[]> out = new ArrayList<>();
    for (Map<String, Tensor> b : batches) {
      out.add(m.run(b, List.of("y")).get("y").floats());
    }
    return out;
  }

  private static void assertNothingLost(List<float[]> got) {
    assertEquals(reference.size(), got.size());
    for (int i = 0; i < got.size(); i++) {
      assertArrayEquals(reference.get(i), got.get(i), 0f, "batch " + i);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "[{\"kind\": \"status\", \"status\": 503, \"count\": 3}]",
        "[{\"kind\": \"status\", \"status\": 429, \"count\": 2}]",
        "[{\"kind\": \"drop\", \"count\": 3}]",
        "[{\"kind\": \"status\", \"status\": 503}, {\"kind\": \"drop\"},"
            + " {\"kind\": \"status\", \"status\": 429}]"
      })
  void faultsWithinTheRetriesAreSurvived(String faults) {
    try (ModelAdapter m = open(server, "retries", 3, "retryBackoffMillis", 10)) {
      server.faults(faults);
      assertNothingLost(runAll(m));
      assertEquals(BATCHES, server.stats().path("served").asInt());
      assertEquals(0, server.faults("[]"), "every fault was met");
    }
  }

  @Test
  void slowAnswersPastTheTimeoutAreSentAgain() {
    try (ModelAdapter m =
        open(server, "timeoutSeconds", 0.4, "retries", 2, "retryBackoffMillis", 10)) {
      server.faults("[{\"kind\": \"delay\", \"millis\": 1500, \"count\": 2}]");
      assertNothingLost(runAll(m));
      assertEquals(BATCHES + 2, server.stats().path("infer").asInt());
    }
  }

  @Test
  void aLongerBurstFailsNamingTheModelAndTheRequest() {
    try (ModelAdapter m = open(server, "retries", 2, "retryBackoffMillis", 50)) {
      server.faults("[{\"kind\": \"status\", \"status\": 503, \"count\": 5}]");
      ModelException e =
          assertThrows(ModelException.class, () -> m.run(batches.get(1), List.of("y")));
      assertEquals(
          "model '"
              + server.url("two_inputs")
              + "': the server answered HTTP 503 to POST /v2/models/two_inputs/infer after 3"
              + " attempts (0.15 s of waits between them; setting 'retries' is 2): injected fault:"
              + " HTTP 503; sent a FP32 [2, 3], b FP32 [2, 2]",
          e.getMessage());
    }
  }

  @Test
  void timeoutsBeyondTheRetriesFailNamingTheSetting() {
    try (ModelAdapter m =
        open(server, "timeoutSeconds", 0.3, "retries", 1, "retryBackoffMillis", 10)) {
      server.faults("[{\"kind\": \"delay\", \"millis\": 1000, \"count\": 2}]");
      ModelException e =
          assertThrows(ModelException.class, () -> m.run(batches.get(0), List.of("y")));
      assertEquals(
          "model '"
              + server.url("two_inputs")
              + "': POST /v2/models/two_inputs/infer got no answer after 2 attempts (0.01 s of"
              + " waits between them; setting 'retries' is 1): no answer within 0.300 s (setting"
              + " 'timeoutSeconds')",
          e.getMessage());
    }
  }

  @Test
  void aServerRestartMidJobIsSurvived() throws Exception {
    try (OipServerProcess own = TestModels.server();
        ModelAdapter m = open(own, "retries", 8, "retryBackoffMillis", 100)) {
      List<float[]> got = new ArrayList<>();
      for (int i = 0; i < BATCHES; i++) {
        if (i == BATCHES / 2) {
          own.kill(); // a crash: the next requests find nobody listening
          Thread restarter = new Thread(own::restart);
          restarter.start();
          got.add(m.run(batches.get(i), List.of("y")).get("y").floats());
          restarter.join();
        } else {
          got.add(m.run(batches.get(i), List.of("y")).get("y").floats());
        }
      }
      assertNothingLost(got);
    }
  }

  @Test
  void aServerThatStaysDownFailsNamingTheModel() {
    try (OipServerProcess own = TestModels.server()) {
      ModelAdapter m = open(own, "retries", 2, "retryBackoffMillis", 10);
      own.kill();
      ModelException e =
          assertThrows(ModelException.class, () -> m.run(batches.get(0), List.of("y")));
      String msg = e.getMessage();
      assertTrue(
          msg.startsWith(
              "model '"
                  + own.url("two_inputs")
                  + "': POST /v2/models/two_inputs/infer got no answer after 3 attempts"),
          msg);
      assertTrue(msg.contains("cannot connect to " + own.base()), msg);
      m.close();
    }
  }
}
