package io.dime.core.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.api.Datapoint;
import io.dime.api.OutputKind;
import io.dime.api.run.JobResult;
import io.dime.api.run.RecordSource;
import io.dime.api.run.ResultSink;
import io.dime.api.run.SourceRecord;
import io.dime.core.Dime;
import io.dime.core.EngineLimits;
import io.dime.core.Targets;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.JavaModels;
import io.dime.core.io.Json;
import io.dime.core.modality.VectorModality;
import io.dime.core.pipeline.EngineSettings;
import io.dime.spi.Modality;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's pluggable explain step: an explainer that explains elsewhere (another engine, in
 * another order, without features) gives the job the same output as the local one, the job
 * featurizing the datapoints for its sinks; a cancelled explainer stops the job; the parts a remote
 * explainer is made from (the engine recipe, the pool's lines) travel as JSON and read back the
 * same.
 */
class RecordExplainerTest {
  private static final List<Modality<?>> MODALITIES =
      List.of(VectorModality.of("a", 3), VectorModality.of("b", 3));

  private static Dime engine() {
    return Dime.builder()
        .modality(MODALITIES.get(0))
        .modality(MODALITIES.get(1))
        .model(
            JavaModels.of(
                "a0 b0 + a1",
                2,
                OutputKind.LOGITS,
                row -> {
                  double y =
                      ((double[]) row[0])[0] * ((double[]) row[1])[0] + ((double[]) row[0])[1];
                  return new double[] {-y, y};
                }))
        .referencePool(points("pool", 10, 3))
        .estimator(Estimators.sampled(4))
        .samples(30)
        .seed(5)
        .batchSize(16)
        .faithfulness(2, 5)
        .build();
  }

  private static List<Datapoint> points(String prefix, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Datapoint> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] a = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
      double[] b = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
      out.add(Datapoint.of(prefix + i, Map.of("a", a, "b", b)));
    }
    return out;
  }

  /** Explains every record at once, last first, on its own engine, and keeps no features. */
  private static final class Elsewhere implements RecordExplainer {
    int started;

    @Override
    public Results start(Request request) {
      started += request.work().size();
      List<Dime.Outcome> outcomes =
          new ArrayList<>(java.util.Collections.nCopies(request.work().size(), null));
      try (Dime other = engine()) {
        for (int i = request.work().size() - 1; i >= 0; i--) {
          Dime.Outcome o =
              ExplanationJob.explainRecord(
                  other, request.work().get(i).record(), request.targets());
          outcomes.set(i, new Dime.Outcome(o.result(), Map.of()));
        }
      }
      return new Results() {
        int next;
        boolean cancelled;

        @Override
        public Optional<Dime.Outcome> next() {
          return cancelled || next == outcomes.size()
              ? Optional.empty()
              : Optional.of(outcomes.get(next++));
        }

        @Override
        public void cancel() {
          cancelled = true;
        }

        @Override
        public void close() {}
      };
    }
  }

  private static final class Lines implements ResultSink {
    final List<String> lines = new ArrayList<>();
    final List<JobResult> results = new ArrayList<>();

    @Override
    public void accept(JobResult r) {
      results.add(r);
      lines.add(Json.line(r.result()).replaceAll(",\"timings\":\\{[^}]*\\}", ""));
    }

    @Override
    public boolean usesFeatures() {
      return true;
    }
  }

  private static Lines run(RecordExplainer explainer, ExplanationJob[] job) throws IOException {
    List<SourceRecord> records = new ArrayList<>();
    List<Datapoint> points = points("p", 5, 11);
    for (int i = 0; i < points.size(); i++) {
      records.add(SourceRecord.of(i + 1, points.get(i)));
    }
    Lines sink = new Lines();
    try (Dime dime = engine()) {
      job[0] =
          ExplanationJob.builder(dime)
              .source(RecordSource.of("test", records))
              .targets(Targets.predicted())
              .threads(2)
              .explainer(explainer)
              .sink(sink)
              .globalChecks(false)
              .build();
      job[0].run();
    }
    return sink;
  }

  @Test
  void anExplainerElsewhereGivesTheLocalOutput() throws IOException {
    Lines local = run(RecordExplainer.local(), new ExplanationJob[1]);
    Elsewhere elsewhere = new Elsewhere();
    Lines remote = run(elsewhere, new ExplanationJob[1]);
    assertEquals(5, elsewhere.started);
    assertEquals(local.lines, remote.lines);
    for (int i = 0; i < 5; i++) {
      assertEquals(
          local.results.get(i).features().keySet(),
          remote.results.get(i).features().keySet(),
          "the job featurizes what the explainer did not return");
      assertFalse(remote.results.get(i).features().isEmpty());
    }
  }

  @Test
  void anExplainerThatStopsStopsTheJob() throws IOException {
    ExplanationJob[] job = new ExplanationJob[1];
    RecordExplainer stopsAfterTwo =
        request -> {
          RecordExplainer.Results all = new Elsewhere().start(request);
          return new RecordExplainer.Results() {
            int n;

            @Override
            public Optional<Dime.Outcome> next() throws InterruptedException {
              return n++ < 2 ? all.next() : Optional.empty();
            }

            @Override
            public void cancel() {}

            @Override
            public void close() {}
          };
        };
    assertEquals(2, run(stopsAfterTwo, job).lines.size());
  }

  @Test
  void theRecipeAndThePoolLinesReadBackFromJson(@TempDir Path dir) throws IOException {
    EngineRecipe recipe =
        new EngineRecipe(
            List.of("/plugins"),
            "/data/pipeline.yaml",
            "onnx:/data/model.onnx",
            Map.of("timeout", 2.5, "retries", 1),
            3,
            new EngineSettings(
                "exact",
                8,
                Optional.of("random"),
                200,
                "lime",
                7,
                2,
                1,
                Optional.empty(),
                io.dime.core.Presets.DEFAULT),
            new EngineLimits(100, 1000L, 2.5),
            64,
            "/data",
            true,
            Map.of("plugins", Map.of("core", "0.1"), "targets", "predicted"));
    assertEquals(recipe, EngineRecipe.fromJson(recipe.toJson()));
    assertThrows(IllegalArgumentException.class, () -> EngineRecipe.fromJson("{\"model\":1}"));

    List<String> lines = new ArrayList<>();
    for (Datapoint p : points("q", 4, 2)) {
      lines.add(
          String.format(
              Locale.ROOT,
              "{\"id\":\"%s\",\"a\":%s,\"b\":%s}",
              p.id(),
              Json.line(p.value("a")),
              Json.line(p.value("b"))));
    }
    lines.add(1, "");
    Path manifest = dir.resolve("pool.jsonl");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    List<SourceRecord> records = JsonlManifest.readAll(manifest, MODALITIES);
    List<Datapoint> chosen =
        List.of(
            records.get(3).datapoint().get(),
            records.get(0).datapoint().get(),
            records.get(2).datapoint().get());
    PoolLines pool = PoolLines.of(manifest, records, chosen);
    assertEquals(List.of(5, 1, 4), pool.numbers());
    PoolLines back = Json.mapper().readValue(Json.line(pool), PoolLines.class);
    List<Datapoint> read = back.read(MODALITIES, null, false);
    assertEquals(List.of("q3", "q0", "q2"), read.stream().map(Datapoint::id).toList());
    assertArrayEquals((double[]) chosen.get(0).value("a"), (double[]) read.get(0).value("a"));
  }
}
