package io.dime.core.modality;

import io.dime.spi.Modality;
import io.dime.spi.ModalityFactory;
import io.dime.spi.PluginConfig;

/** Makes {@link VectorModality} instances; registered by the core plugin as "vector". */
public final class VectorModalityFactory implements ModalityFactory {
  @Override
  public String name() {
    return "vector";
  }

  @Override
  public Modality<?> create(String name, PluginConfig config) {
    return new VectorModality(name, config);
  }
}
