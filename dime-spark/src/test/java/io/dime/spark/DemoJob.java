package io.dime.spark;

import io.dime.demo.DemoData;
import io.dime.demo.DemoModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small job on the demo's data, model and pipeline: the first records of the demo manifest, one
 * that cannot be read (its scene is missing) and one whose explanation fails (its label is not a
 * class of the model), with few samples and references and a 20-record pool, so that a run takes
 * seconds.
 */
final class DemoJob {
  static final int SAMPLES = 30;
  static final int REFERENCES = 4;

  final Path data;
  final Path model;
  final Path manifest;

  DemoJob(Path dir, int records) throws IOException {
    data = DemoData.unpack(DemoData.FASHION, dir.resolve("fashion"));
    model = dir.resolve("model.onnx");
    Files.copy(DemoModels.file(DemoModels.FASHION_VQA), model);
    List<String> demo = Files.readAllLines(data.resolve("demo.jsonl"), StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(demo.subList(0, records));
    lines.add(2, demo.get(records).replace("\"scenes/", "\"scenes/missing-"));
    lines.add(
        4, demo.get(records + 1).replaceFirst("\"label\": \"[a-z]+\"", "\"label\": \"unicorn\""));
    manifest = data.resolve("job.jsonl");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
  }

  /** The arguments of {@code dime explain} for this job, then {@code extra}. */
  String[] args(Path out, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "explain",
                "--model",
                "onnx:" + model,
                "--pipeline",
                data.resolve("pipeline.yaml").toString(),
                "--data",
                manifest.toString(),
                "--pool",
                data.resolve("pool.jsonl").toString(),
                "--pool-size",
                "20",
                "--out",
                out.toString(),
                "--samples",
                Integer.toString(SAMPLES),
                "--references",
                Integer.toString(REFERENCES),
                "--quiet"));
    if (!List.of(extra).contains("--spark")) {
      a.addAll(List.of("--threads", "2")); // a Spark task explains on its spark.task.cpus cores
    }
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }
}
