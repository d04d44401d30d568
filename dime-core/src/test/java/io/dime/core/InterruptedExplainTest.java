package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.ModelException;
import io.dime.api.MultimodalModel;
import io.dime.api.OutputKind;
import io.dime.core.estimate.Estimators;
import io.dime.core.io.Json;
import io.dime.core.modality.VectorModality;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A thread interrupted inside {@link Dime#explain}: what it gets, and what is left running. */
class InterruptedExplainTest {
  /** y = a0 b0 + a1 - b2; while {@code slow} is set, each call first sleeps (interruptibly). */
  private static final class SleepyModel implements MultimodalModel {
    volatile boolean slow;
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch ended = new CountDownLatch(1);

    @Override
    public double[][] predict(List<Object[]> rows) {
      if (slow) {
        started.countDown();
        try {
          Thread.sleep(20_000);
        } catch (InterruptedException e) {
          throw new ModelException("the model's call was interrupted");
        } finally {
          ended.countDown();
        }
      }
      double[][] out = new double[rows.size()][];
      for (int i = 0; i < out.length; i++) {
        double[] a = (double[]) rows.get(i)[0];
        double[] b = (double[]) rows.get(i)[1];
        out[i] = new double[] {a[0] * b[0] + a[1] - b[2]};
      }
      return out;
    }

    @Override
    public int outputCount() {
      return 1;
    }

    @Override
    public OutputKind outputKind() {
      return OutputKind.REGRESSION;
    }
  }

  @Test
  void theModelCallOfAnInterruptedExplanationEndsAndTheEngineGoesOn() {
    SleepyModel model = new SleepyModel();
    Datapoint dp = Fixtures.gaussianPoints("x", 1, 2, 3, 9).get(0);
    try (Dime dime =
        Dime.builder()
            .modality(VectorModality.of("m1", 3))
            .modality(VectorModality.of("m2", 3))
            .model(model)
            .referencePool(Fixtures.gaussianPoints("p", 12, 2, 3, 3))
            .estimator(Estimators.sampled(3))
            .samples(16)
            .noFaithfulness()
            .seed(5)
            .build()) {
      String expected = Json.line(dime.explain(dp, Targets.predicted()).classes());
      assertTimeoutPreemptively(
          Duration.ofSeconds(15),
          () -> {
            model.slow = true;
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread caller =
                new Thread(
                    () -> {
                      try {
                        dime.explain(dp, Targets.predicted());
                      } catch (RuntimeException e) {
                        thrown.set(e);
                      }
                    });
            caller.start();
            assertTrue(model.started.await(10, TimeUnit.SECONDS), "a model call began");
            caller.interrupt();
            caller.join();
            assertTrue(thrown.get() instanceof ModelException, String.valueOf(thrown.get()));
            // before, the call went on sleeping on the model thread for its full 20 s
            assertTrue(
                model.ended.await(5, TimeUnit.SECONDS), "the interrupted record's call ended");
            model.slow = false;
            assertEquals(
                expected,
                Json.line(dime.explain(dp, Targets.predicted()).classes()),
                "the engine explains as before");
          });
    }
  }
}
