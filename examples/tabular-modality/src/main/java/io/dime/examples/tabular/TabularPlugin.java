package io.dime.examples.tabular;

import io.dime.spi.DimePlugin;
import io.dime.spi.ModalityFactory;
import java.util.List;

/**
 * The example plugin's one entry point, listed in {@code META-INF/services/io.dime.spi.DimePlugin}:
 * contributes the {@code tabular} modality.
 */
public final class TabularPlugin implements DimePlugin {
  @Override
  public String name() {
    return "tabular";
  }

  @Override
  public List<ModalityFactory> modalities() {
    return List.of(new TabularModalityFactory());
  }
}
