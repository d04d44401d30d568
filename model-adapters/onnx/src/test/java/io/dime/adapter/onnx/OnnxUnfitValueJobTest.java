package io.dime.adapter.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.OutputKind;
import io.dime.api.RecordError;
import io.dime.api.run.JobResult;
import io.dime.api.run.RecordSource;
import io.dime.api.run.ResultSink;
import io.dime.api.run.RunSummary;
import io.dime.api.run.SourceRecord;
import io.dime.core.Dime;
import io.dime.core.Targets;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.EncodedModel;
import io.dime.core.job.ExplanationJob;
import io.dime.core.job.JobOutcome;
import io.dime.core.modality.VectorModality;
import io.dime.spi.Modality;
import io.dime.spi.PluginConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A record value too large for a float (1e39) explained with a real ONNX model ({@code
 * two_inputs.onnx}, FLOAT inputs a [N, 3] and b [N, 2]): fed as an infinity, the model would answer
 * NaN and the record would fail as a model failure, eleven of them in a row stopping the job. The
 * value is the record's bad input instead: each such record fails with stage {@code input}, naming
 * the value and the model input, and the records after them are explained.
 */
class OnnxUnfitValueJobTest {
  private static Datapoint point(String id, double a0, double a1, double a2, double b0) {
    return Datapoint.of(id, Map.of("a", new double[] {a0, a1, a2}, "b", new double[] {b0, -b0}));
  }

  private static Dime engine() {
    List<Modality<?>> mods = List.of(VectorModality.of("a", 3), VectorModality.of("b", 2));
    List<Datapoint> pool = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      pool.add(point("pool" + i, 0.1 * i, -0.2 * i, 0.3, 0.05 * i));
    }
    OnnxModelAdapter adapter =
        OnnxModelAdapter.open(TestModels.path("two_inputs.onnx"), PluginConfig.of("onnx"));
    return Dime.builder()
        .modality(mods.get(0))
        .modality(mods.get(1))
        .model(new EncodedModel(mods, adapter, null, OutputKind.LOGITS, null))
        .referencePool(pool)
        .estimator(Estimators.sampled(4))
        .samples(30)
        .seed(5)
        .batchSize(16)
        .build();
  }

  @Test
  void elevenRecordsWithAValueBeyondFloatFailAsInputAndTheJobGoesOn() throws IOException {
    List<SourceRecord> records = new ArrayList<>();
    records.add(SourceRecord.of(1, point("good0", 0.5, -1, 2, 0.25)));
    for (int i = 0; i < 11; i++) {
      records.add(SourceRecord.of(records.size() + 1, point("huge" + i, 1, 1e39, i, 0.5)));
    }
    records.add(SourceRecord.of(records.size() + 1, point("good1", -1, 0, 2, 1)));
    records.add(SourceRecord.of(records.size() + 1, point("good2", 0.75, 1, 0, -0.5)));
    List<JobResult> results = new ArrayList<>();
    ResultSink sink =
        new ResultSink() {
          @Override
          public void accept(JobResult r) {
            results.add(r);
          }

          @Override
          public void finish(RunSummary summary) {}
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
      assertEquals(Optional.of("huge" + (i - 1)), e.id());
      assertTrue(
          e.message()
              .contains(
                  "value 1.0E39 of input 'a' does not fit the model's FLOAT32 input (largest"
                      + " 3.4028235E38)"),
          e.message());
    }
  }
}
