package io.dime.adapter.oip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.adapter.oip.testserver.OipServerProcess;
import io.dime.api.Tensor;
import io.dime.spi.ModelAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Setting {@code concurrency}: how many requests the server sees at once (it answers each after 150
 * ms, so that requests sent together overlap), whether a run's rows are split into several requests
 * or several threads run the model; the results do not change.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OipConcurrencyTest {
  private static OipServerProcess server;

  @BeforeAll
  static void startServer() {
    server = TestModels.server();
    server.options("{\"latencyMillis\": 150}");
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void zero() {
    server.resetStats();
  }

  private static OipModelAdapter open(Object... settings) {
    return OipModelAdapter.open(server.url("two_inputs"), TestModels.config(settings));
  }

  @Test
  void aSplitRunSendsUpToConcurrencyRequestsAtOnce() {
    Map<String, Tensor> inputs = TestModels.linearInputs(16, 3);
    float[] serial;
    try (ModelAdapter m = open("batchSize", 2)) {
      serial = m.run(inputs, List.of("y")).get("y").floats();
      assertEquals(8, server.stats().path("infer").asInt());
      assertEquals(1, server.stats().path("maxInFlight").asInt());
    }
    server.resetStats();
    try (ModelAdapter m = open("batchSize", 2, "concurrency", 4)) {
      assertArrayEquals(serial, m.run(inputs, List.of("y")).get("y").floats(), 0f);
      assertEquals(8, server.stats().path("infer").asInt());
      assertEquals(4, server.stats().path("maxInFlight").asInt());
    }
  }

  @Test
  void threadsShareTheLimit() throws Exception {
    List<Map<String, Tensor>> batches = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      batches.add(TestModels.linearInputs(3, 40 + i));
    }
    List<float[]> serial = new ArrayList<>();
    try (ModelAdapter m = open()) {
      for (Map<String, Tensor> b : batches) {
        serial.add(m.run(b, List.of("y")).get("y").floats());
      }
    }
    server.resetStats();
    ExecutorService threads = Executors.newFixedThreadPool(6);
    try (ModelAdapter m = open("concurrency", 2)) {
      List<Future<float[]>> futures = new ArrayList<>();
      for (Map<String, Tensor> b : batches) {
        futures.add(threads.submit(() -> m.run(b, List.of("y")).get("y").floats()));
      }
      for (int i = 0; i < batches.size(); i++) {
        assertArrayEquals(serial.get(i), futures.get(i).get(), 0f, "batch " + i);
      }
      assertEquals(2, server.stats().path("maxInFlight").asInt());
    } finally {
      threads.shutdownNow();
    }
  }
}
