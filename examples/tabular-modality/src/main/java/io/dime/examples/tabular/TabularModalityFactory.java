package io.dime.examples.tabular;

import io.dime.spi.Modality;
import io.dime.spi.ModalityFactory;
import io.dime.spi.PluginConfig;

/** Makes {@link TabularModality} instances under the name {@code "tabular"}. */
public final class TabularModalityFactory implements ModalityFactory {
  /** The factory's name in pipeline files. */
  public static final String NAME = "tabular";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Modality<Record> create(String name, PluginConfig config) {
    return new TabularModality(name, config);
  }
}
