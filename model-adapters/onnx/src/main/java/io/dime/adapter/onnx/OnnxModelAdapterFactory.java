package io.dime.adapter.onnx;

import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelAdapterFactory;
import io.dime.spi.PluginConfig;

/**
 * Opens {@code .onnx} files with ONNX Runtime, in process: {@code --model onnx:PATH}. See {@link
 * OnnxModelAdapter} for the settings.
 */
public final class OnnxModelAdapterFactory implements ModelAdapterFactory {
  /** The adapter's name, {@value}. */
  public static final String NAME = "onnx";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ModelAdapter open(String location, PluginConfig config) {
    return OnnxModelAdapter.open(location, config);
  }
}
