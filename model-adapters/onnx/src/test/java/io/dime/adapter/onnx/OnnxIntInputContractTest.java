package io.dime.adapter.onnx;

import io.dime.api.Tensor;
import io.dime.spi.ModelAdapterFactory;
import io.dime.spi.PluginConfig;
import io.dime.testkit.ModelAdapterContract;
import java.util.Map;

/**
 * The model adapter contract on int_input.onnx (one INT64 input), with at most 5 rows per call so
 * that larger batches are split.
 */
class OnnxIntInputContractTest extends ModelAdapterContract {
  @Override
  protected ModelAdapterFactory factory() {
    return new OnnxModelAdapterFactory();
  }

  @Override
  protected String modelLocation() {
    return TestModels.path("int_input.onnx");
  }

  @Override
  protected PluginConfig config() {
    return PluginConfig.of("model adapter 'onnx'", "batchSize", 5, "threads", 1);
  }

  @Override
  protected Map<String, Tensor> sampleInputs(int batch) {
    return TestModels.idInputs(batch, 3000 + batch);
  }

  @Override
  protected String expectedOutputName() {
    return "s";
  }
}
