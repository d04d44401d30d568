package io.dime.adapter.oip;

import io.dime.spi.DimePlugin;
import io.dime.spi.ModelAdapterFactory;
import java.util.List;

/** The Open Inference Protocol plugin: one model adapter, {@code oip}. */
public final class OipPlugin implements DimePlugin {
  @Override
  public String name() {
    return "oip";
  }

  @Override
  public List<ModelAdapterFactory> modelAdapters() {
    return List.of(new OipModelAdapterFactory());
  }
}
