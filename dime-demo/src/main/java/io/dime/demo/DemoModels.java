package io.dime.demo;

import io.dime.core.io.CommittedFiles;
import java.nio.file.Path;

/**
 * The demos' committed models ({@code fashion_vqa.onnx} and {@code fashion_match.onnx}, trained by
 * {@code fashion_vqa.py} and {@code fashion_match.py} in {@code dime-reproduce/src/main/python}),
 * as checked files.
 */
public final class DemoModels {
  /** The image+question model of the Fashion-MNIST demo. */
  public static final String FASHION_VQA = "fashion_vqa.onnx";

  /**
   * The two-tower image-text similarity model of the Fashion-MNIST scenes (outputs {@code
   * image_embedding} and {@code text_embedding}; trained by {@code
   * dime-reproduce/src/main/python/fashion_match.py}).
   */
  public static final String FASHION_MATCH = "fashion_match.onnx";

  private DemoModels() {}

  /** Path of the demo model {@code name} (e.g. {@link #FASHION_VQA}) as a checked file. */
  public static Path file(String name) {
    return CommittedFiles.file(DemoModels.class, "/io/dime/demo/models/" + name);
  }
}
