package io.dime.cli;

import io.dime.demo.DemoData;
import io.dime.demo.DemoModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dime demo}: explains the bundled image+question demo (scenes of four Fashion-MNIST items
 * with templated questions, a small CNN + question encoder in ONNX) with {@code dime explain} at
 * its default settings, and prints where the report is. {@code --synthetic} runs the paper's
 * synthetic experiment instead, {@code --similarity} the two-tower image-text similarity demo
 * ({@link SimilarityDemo}).
 */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    name = "demo",
    header = "Explain the bundled image+question demo and write its report.",
    description = {
      "Explains 24 Fashion-MNIST scenes with questions about them using the committed"
          + " image+question model, and writes OUT/report/report.html. The demo's inputs"
          + " (pipeline, manifests, scenes, model) are copied to OUT/fashion to show how to"
          + " explain your own model.",
      "--synthetic runs the paper's synthetic experiment instead.",
      "--similarity explains a two-tower image-text model instead (fashion_match.onnx: a CNN"
          + " over the scene and a caption encoder, each giving a unit vector): the cosine"
          + " similarity of 12 scene-caption pairs (6 true captions, 6 false ones), through a"
          + " pipeline whose target is that cosine. It writes OUT/similarity (explanations,"
          + " summary, report) and prints each pair's split into bias, image alone, caption"
          + " alone and image x caption, and the share of the similarity that is interaction."
    })
final class DemoCommand implements Callable<Integer> {
  /** The similarity demo's scene-caption pairs (the lines of its match.jsonl). */
  static final int SIMILARITY_PAIRS = 12;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "dime-out",
      description = "output directory (default ${DEFAULT-VALUE})")
  Path out;

  @Option(
      names = "--synthetic",
      description = "run the synthetic experiment (Table 2 of the paper) instead")
  boolean synthetic;

  @Option(
      names = "--similarity",
      description =
          "explain the two-tower image-text similarity demo instead (writes OUT/similarity)")
  boolean similarity;

  @Option(
      names = "--pairs",
      paramLabel = "N",
      description = "with --similarity: explain the first N of the 12 pairs (default all)")
  Integer pairs;

  @Option(
      names = "--samples",
      paramLabel = "S",
      description =
          "perturbation samples per modality of the image demos (default: the preset's, 1000 or"
              + " "
              + io.dime.core.Presets.FAST_SAMPLES_TWO
              + " for fast: both demos have two modalities)")
  Integer samples;

  @Option(
      names = "--points",
      paramLabel = "P",
      description = "points of the synthetic experiment (default 40; with --synthetic only)")
  Integer points;

  @Option(
      names = "--inputs-only",
      description =
          "copy the demo's inputs (model, pipeline, manifests, scenes) to OUT/fashion, and the"
              + " synthetic experiment's two-vector model to OUT/vectors, and stop; with"
              + " --similarity, the same folder with the similarity model (fashion_match.onnx)"
              + " in place of the image+question one, and no OUT/vectors")
  boolean inputsOnly;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "datapoints explained at once, at most 1024 (default: available processors)")
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
    if (synthetic && similarity) {
      throw new IllegalArgumentException("--synthetic and --similarity are two demos: choose one");
    }
    if (pairs != null && !similarity) {
      throw new IllegalArgumentException("--pairs applies to --similarity only");
    }
    if (points != null && !synthetic) {
      throw new IllegalArgumentException("--points applies to --synthetic only");
    }
    if (inputsOnly && synthetic) {
      throw new IllegalArgumentException(
          "--inputs-only copies the image demos' inputs (and the synthetic model); it does not"
              + " run --synthetic: give one of them");
    }
    if (samples != null && synthetic) {
      throw new IllegalArgumentException(
          "--samples applies to the image demos; the synthetic demo runs 1000 samples, or its"
              + " --preset");
    }
    if (inputsOnly) {
      // they were accepted and did nothing: --inputs-only copies the inputs and explains nothing
      for (Map.Entry<String, Boolean> o :
          List.of(
              Map.entry("--samples", samples != null),
              Map.entry("--threads", threads != null),
              Map.entry("--pairs", pairs != null),
              Map.entry("--preset", presetGiven()))) {
        if (o.getValue()) {
          throw new IllegalArgumentException(
              o.getKey()
                  + " does nothing with --inputs-only, which copies the demo's inputs and"
                  + " explains nothing: leave one of them out");
        }
      }
    }
    // the bounds a later step would refuse, checked before anything is copied into --out
    if (pairs != null && (pairs < 1 || pairs > SIMILARITY_PAIRS)) {
      throw new IllegalArgumentException(
          "--pairs must be 1 to " + SIMILARITY_PAIRS + ", found " + pairs);
    }
    if (samples != null && samples < 2) {
      throw new IllegalArgumentException("--samples must be at least 2, found " + samples);
    }
    if (threads != null && threads < 1) {
      throw new IllegalArgumentException("--threads must be at least 1, found " + threads);
    }
    if (threads != null) {
      EngineOptions.atMostMaxThreads("--threads", threads);
    }
    // an --out that cannot be a folder (a file, a link to nothing, no write access), said as
    // dime explain says it, before anything is copied
    ExplainCommand.checkOut(out);
    if (synthetic) {
      return synthetic();
    }
    return similarity ? similarity() : fashion();
  }

  /** The synthetic demo's points: 40 unless given. */
  private static int points(Integer given) {
    return given == null ? 40 : given;
  }

  /** Whether a preset other than the default was asked for. */
  private boolean presetGiven() {
    return !io.dime.core.Presets.byName(preset).isDefault();
  }

  private int fashion() throws Exception {
    Path data = DemoData.unpack(DemoData.FASHION, out.resolve("fashion"));
    Path model = copied(DemoModels.file("fashion_vqa.onnx"), data.resolve("fashion_vqa.onnx"));
    if (inputsOnly) {
      // The synthetic experiment's two-vector MLP too, for the README's vector example.
      Path vectors = out.resolve("vectors");
      Files.createDirectories(vectors);
      Path mlp =
          copied(
              io.dime.reproduce.SyntheticModels.file("synthetic_mlp.onnx"),
              vectors.resolve("synthetic_mlp.onnx"));
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
    commonArgs(args);
    int rc = Main.run(args.toArray(String[]::new));
    if (rc == 0 || rc == 1) {
      System.out.println("demo inputs: " + data.toAbsolutePath());
      System.out.println("explanations: " + report.resolve("explanations.jsonl").toAbsolutePath());
      System.out.println("report: " + report.resolve("report.html").toAbsolutePath());
    }
    return rc;
  }

  /** Copies a packed model file to {@code target} unless the same bytes are already there. */
  private static Path copied(Path packed, Path target) throws java.io.IOException {
    if (!Files.exists(target) || Files.mismatch(target, packed) != -1) {
      Files.copy(packed, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  private int similarity() throws Exception {
    Path data = DemoData.unpack(DemoData.FASHION, out.resolve("fashion"));
    Path model =
        copied(DemoModels.file(DemoModels.FASHION_MATCH), data.resolve(DemoModels.FASHION_MATCH));
    if (inputsOnly) {
      System.out.println("demo inputs: " + data.toAbsolutePath());
      return 0;
    }
    Path manifest = firstPairs(data.resolve("match.jsonl"));
    Path report = out.resolve("similarity");
    List<String> args =
        new ArrayList<>(
            List.of(
                "explain",
                "--model",
                "onnx:" + model,
                "--pipeline",
                data.resolve("match-pipeline.yaml").toString(),
                "--data",
                manifest.toString(),
                "--pool",
                data.resolve("match-pool.jsonl").toString(),
                "--out",
                report.toString()));
    commonArgs(args);
    int rc = Main.run(args.toArray(String[]::new));
    if (rc == 0) {
      SimilarityDemo.print(
          SimilarityDemo.read(
              data.resolve("match-pipeline.yaml"),
              manifest,
              report.resolve(ExplainCommand.EXPLANATIONS),
              report.resolve(ExplainCommand.SUMMARY)),
          System.out);
    }
    if (rc == 0 || rc == 1) {
      System.out.println("demo inputs: " + data.toAbsolutePath());
      System.out.println(
          "explanations: " + report.resolve(ExplainCommand.EXPLANATIONS).toAbsolutePath());
      System.out.println("report: " + report.resolve(ExplainCommand.REPORT).toAbsolutePath());
    }
    return rc;
  }

  /** The similarity demo's manifest, or a copy of its first --pairs lines next to it. */
  private Path firstPairs(Path manifest) throws java.io.IOException {
    List<String> lines = Files.readAllLines(manifest).stream().filter(l -> !l.isBlank()).toList();
    if (pairs == null || pairs == lines.size()) {
      return manifest;
    }
    if (pairs < 1 || pairs > lines.size()) {
      throw new IllegalArgumentException(
          "--pairs must be 1 to " + lines.size() + ", found " + pairs);
    }
    Path first = manifest.resolveSibling("match-first-" + pairs + ".jsonl");
    Files.write(first, lines.subList(0, pairs));
    return first;
  }

  /** --threads, --preset, --samples and --quiet as the explain command takes them. */
  private void commonArgs(List<String> args) {
    if (samples != null) {
      args.add("--samples");
      args.add(samples.toString());
    }
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
  }

  private int synthetic() throws Exception {
    Path json = out.resolve("synthetic-demo.json");
    List<String> args =
        new ArrayList<>(
            List.of("reproduce", "synthetic", "--points", Integer.toString(points(points))));
    if (presetGiven()) {
      args.addAll(List.of("--preset", preset));
    } else {
      args.addAll(List.of("--samples", "1000", "--references", "50"));
    }
    args.addAll(List.of("--json", json.toString()));
    if (threads != null) {
      args.addAll(List.of("--threads", threads.toString()));
    }
    if (quiet) {
      args.add("--quiet");
    }
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
