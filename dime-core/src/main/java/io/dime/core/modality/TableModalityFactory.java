package io.dime.core.modality;

import io.dime.spi.Modality;
import io.dime.spi.ModalityFactory;
import io.dime.spi.PluginConfig;

/** Makes {@link TableModality} instances; registered by the core plugin as "table". */
public final class TableModalityFactory implements ModalityFactory {
  @Override
  public String name() {
    return "table";
  }

  @Override
  public Modality<?> create(String name, PluginConfig config) {
    return new TableModality(name, config);
  }
}
