package io.dime.adapter.oip;

import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelAdapterFactory;
import io.dime.spi.PluginConfig;

/**
 * Connects to models served over the Open Inference Protocol (KServe v2, Triton): {@code --model
 * oip:http://HOST:PORT/v2/models/NAME} or {@code oip:http://HOST:PORT/v2/models/NAME/versions/V}.
 * See {@link OipModelAdapter} for the settings.
 */
public final class OipModelAdapterFactory implements ModelAdapterFactory {
  /** The adapter's name, {@value}. */
  public static final String NAME = "oip";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ModelAdapter open(String location, PluginConfig config) {
    return OipModelAdapter.open(location, config);
  }
}
