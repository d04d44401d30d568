package io.dime.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.ElementType;
import io.dime.api.Explanation;
import io.dime.api.InputException;
import io.dime.api.OutputKind;
import io.dime.api.RecordError;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.api.run.JobResult;
import io.dime.api.run.RecordSource;
import io.dime.api.run.ResultSink;
import io.dime.api.run.SourceRecord;
import io.dime.core.Dime;
import io.dime.core.Targets;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.EncodedModel;
import io.dime.core.modality.TableModality;
import io.dime.core.modality.VectorModality;
import io.dime.spi.Modality;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelSignature;
import io.dime.spi.PluginConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A finite value too large for the model's FLOAT32 input (1e39) is the record's bad input, found
 * where the encoder narrows it: the record fails with stage {@code input}, naming the value and the
 * input, and such records do not count as model failures, however many come in a row.
 */
class UnfitFloatJobTest {
  private static final String UNFIT =
      "value 1.0E39 of input 'a' does not fit the model's FLOAT32 input (largest 3.4028235E38)";

  @Test
  void theVectorAndTableEncodersRefuseAValueBeyondFloatsRange() {
    VectorModality v = VectorModality.of("a", 3);
    InputException e =
        assertThrows(InputException.class, () -> v.encoder().encode(new double[] {1, 1e39, 2}));
    assertEquals(UNFIT, e.getMessage());
    assertEquals(
        Float.MAX_VALUE,
        v.encoder().encode(new double[] {1, Float.MAX_VALUE, 2}).get(0).floats()[1]);
    TableModality t =
        new TableModality(
            "m", PluginConfig.of("modality 'm' (plugin table)", "columns", List.of("age")));
    e =
        assertThrows(
            InputException.class, () -> t.encoder().encode(new TableModality.Row(List.of(-1e39))));
    assertEquals(
        "value -1.0E39 of input 'age' does not fit the model's FLOAT32 input (largest"
            + " 3.4028235E38)",
        e.getMessage());
  }

  /** Input a [n, 3]; output y, the sum of a row (Infinity for an infinite entry). */
  private static final class SumAdapter implements ModelAdapter {
    @Override
    public ModelSignature signature() {
      return new ModelSignature(
          List.of(new TensorSpec("a", ElementType.FLOAT32, new long[] {-1, 3})),
          List.of(new TensorSpec("y", ElementType.FLOAT32, new long[] {-1, 1})));
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
      float[] a = inputs.get("a").floats();
      int n = a.length / 3;
      float[] y = new float[n];
      for (int i = 0; i < n; i++) {
        y[i] = a[3 * i] + a[3 * i + 1] + a[3 * i + 2];
      }
      return Map.of("y", Tensor.ofFloats("y", new long[] {n, 1}, y));
    }

    @Override
    public Map<String, Object> provenance() {
      return Map.of();
    }

    @Override
    public void close() {}
  }

  private static Datapoint point(String id, double... a) {
    return Datapoint.of(id, Map.of("a", a));
  }

  private static Dime engine() {
    List<Modality<?>> mods = List.of(VectorModality.of("a", 3));
    List<Datapoint> pool = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      pool.add(point("pool" + i, i, 1 - i, 0.5 * i));
    }
    return Dime.builder()
        .modality(mods.get(0))
        .model(new EncodedModel(mods, new SumAdapter(), null, OutputKind.REGRESSION, null))
        .referencePool(pool)
        .estimator(Estimators.sampled(4))
        .samples(30)
        .seed(5)
        .batchSize(16)
        .build();
  }

  @Test
  void elevenRecordsInARowWithAValueBeyondFloatsRangeFailAsInputAndDoNotStopTheJob()
      throws IOException {
    List<SourceRecord> records = new ArrayList<>();
    records.add(SourceRecord.of(1, point("good0", 1, 2, 3)));
    for (int i = 0; i < 11; i++) {
      records.add(SourceRecord.of(records.size() + 1, point("huge" + i, 1, 1e39, i)));
    }
    records.add(SourceRecord.of(records.size() + 1, point("good1", -1, 0, 2)));
    records.add(SourceRecord.of(records.size() + 1, point("good2", 4, 1, 0)));
    List<JobResult> results = new ArrayList<>();
    ResultSink sink =
        new ResultSink() {
          @Override
          public void accept(JobResult r) {
            results.add(r);
          }

          @Override
          public void finish(io.dime.api.run.RunSummary summary) {}
        };
    JobOutcome out;
    try (Dime dime = engine()) {
      out =
          ExplanationJob.builder(dime)
              .source(RecordSource.of("test", records))
              .targets(Targets.predicted())
              .threads(1)
              .sink(sink)
              .globalChecks(false)
              .build()
              .run();
    }
    assertTrue(out.stopped().isEmpty(), out.stopped().orElse(""));
    assertEquals(1, out.exitCode());
    assertEquals(3, out.explained());
    assertEquals(11, out.failed());
    assertEquals(14, results.size());
    for (int i = 0; i < results.size(); i++) {
      if (i == 0 || i >= 12) {
        assertInstanceOf(Explanation.class, results.get(i).result(), "record " + i);
        continue;
      }
      RecordError e = assertInstanceOf(RecordError.class, results.get(i).result());
      assertEquals("input", e.stage(), e.message());
      assertEquals(java.util.Optional.of("huge" + (i - 1)), e.id());
      assertTrue(e.message().contains(UNFIT), e.message());
    }
  }
}
