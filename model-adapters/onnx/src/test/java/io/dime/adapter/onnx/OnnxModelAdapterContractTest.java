package io.dime.adapter.onnx;

import io.dime.api.Tensor;
import io.dime.spi.ModelAdapterFactory;
import io.dime.testkit.ModelAdapterContract;
import java.util.Map;
import java.util.Optional;

/** The model adapter contract on two_inputs.onnx (two float inputs, dynamic batch). */
class OnnxModelAdapterContractTest extends ModelAdapterContract {
  @Override
  protected ModelAdapterFactory factory() {
    return new OnnxModelAdapterFactory();
  }

  @Override
  protected String modelLocation() {
    return TestModels.path("two_inputs.onnx");
  }

  @Override
  protected Map<String, Tensor> sampleInputs(int batch) {
    return TestModels.linearInputs(batch, 1000 + batch);
  }

  @Override
  protected String expectedOutputName() {
    return "y";
  }

  @Override
  protected Optional<String> runtimeVersionKey() {
    return Optional.of("onnxruntime");
  }
}
