package io.dime.modality.image;

import io.dime.spi.DimePlugin;
import io.dime.spi.ModalityFactory;
import java.util.List;

/** The image plugin: offers the {@code image} modality ({@link ImageModalityFactory}). */
public final class ImagePlugin implements DimePlugin {
  @Override
  public String name() {
    return "image";
  }

  @Override
  public List<ModalityFactory> modalities() {
    return List.of(new ImageModalityFactory());
  }
}
