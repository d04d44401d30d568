package io.dime.modality.timeseries;

import io.dime.spi.DimePlugin;
import io.dime.spi.ModalityFactory;
import java.util.List;

/** The timeseries plugin: contributes the {@code timeseries} modality. */
public final class TimeseriesPlugin implements DimePlugin {
  @Override
  public String name() {
    return "timeseries";
  }

  @Override
  public List<ModalityFactory> modalities() {
    return List.of(new TimeseriesModalityFactory());
  }
}
