package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.MultimodalModel;
import io.dime.api.OutputKind;
import io.dime.api.RecordError;
import io.dime.core.estimate.Estimators;
import io.dime.core.modality.VectorModality;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the engine does with models that are not thread-safe, reuse their output arrays, break their
 * naming contract, or outlive the Dime. Found by an outside tester: threadSafe() was never read (8
 * calls at once), a model reusing its row arrays on its next call got UC weights of 0.877 for 1.294
 * under the default pipelining, one array for every row flipped a weight's sign, and explaining
 * after close() threw RejectedExecutionException even from explainOrError.
 */
class ModelContractTest {
  private static final List<Datapoint> POOL = Fixtures.gaussianPoints("p", 20, 2, 3, 51);
  private static final Datapoint X = Fixtures.gaussianPoints("x", 1, 2, 3, 52).get(0);

  private static double score(Object[] row) {
    double[] a = (double[]) row[0];
    double[] b = (double[]) row[1];
    double s = 0;
    for (int j = 0; j < 3; j++) {
      s += a[j] + b[j] + a[j] * b[j];
    }
    return s;
  }

  /** A model of the same function whose predict is the given one. */
  private abstract static class Base implements MultimodalModel {
    @Override
    public int outputCount() {
      return 2;
    }
  }

  private static DimeBuilder builder(MultimodalModel model) {
    return Dime.builder()
        .modality(VectorModality.of("m1", 3))
        .modality(VectorModality.of("m2", 3))
        .model(model)
        .referencePool(POOL)
        .estimator(Estimators.sampled(10))
        .samples(60)
        .noFaithfulness()
        .seed(7);
  }

  private static double[] weights(Explanation e) {
    return e.forClass(1).modality("m1").fit("UC").orElseThrow().weights();
  }

  /** The reference: fresh arrays for every row, every call. */
  private static final MultimodalModel FRESH =
      new Base() {
        @Override
        public double[][] predict(List<Object[]> rows) {
          double[][] out = new double[rows.size()][];
          for (int i = 0; i < out.length; i++) {
            double s = score(rows.get(i));
            out[i] = new double[] {-s, s};
          }
          return out;
        }
      };

  @Test
  void aModelThatReusesItsRowArraysOnItsNextCallIsExplainedAsOneThatDoesNot() {
    MultimodalModel reusing =
        new Base() {
          private final List<double[]> buffers = new ArrayList<>();

          @Override
          public synchronized double[][] predict(List<Object[]> rows) {
            while (buffers.size() < rows.size()) {
              buffers.add(new double[2]);
            }
            double[][] out = new double[rows.size()][];
            for (int i = 0; i < out.length; i++) {
              double s = score(rows.get(i));
              out[i] = buffers.get(i); // filled again on the next call
              out[i][0] = -s;
              out[i][1] = s;
            }
            return out;
          }
        };
    double[] want = weights(builder(FRESH).build().explain(X, Targets.classes("1")));
    for (boolean pipelined : new boolean[] {true, false}) {
      try (Dime dime = builder(reusing).pipelined(pipelined).batchSize(16).build()) {
        assertArrayEquals(want, weights(dime.explain(X, Targets.classes("1"))), 1e-12);
      }
    }
  }

  @Test
  void oneArrayForEveryRowOfABatchIsRefused() {
    MultimodalModel one =
        new Base() {
          @Override
          public double[][] predict(List<Object[]> rows) {
            double[] shared = new double[2];
            double[][] out = new double[rows.size()][];
            for (int i = 0; i < out.length; i++) {
              double s = score(rows.get(i));
              shared[0] = -s;
              shared[1] = s;
              out[i] = shared;
            }
            return out;
          }
        };
    try (Dime dime = builder(one).build()) {
      RecordError e = (RecordError) dime.explainOrError(X, Targets.classes("1"));
      assertEquals("model", e.stage());
      assertTrue(
          e.message().contains("model returned one array for rows 0 and 1 of a batch"),
          e.message());
    }
  }

  @Test
  void aModelThatIsNotThreadSafeIsCalledByOneThreadAtATime() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    MultimodalModel unsafe =
        new Base() {
          @Override
          public boolean threadSafe() {
            return false;
          }

          @Override
          public double[][] predict(List<Object[]> rows) {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            try {
              Thread.sleep(1);
              return FRESH.predict(rows);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new io.dime.api.ModelException("interrupted");
            } finally {
              inside.decrementAndGet();
            }
          }
        };
    for (boolean pipelined : new boolean[] {true, false}) {
      most.set(0);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try (Dime dime =
          builder(unsafe).pipelined(pipelined).inferenceThreads(4).batchSize(32).build()) {
        List<Future<Explanation>> runs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          runs.add(pool.submit(() -> dime.explain(X, Targets.classes("1"))));
        }
        double[] first = weights(runs.get(0).get(60, TimeUnit.SECONDS));
        for (Future<Explanation> f : runs) {
          assertArrayEquals(first, weights(f.get(60, TimeUnit.SECONDS)), 0);
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(1, most.get(), "calls at once, pipelined " + pipelined);
    }
  }

  @Test
  void outputNamesThatBreakTheContractAreRefusedAtBuild() {
    class Named extends Base {
      private final List<String> names;

      Named(List<String> names) {
        this.names = names;
      }

      @Override
      public double[][] predict(List<Object[]> rows) {
        return FRESH.predict(rows);
      }

      @Override
      public List<String> outputNames() {
        return names;
      }
    }
    IllegalArgumentException three =
        assertThrows(
            IllegalArgumentException.class,
            () -> builder(new Named(List.of("a", "b", "c"))).build());
    assertTrue(
        three.getMessage().contains("names 3 outputs [a, b, c] but declares 2"),
        three.getMessage());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> builder(new Named(null)).build())
            .getMessage()
            .contains("outputNames() is null"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> builder(new Named(List.of("a", "a"))).build())
            .getMessage()
            .contains("names outputs 0 and 1 both 'a'"));
    MultimodalModel noKind =
        new Base() {
          @Override
          public double[][] predict(List<Object[]> rows) {
            return FRESH.predict(rows);
          }

          @Override
          public OutputKind outputKind() {
            return null;
          }
        };
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> builder(noKind).build())
            .getMessage()
            .contains("outputKind() is null"));
  }

  @Test
  void explainingAfterCloseSaysTheDimeIsClosed() {
    for (boolean pipelined : new boolean[] {true, false}) {
      Dime dime = builder(FRESH).pipelined(pipelined).build();
      dime.close();
      dime.close(); // twice: nothing
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> dime.explain(X, Targets.classes("1")));
      assertEquals("this Dime is closed: build another to explain more", e.getMessage());
      assertThrows(IllegalStateException.class, () -> dime.explainOrError(X, Targets.classes("1")));
    }
  }

  /** Closed while a slow model answers: the explanation ends, saying so, within a bounded time. */
  @Test
  void closingDuringAnExplanationEndsItSayingSo() throws Exception {
    MultimodalModel slow =
        new Base() {
          @Override
          public double[][] predict(List<Object[]> rows) {
            try {
              Thread.sleep(20);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new io.dime.api.ModelException("interrupted");
            }
            return FRESH.predict(rows);
          }
        };
    Dime dime = builder(slow).batchSize(4).build();
    dime.explain(X, Targets.classes("1")); // prepared: the next explanation only calls the model
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Object> run =
          pool.submit(
              () -> {
                try {
                  return dime.explainOrError(X, Targets.classes("1"));
                } catch (RuntimeException e) {
                  return e;
                }
              });
      Thread.sleep(200);
      dime.close();
      Object out = run.get(30, TimeUnit.SECONDS);
      assertTrue(
          out instanceof IllegalStateException ise
              && ise.getMessage().equals("this Dime was closed while it explained 'x0'"),
          String.valueOf(out));
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A limit so far off that the deadline would pass Long.MAX_VALUE is no limit (an outside tester:
   * --max-seconds-per-point 1e10 or Infinity failed every record, the sum having wrapped round).
   */
  @Test
  void aLimitBeyondCenturiesIsNoLimit() {
    long now = System.nanoTime();
    assertEquals(Long.MAX_VALUE, Dime.deadline(now, 0));
    assertEquals(Long.MAX_VALUE, Dime.deadline(now, 1e10));
    assertEquals(Long.MAX_VALUE, Dime.deadline(now, Double.POSITIVE_INFINITY));
    assertEquals(now + 2_000_000_000L, Dime.deadline(now, 2));
    assertEquals(now + 1_000_000_000_000_000_000L, Dime.deadline(now, 1e9)); // 31 years
    Explanation e =
        builder(FRESH)
            .limits(new EngineLimits(1000, 10_000_000, 1e10))
            .build()
            .explain(X, Targets.classes("1"));
    assertEquals("x0", e.id());
  }

  /** A class named twice is explained once, with its reason once (it was listed per naming). */
  @Test
  void aClassNamedTwiceIsRequestedOnce() {
    try (Dime dime = builder(FRESH).build()) {
      Explanation e = dime.explain(X, Targets.classes("1", "1"));
      assertEquals(1, e.classes().size());
      assertEquals(List.of("requested"), e.forClass(1).reasons());
    }
  }
}
