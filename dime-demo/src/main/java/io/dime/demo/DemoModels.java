package io.dime.demo;

import io.dime.core.io.CommittedFiles;
import java.nio.file.Path;

/**
 * The demo's committed model ({@code fashion_vqa.onnx}, trained by {@code
 * dime-reproduce/src/main/python/fashion_vqa.py}), as a checked file.
 */
public final class DemoModels {
  /** The image+question model of the Fashion-MNIST demo. */
  public static final String FASHION_VQA = "fashion_vqa.onnx";

  private DemoModels() {}

  /** Path of the demo model {@code name} (e.g. {@link #FASHION_VQA}) as a checked file. */
  public static Path file(String name) {
    return CommittedFiles.file(DemoModels.class, "/io/dime/demo/models/" + name);
  }
}
