package io.dime.modality.timeseries;

import io.dime.spi.Modality;
import io.dime.spi.ModalityFactory;
import io.dime.spi.PluginConfig;

/** Makes {@link TimeseriesModality} instances under the name {@code "timeseries"}. */
public final class TimeseriesModalityFactory implements ModalityFactory {
  /** The factory's name in pipeline files. */
  public static final String NAME = "timeseries";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Modality<Series> create(String name, PluginConfig config) {
    return new TimeseriesModality(name, config);
  }
}
