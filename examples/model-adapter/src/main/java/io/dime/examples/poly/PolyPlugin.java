package io.dime.examples.poly;

import io.dime.spi.DimePlugin;
import io.dime.spi.ModelAdapterFactory;
import java.util.List;

/**
 * The example plugin's one entry point, listed in {@code META-INF/services/io.dime.spi.DimePlugin}:
 * contributes the {@code poly} model adapter. A plugin overrides only the getters of what it adds
 * (here {@link #modelAdapters()}); {@link #version()} is the jar's {@code Implementation-Version}.
 */
public final class PolyPlugin implements DimePlugin {
  @Override
  public String name() {
    return "poly";
  }

  @Override
  public List<ModelAdapterFactory> modelAdapters() {
    return List.of(new PolyModelAdapterFactory());
  }
}
