package io.dime.adapter.onnx;

import io.dime.api.Tensor;
import io.dime.spi.ModelAdapterFactory;
import io.dime.testkit.ModelAdapterContract;
import java.util.Map;

/** The model adapter contract on fixed_batch.onnx, whose batch dimension is fixed to 4. */
class OnnxFixedBatchContractTest extends ModelAdapterContract {
  @Override
  protected ModelAdapterFactory factory() {
    return new OnnxModelAdapterFactory();
  }

  @Override
  protected String modelLocation() {
    return TestModels.path("fixed_batch.onnx");
  }

  @Override
  protected Map<String, Tensor> sampleInputs(int batch) {
    return TestModels.linearInputs(batch, 2000 + batch);
  }

  @Override
  protected String expectedOutputName() {
    return "y";
  }
}
