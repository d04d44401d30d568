package io.dime.cli;

import io.dime.adapter.onnx.OnnxModelAdapter;
import io.dime.api.MultimodalModel;
import io.dime.api.OutputKind;
import io.dime.core.infer.EncodedModel;
import io.dime.reproduce.SyntheticModels;
import io.dime.reproduce.SyntheticReproduction;
import io.dime.reproduce.SyntheticTasks.Task;
import io.dime.reproduce.VqaExperiment;
import io.dime.spi.PluginConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dime reproduce}: the paper's experiments. */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    name = "reproduce",
    description = "Reproduce the paper's experiments.",
    subcommands = {
      ReproduceCommand.Synthetic.class,
      ReproduceVqa.Pointing.class,
      ReproduceVqa.Swap.class
    })
final class ReproduceCommand {
  /** {@code dime reproduce synthetic}: Table 2 of the paper, generalised to k modalities. */
  @Command(
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      name = "synthetic",
      header = "The synthetic experiment (Table 2 of the paper), with k modalities.",
      description =
          "Explains P test points of the synthetic task (label 1) and correlates each"
              + " explanation's weights with the ground truth d1, d2, d1*d2 (Table 2 of the"
              + " paper).")
  static final class Synthetic implements Callable<Integer> {
    @Option(
        names = "--points",
        paramLabel = "P",
        defaultValue = "1000",
        description = "P, the test points explained (default ${DEFAULT-VALUE})")
    int points;

    @Option(
        names = "--model",
        paramLabel = "MODEL",
        defaultValue = "mlp",
        description =
            "mlp (the committed ONNX model), analytic (the function y itself) or a path (default"
                + " ${DEFAULT-VALUE})")
    String model;

    @Option(
        names = "--modalities",
        paramLabel = "K",
        defaultValue = "2",
        description = "the modalities of the synthetic task: 2, 3 or 4 (default ${DEFAULT-VALUE})")
    int modalities;

    @Option(
        names = "--batch-size",
        defaultValue = "1024",
        paramLabel = "N",
        description = "rows per model call (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(
        names = "--model-threads",
        paramLabel = "N",
        defaultValue = "1",
        description =
            "ONNX Runtime intra-op threads per call, at most 1024 (default ${DEFAULT-VALUE})")
    int modelThreads;

    @picocli.CommandLine.Mixin EngineOptions engine;

    @Option(
        names = "--json",
        paramLabel = "FILE",
        description = "write the results to FILE (default: print them on standard output)")
    Path json;

    @Option(names = "--quiet", description = "no progress on standard error")
    boolean quiet;

    @Option(
        names = "--dry-run",
        description =
            "explain nothing: print the model passes and the estimated time of the run (measured"
                + " on a few test points with the real model, as dime explain --dry-run does)")
    boolean dryRun;

    @Option(
        names = "--dry-run-json",
        description = "the dry run's findings as JSON (implies --dry-run)")
    boolean dryRunJson;

    @Override
    public Integer call() throws IOException {
      if (modalities < 2 || modalities > 4) {
        throw new IllegalArgumentException("--modalities must be 2, 3 or 4, found " + modalities);
      }
      if (modelThreads < 1) {
        throw new IllegalArgumentException(
            "--model-threads must be at least 1, found " + modelThreads);
      }
      EngineOptions.atMostMaxThreads("--model-threads", modelThreads); // ONNX Runtime's cap too
      if (points < 1) {
        throw new IllegalArgumentException("--points must be at least 1, found " + points);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("--batch-size must be at least 1, found " + batchSize);
      }
      checkJson(json); // a dry run writes nothing, but says now what the run would meet
      Task task = Task.of("k" + modalities);
      if (dryRun || dryRunJson) {
        return dryRun(task);
      }
      try (MultimodalModel m = model(task, model, modelThreads)) {
        Progress progress = new Progress(points, quiet);
        Map<String, Object> out =
            SyntheticReproduction.run(
                new SyntheticReproduction.Config(task, points, engine.settings(), batchSize),
                m,
                model,
                progress::update);
        progress.done();
        VqaExperiment.write(out, json);
        return ((List<?>) out.get("failedPoints")).isEmpty() ? 0 : 1;
      }
    }

    /**
     * {@code --dry-run}: the estimate {@code dime explain --dry-run} gives, for the run's engine on
     * its test points (the explanation phase only: {@code secondsPerPoint} x points of the run).
     */
    private Integer dryRun(Task task) {
      try (MultimodalModel m = model(task, model, modelThreads)) {
        SyntheticReproduction.Config cfg =
            new SyntheticReproduction.Config(task, points, engine.settings(), batchSize);
        List<io.dime.api.Datapoint> test = SyntheticReproduction.testPoints(task, points);
        int pool =
            io.dime.reproduce.SyntheticTasks.size(
                task, io.dime.reproduce.SyntheticTasks.Split.VALID);
        String cls = Integer.toString(SyntheticReproduction.explainedClass(task));
        return DryRun.run(
            new DryRun.Setup(
                () -> SyntheticReproduction.builder(cfg, m),
                m,
                test,
                test::get,
                test.size(),
                pool,
                0,
                io.dime.core.job.ExplanationJob.globalGrid(pool, modalities, m.outputCount()),
                SyntheticReproduction.modalities(task).stream().map(v -> v.name()).toList(),
                io.dime.core.Targets.classes(cls),
                cls,
                engine,
                batchSize,
                false),
            dryRunJson,
            System.out);
      }
    }
  }

  /**
   * Refuses, before any work, a --json path that cannot be written: a folder, or a path under a
   * file or a folder that cannot be written (the results were computed and then lost).
   */
  static void checkJson(Path json) {
    if (json == null) {
      return;
    }
    if (java.nio.file.Files.isDirectory(json)) {
      throw new IllegalArgumentException(
          "--json " + json + " is a folder; give the path of the file to write");
    }
    Path existing = json.toAbsolutePath().normalize().getParent();
    while (existing != null && !java.nio.file.Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && !java.nio.file.Files.isDirectory(existing)) {
      throw new IllegalArgumentException(
          "--json " + json + ": " + existing + " is a file, so no folder can be made under it");
    }
    boolean writable =
        java.nio.file.Files.exists(json)
            ? java.nio.file.Files.isWritable(json)
            : existing == null || java.nio.file.Files.isWritable(existing);
    if (!writable) {
      throw new IllegalArgumentException("--json " + json + ": permission denied");
    }
  }

  /**
   * The model for a task: "analytic", "mlp" (the committed ONNX file) or a path to an ONNX file.
   */
  static MultimodalModel model(Task task, String name, int modelThreads) {
    if (name.equals("analytic")) {
      return SyntheticReproduction.analyticModel(task);
    }
    Path file;
    if (name.equals("mlp")) {
      file = SyntheticModels.file(task);
    } else {
      file = Path.of(name);
    }
    int intra = Math.max(1, modelThreads);
    OnnxModelAdapter adapter =
        OnnxModelAdapter.open(
            file.toString(), PluginConfig.of("onnx model", OnnxModelAdapter.THREADS, intra));
    return new EncodedModel(
        List.copyOf(SyntheticReproduction.modalities(task)),
        adapter,
        null,
        task.isClassification() ? OutputKind.LOGITS : OutputKind.REGRESSION,
        null);
  }
}
