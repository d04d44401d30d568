package io.dime.adapter.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.spi.PluginConfig;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link OnnxModelAdapter#interruptCalls}: a run in ONNX Runtime's native code, which no Java
 * interrupt reaches, ended from another thread through its terminate flag (slow_chain.onnx: 600
 * rounds of tanh(x @ W), 100,000 rows take seconds).
 */
class OnnxCallEndTest {
  private static final int ROWS = 100_000;

  private static OnnxModelAdapter open(Object... settings) {
    return OnnxModelAdapter.open(
        TestModels.path("slow_chain.onnx"), PluginConfig.of("onnx", settings));
  }

  private static Map<String, Tensor> rows(int n) {
    SplittableRandom random = new SplittableRandom(3);
    Map<String, Tensor> inputs = new java.util.LinkedHashMap<>();
    for (String name : List.of("a", "b")) {
      float[] x = new float[n * 32];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (random.nextDouble() * 2 - 1);
      }
      inputs.put(name, Tensor.ofFloats(name, new long[] {n, 32}, x));
    }
    return inputs;
  }

  /** A call started on its own thread: what it returned or threw, and its thread. */
  private static final class Caller {
    final AtomicReference<Thread> thread = new AtomicReference<>();
    final CompletableFuture<Object> outcome = new CompletableFuture<>();

    Caller(OnnxModelAdapter adapter, Map<String, Tensor> inputs) {
      Thread t =
          new Thread(
              () -> {
                try {
                  outcome.complete(adapter.run(inputs, List.of("y")));
                } catch (RuntimeException e) {
                  outcome.complete(e);
                }
              });
      thread.set(t);
      t.start();
    }
  }

  @Test
  @Timeout(120)
  void aRunIsEndedFromAnotherThreadAndTheAdapterGoesOn() throws Exception {
    try (OnnxModelAdapter adapter = open()) {
      float[] before = adapter.run(rows(8), List.of("y")).get("y").floats();
      Caller caller = new Caller(adapter, rows(ROWS));
      Thread.sleep(300); // well inside the run, which takes seconds
      adapter.interruptCalls(caller.thread.get());
      Object outcome = caller.outcome.get(60, TimeUnit.SECONDS);
      // ended, not run to completion: a run that finished returns its outputs, and ONNX Runtime's
      // failure names the terminate flag only when the flag stopped the run before its last node
      ModelException e = assertInstanceOf(ModelException.class, outcome);
      assertTrue(e.getMessage().contains("the call was ended before it finished"), e.getMessage());
      assertTrue(
          e.getCause() != null && e.getCause().getMessage().contains("terminate"),
          "" + e.getCause());
      // the next calls, on this thread and on a new one, run in full with the same results
      assertEquals(
          java.util.Arrays.toString(before),
          java.util.Arrays.toString(adapter.run(rows(8), List.of("y")).get("y").floats()));
      Caller again = new Caller(adapter, rows(8));
      Object second = again.outcome.get(60, TimeUnit.SECONDS);
      assertInstanceOf(Map.class, second);
    }
  }

  @Test
  @Timeout(120)
  void endingOneThreadsCallLeavesTheOthersAndAnIdleThreadIsANoOp() throws Exception {
    try (OnnxModelAdapter adapter = open()) {
      adapter.interruptCalls(Thread.currentThread()); // no call on it: nothing to end, nothing kept
      assertEquals(8, adapter.run(rows(8), List.of("y")).get("y").shape()[0]);
      Caller ended = new Caller(adapter, rows(ROWS));
      Caller kept = new Caller(adapter, rows(ROWS / 10));
      Thread.sleep(300);
      adapter.interruptCalls(ended.thread.get());
      assertInstanceOf(ModelException.class, ended.outcome.get(60, TimeUnit.SECONDS));
      Object result = kept.outcome.get(60, TimeUnit.SECONDS);
      assertInstanceOf(Map.class, result, "" + result);
      assertEquals(ROWS / 10, rowsOf(result));
    }
  }

  /**
   * A call ended between two runs (chunks of a capped batch size) starts no further run; the
   * thread's next call is not ended.
   */
  @Test
  void aCallEndedBetweenRunsStartsNoFurtherRun() throws Exception {
    OnnxCalls calls = new OnnxCalls();
    calls.begin();
    ai.onnxruntime.OrtSession.RunOptions first = calls.beforeRun("m.onnx");
    calls.afterRun(first);
    Thread self = Thread.currentThread();
    Thread other = new Thread(() -> calls.end(self));
    other.start();
    other.join();
    assertTrue(calls.wasEnded());
    ModelException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ModelException.class, () -> calls.beforeRun("m.onnx"));
    assertEquals(
        "model 'm.onnx': the call was ended before it finished (interrupted)", e.getMessage());
    calls.finish();
    calls.begin();
    calls.afterRun(calls.beforeRun("m.onnx")); // a new call runs
    org.junit.jupiter.api.Assertions.assertFalse(calls.wasEnded());
    calls.finish();
  }

  private static int rowsOf(Object result) {
    Tensor y = (Tensor) ((Map<?, ?>) result).get("y");
    return (int) y.shape()[0];
  }
}
