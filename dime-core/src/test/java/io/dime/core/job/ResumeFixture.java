package io.dime.core.job;

import io.dime.api.Datapoint;
import io.dime.api.MultimodalModel;
import io.dime.api.OutputKind;
import io.dime.api.RecordError;
import io.dime.api.run.RecordSource;
import io.dime.api.run.SourceRecord;
import io.dime.core.Dime;
import io.dime.core.Targets;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.JavaModels;
import io.dime.core.modality.VectorModality;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A small job for resume tests: two vector modalities, a Java model, three records and one
 * unreadable line, explained single-threaded into an {@link ExplanationsFile}. The fuzz inputs kept
 * under {@code src/test/resources/fuzz/resume-*} were mutated from a file this job wrote, so they
 * carry its provenance.
 */
final class ResumeFixture implements AutoCloseable {
  final Dime dime;
  final List<SourceRecord> records;

  ResumeFixture() {
    dime =
        Dime.builder()
            .modality(VectorModality.of("a", 2))
            .modality(VectorModality.of("b", 2))
            .model(model())
            .referencePool(points("pool", 6, 7))
            .estimator(Estimators.sampled(2))
            .samples(12)
            .seed(5)
            .batchSize(32)
            .faithfulness(1, 2)
            .build();
    List<SourceRecord> r = new ArrayList<>();
    List<Datapoint> p = points("p", 3, 2);
    for (int i = 0; i < p.size(); i++) {
      r.add(SourceRecord.of(i + 1, p.get(i)));
    }
    r.add(SourceRecord.unreadable(new RecordError(Optional.of("bad"), 4, "read", "broken line")));
    records = List.copyOf(r);
  }

  private static MultimodalModel model() {
    return JavaModels.of(
        "a0 b0 + a1",
        2,
        OutputKind.LOGITS,
        row -> {
          double[] a = (double[]) row[0];
          double[] b = (double[]) row[1];
          double y = a[0] * b[0] + a[1];
          return new double[] {-y, y};
        });
  }

  private static List<Datapoint> points(String prefix, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Datapoint> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] a = {rng.nextGaussian(), rng.nextGaussian()};
      double[] b = {rng.nextGaussian(), rng.nextGaussian()};
      out.add(Datapoint.of(prefix + i, Map.of("a", a, "b", b)));
    }
    return out;
  }

  /** Runs (or resumes) the job with {@code file} as output and checkpoint. */
  JobOutcome run(Path file) throws IOException {
    return ExplanationJob.builder(dime)
        .source(RecordSource.of("fuzz", records))
        .targets(Targets.predicted())
        .threads(1)
        .checkpoint(new ExplanationsFile(file))
        .globalChecks(false)
        .build()
        .run();
  }

  @Override
  public void close() {
    dime.close();
  }
}
