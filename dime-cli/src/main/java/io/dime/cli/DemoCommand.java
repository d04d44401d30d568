package io.dime.cli;

import io.dime.demo.DemoData;
import io.dime.demo.DemoModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dime demo}: explains the bundled image+question demo (scenes of four Fashion-MNIST items
 * with templated questions, a small CNN + question encoder in ONNX) with {@code dime explain} at
 * its default settings, and prints where the report is. {@code --synthetic} runs the paper's
 * synthetic experiment instead.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "demo",
    description = {
      "Run the bundled demo: explain 24 Fashion-MNIST scenes with questions about them using the",
      "committed image+question model, and write OUT/report/report.html. The demo's inputs",
      "(pipeline, manifests, scenes, model) are copied to OUT/fashion to show how to explain your",
      "own model. --synthetic runs the paper's synthetic experiment instead."
    })
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", defaultValue = "dime-out", description = "output directory")
  Path out;

  @Option(
      names = "--synthetic",
      description = "run the synthetic experiment (Table 2 of the paper) instead")
  boolean synthetic;

  @Option(
      names = "--points",
      defaultValue = "40",
      description = "points of the synthetic experiment (default ${DEFAULT-VALUE})")
  int points;

  @Option(
      names = "--inputs-only",
      description =
          "copy the demo's inputs (model, pipeline, manifests, scenes) to OUT/fashion, and the"
              + " synthetic experiment's two-vector model to OUT/vectors, and stop")
  boolean inputsOnly;

  @Option(names = "--threads", description = "datapoints explained at once")
  Integer threads;

  @Option(names = "--quiet", description = "no progress on standard error")
  boolean quiet;

  @Option(
      names = "--preset",
      defaultValue = "default",
      paramLabel = "NAME",
      description =
          "default or fast (default ${DEFAULT-VALUE}): the estimator, references and samples of"
              + " the run (see dime explain --help)")
  String preset;

  @Override
  public Integer call() throws Exception {
    io.dime.core.Presets.byName(preset); // a usage error listing the presets, before any work
    return synthetic ? synthetic() : fashion();
  }

  /** Whether a preset other than the default was asked for. */
  private boolean presetGiven() {
    return !io.dime.core.Presets.byName(preset).isDefault();
  }

  private int fashion() throws Exception {
    Path data = DemoData.unpack(DemoData.FASHION, out.resolve("fashion"));
    Path model = data.resolve("fashion_vqa.onnx");
    Path packed = DemoModels.file("fashion_vqa.onnx");
    if (!Files.exists(model) || Files.mismatch(model, packed) != -1) {
      Files.copy(packed, model, StandardCopyOption.REPLACE_EXISTING);
    }
    if (inputsOnly) {
      // The synthetic experiment's two-vector MLP too, for the README's vector example.
      Path vectors = out.resolve("vectors");
      Files.createDirectories(vectors);
      Path mlp = vectors.resolve("synthetic_mlp.onnx");
      Path packedMlp = io.dime.reproduce.SyntheticModels.file("synthetic_mlp.onnx");
      if (!Files.exists(mlp) || Files.mismatch(mlp, packedMlp) != -1) {
        Files.copy(packedMlp, mlp, StandardCopyOption.REPLACE_EXISTING);
      }
      System.out.println("demo inputs: " + data.toAbsolutePath());
      System.out.println("vector model: " + mlp.toAbsolutePath());
      return 0;
    }
    Path report = out.resolve("report");
    List<String> args =
        new ArrayList<>(
            List.of(
                "explain",
                "--model",
                "onnx:" + model,
                "--pipeline",
                data.resolve("pipeline.yaml").toString(),
                "--data",
                data.resolve("demo.jsonl").toString(),
                "--pool",
                data.resolve("pool.jsonl").toString(),
                "--out",
                report.toString()));
    if (threads != null) {
      args.add("--threads");
      args.add(threads.toString());
    }
    if (presetGiven()) {
      args.add("--preset");
      args.add(preset);
    }
    if (quiet) {
      args.add("--quiet");
    }
    int rc = Main.run(args.toArray(String[]::new));
    if (rc == 0 || rc == 1) {
      System.out.println("demo inputs: " + data.toAbsolutePath());
      System.out.println("explanations: " + report.resolve("explanations.jsonl").toAbsolutePath());
      System.out.println("report: " + report.resolve("report.html").toAbsolutePath());
    }
    return rc;
  }

  private int synthetic() throws Exception {
    Path json = out.resolve("synthetic-demo.json");
    List<String> args =
        new ArrayList<>(List.of("reproduce", "synthetic", "--points", Integer.toString(points)));
    if (presetGiven()) {
      args.addAll(List.of("--preset", preset));
    } else {
      args.addAll(List.of("--samples", "1000", "--references", "100"));
    }
    args.addAll(List.of("--json", json.toString()));
    int rc = Main.run(args.toArray(String[]::new));
    if (rc == 0) {
      var node = io.dime.core.io.Json.mapper().readTree(json.toFile());
      System.out.printf(
          "Synthetic task, %d test points, model test accuracy %.4f%n",
          node.get("points").asInt(), node.get("modelAccuracy").asDouble());
      System.out.println("Mean correlation of each explanation's weights with the ground truth:");
      System.out.printf("  %-6s %8s %8s %8s%n", "", "d1", "d2", "d1*d2");
      var c = node.get("correlations");
      for (String row : new String[] {"UC1", "UC2", "MI1", "MI2", "LIME1", "LIME2"}) {
        System.out.printf(
            "  %-6s %8.3f %8.3f %8.3f%n",
            row,
            c.at("/" + row + "/d1").asDouble(),
            c.at("/" + row + "/d2").asDouble(),
            c.at("/" + row + "/d1*d2").asDouble());
      }
      System.out.println("demo results: " + json.toAbsolutePath());
    }
    return rc;
  }
}
