package io.dime.adapter.onnx;

import io.dime.spi.DimePlugin;
import io.dime.spi.ModelAdapterFactory;
import java.util.List;

/** The ONNX Runtime plugin: one model adapter, {@code onnx}. */
public final class OnnxPlugin implements DimePlugin {
  @Override
  public String name() {
    return "onnx";
  }

  @Override
  public List<ModelAdapterFactory> modelAdapters() {
    return List.of(new OnnxModelAdapterFactory());
  }
}
