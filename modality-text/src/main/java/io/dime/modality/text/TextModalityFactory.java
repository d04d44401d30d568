package io.dime.modality.text;

import io.dime.spi.Modality;
import io.dime.spi.ModalityFactory;
import io.dime.spi.PluginConfig;

/** Makes {@link TextModality} instances: {@code "text"} in pipeline files. */
public final class TextModalityFactory implements ModalityFactory {
  /** The factory's name, {@value}. */
  public static final String NAME = "text";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Modality<?> create(String name, PluginConfig config) {
    return new TextModality(name, config);
  }
}
