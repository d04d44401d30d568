package io.dime.modality.timeseries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.ElementType;
import io.dime.api.Explanation;
import io.dime.api.OutputKind;
import io.dime.api.RecordError;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.core.Dime;
import io.dime.core.Targets;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.EncodedModel;
import io.dime.spi.ModelSignature;
import io.dime.spi.PluginConfig;
import io.dime.testkit.FunctionAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A series stored as [length, channels] where the pool's are [channels, length], with a pipeline
 * that fixes neither: its record fails with an input error naming both shapes, instead of being
 * explained on values refilled in stored order (the engine compares shapes, not only sizes).
 */
class TransposedSeriesTest {
  /** A model over one series input [batch, channels, length] (any): the score is the sum. */
  private static FunctionAdapter sumAdapter() {
    return FunctionAdapter.of(
        new ModelSignature(
            List.of(new TensorSpec("s", ElementType.FLOAT32, new long[] {-1, -1, -1})),
            List.of(new TensorSpec("y", ElementType.FLOAT32, new long[] {-1, 2}))),
        Map.of("adapter", "sum"),
        TransposedSeriesTest::sumAdapterOutputs);
  }

  /** The outputs of sumAdapter() for one batch. */
  private static Map<String, Tensor> sumAdapterOutputs(Map<String, Tensor> inputs) {
    Tensor s = inputs.get("s");
    int n = (int) s.shape()[0];
    int per = s.floats().length / n;
    float[] y = new float[2 * n];
    for (int i = 0; i < n; i++) {
      float sum = 0;
      for (int j = 0; j < per; j++) {
        sum += s.floats()[i * per + j];
      }
      y[2 * i] = -sum;
      y[2 * i + 1] = sum;
    }
    return Map.of("y", Tensor.ofFloats("y", new long[] {n, 2}, y));
  }

  private static double[][] series(int channels, int length, int seed) {
    double[][] d = new double[channels][length];
    for (int c = 0; c < channels; c++) {
      for (int t = 0; t < length; t++) {
        d[c][t] = Math.sin(seed + c + 0.1 * t);
      }
    }
    return d;
  }

  @Test
  void aTransposedSeriesIsAnInputErrorNamingBothShapes() {
    TimeseriesModality m =
        new TimeseriesModality("s", new PluginConfig("modality s", Map.of("window", 10)));
    List<Datapoint> pool = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      pool.add(Datapoint.of("p" + i, Map.of("s", Series.of(series(2, 50, i)))));
    }
    try (EncodedModel model =
            new EncodedModel(List.of(m), sumAdapter(), "y", OutputKind.LOGITS, null);
        Dime dime =
            Dime.builder()
                .modality(m)
                .model(model)
                .referencePool(pool)
                .estimator(Estimators.sampled(2))
                .samples(10)
                .noFaithfulness()
                .build()) {
      Datapoint ok = Datapoint.of("ok", Map.of("s", Series.of(series(2, 50, 9))));
      assertInstanceOf(Explanation.class, dime.explainOrError(ok, Targets.predicted()));
      Datapoint transposed = Datapoint.of("t", Map.of("s", Series.of(series(50, 2, 9))));
      RecordError e =
          assertInstanceOf(RecordError.class, dime.explainOrError(transposed, Targets.predicted()));
      assertEquals("input", e.stage());
      assertTrue(e.message().contains("[2, 50] and [50, 2]"), e.message());
    }
  }
}
