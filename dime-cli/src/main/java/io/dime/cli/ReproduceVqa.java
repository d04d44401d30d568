package io.dime.cli;

import io.dime.demo.DemoData;
import io.dime.demo.DemoModels;
import io.dime.reproduce.VqaExperiment;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dime reproduce pointing} and {@code dime reproduce swap}: the image+question checks. */
final class ReproduceVqa {
  private ReproduceVqa() {}

  /** The options both checks share; every path defaults to the bundled Fashion-MNIST demo. */
  static class Common {
    @Option(
        names = "--pipeline",
        paramLabel = "FILE",
        description = "pipeline file (default: the bundled demo's)")
    Path pipeline;

    @Option(
        names = "--questions",
        paramLabel = "FILE",
        description =
            "JSONL manifest with two single-position questions per scene: fields scene, quadrant"
                + " (default: the bundled demo's questions.jsonl)")
    Path questions;

    @Option(
        names = "--pool",
        paramLabel = "FILE",
        description = "reference pool manifest (default: the bundled demo's pool.jsonl)")
    Path pool;

    @Option(
        names = "--model",
        paramLabel = "NAME:LOCATION",
        description = "model (default: the bundled demo model, onnx)")
    String model;

    @Option(
        names = "--batch-size",
        defaultValue = "256",
        paramLabel = "N",
        description = "rows per model call (default ${DEFAULT-VALUE})")
    int batchSize;

    @Mixin EngineOptions engine;

    @Option(
        names = "--json",
        paramLabel = "FILE",
        description = "write the results to FILE (default: print them on standard output)")
    Path json;

    @Option(names = "--quiet", description = "no progress on standard error")
    boolean quiet;

    int run(int scenes, boolean swap) throws Exception {
      if (scenes < 1) {
        throw new IllegalArgumentException("--scenes must be at least 1, found " + scenes);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("--batch-size must be at least 1, found " + batchSize);
      }
      ReproduceCommand.checkJson(json);
      Path demo = null;
      if (pipeline == null || questions == null || pool == null) {
        demo =
            DemoData.unpack(
                DemoData.FASHION, io.dime.core.io.CommittedFiles.privateDir("demo-fashion"));
      }
      VqaExperiment.Config c =
          new VqaExperiment.Config(
              pipeline != null ? pipeline : demo.resolve("pipeline.yaml"),
              questions != null ? questions : demo.resolve("questions.jsonl"),
              pool != null ? pool : demo.resolve("pool.jsonl"),
              model != null ? model : "onnx:" + DemoModels.file("fashion_vqa.onnx"),
              scenes,
              engine.settings(),
              batchSize,
              swap);
      int[] total = {1};
      Progress[] progress = {null};
      Map<String, Object> out =
          VqaExperiment.run(
              c,
              done -> {
                if (progress[0] == null) {
                  progress[0] = new Progress(total[0], quiet);
                }
                progress[0].update(done);
              },
              total);
      if (progress[0] != null) {
        progress[0].done();
      }
      VqaExperiment.write(out, json);
      return ((java.util.List<?>) out.get("failures")).isEmpty() ? 0 : 1;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      name = "pointing",
      header = "Pointing game: does the MI point at the quadrant asked about?",
      description =
          "Pointing game: for questions about one quadrant of a scene, is the image feature with"
              + " the largest positive MI weight toward the predicted answer inside that quadrant?"
              + " Reports the rate with its 95%% Wilson interval, and plain LIME's rate next to it.")
  static final class Pointing extends Common implements Callable<Integer> {
    @Option(
        names = "--scenes",
        paramLabel = "N",
        defaultValue = "100",
        description = "scenes (two questions each; default ${DEFAULT-VALUE})")
    int scenes;

    @Override
    public Integer call() throws Exception {
      return run(scenes, false);
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      name = "swap",
      header = "Question swap (Table 3): do the weights follow the question?",
      description =
          "Question swap (the paper's Table 3): cosine distance between a scene's image UC and MI"
              + " weights for one answer with the question swapped, against the noise floor of two"
              + " seeds.")
  static final class Swap extends Common implements Callable<Integer> {
    @Option(
        names = "--scenes",
        paramLabel = "N",
        defaultValue = "100",
        description = "scenes (three explanations each; default ${DEFAULT-VALUE})")
    int scenes;

    @Override
    public Integer call() throws Exception {
      return run(scenes, true);
    }
  }
}
