package io.dime.reproduce;

import io.dime.core.io.CommittedFiles;
import java.nio.file.Path;

/**
 * The committed MLPs of the synthetic experiment ({@code synthetic_mlp.onnx} for two modalities,
 * {@code synthetic3_mlp.onnx}, {@code synthetic4_mlp.onnx}), trained by {@code
 * src/main/python/train_synthetic.py}, as checked files.
 */
public final class SyntheticModels {
  private SyntheticModels() {}

  /** The committed MLP of a task. */
  public static Path file(SyntheticTasks.Task task) {
    return file(
        task == SyntheticTasks.Task.K2
            ? "synthetic_mlp.onnx"
            : "synthetic" + task.modalities() + "_mlp.onnx");
  }

  /** A committed model file by name. */
  public static Path file(String name) {
    return CommittedFiles.file(SyntheticModels.class, "/io/dime/reproduce/models/" + name);
  }
}
