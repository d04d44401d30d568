package io.dime.modality.image;

import io.dime.spi.Modality;
import io.dime.spi.ModalityFactory;
import io.dime.spi.PluginConfig;

/** Makes {@link ImageModality} instances; factory name {@code "image"}. */
public final class ImageModalityFactory implements ModalityFactory {
  static final String NAME = "image";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Modality<Image> create(String name, PluginConfig config) {
    return new ImageModality(name, config);
  }
}
