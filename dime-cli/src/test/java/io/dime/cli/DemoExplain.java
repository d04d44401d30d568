package io.dime.cli;

import java.nio.file.Path;

/** The {@code dime explain} command line of the tests that run the demo's model and data. */
final class DemoExplain {
  private DemoExplain() {}

  /**
   * Arguments for a quick run on the demo's pipeline (2 threads, quiet).
   *
   * @param model the ONNX model file
   * @param demo the unpacked demo folder (its pipeline.yaml is used)
   * @param manifest the manifest to explain
   * @param pool the pool manifest
   * @param out the output folder
   * @param samples S
   * @param references R
   */
  static String[] args(
      Path model, Path demo, Path manifest, Path pool, Path out, int samples, int references) {
    return new String[] {
      "explain",
      "--model",
      "onnx:" + model,
      "--pipeline",
      demo.resolve("pipeline.yaml").toString(),
      "--data",
      manifest.toString(),
      "--pool",
      pool.toString(),
      "--out",
      out.toString(),
      "--samples",
      Integer.toString(samples),
      "--references",
      Integer.toString(references),
      "--threads",
      "2",
      "--quiet"
    };
  }
}
