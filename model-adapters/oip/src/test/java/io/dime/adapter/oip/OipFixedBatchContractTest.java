package io.dime.adapter.oip;

import io.dime.api.Tensor;
import io.dime.spi.ModelAdapterFactory;
import io.dime.spi.PluginConfig;
import io.dime.testkit.ModelAdapterContract;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The model adapter contract on fixed_batch (batch dimension fixed to 4), through the binary tensor
 * extension, with 3 requests in flight and the model's version in the location.
 */
@ExtendWith(SharedServer.class)
class OipFixedBatchContractTest extends ModelAdapterContract {
  @Override
  protected ModelAdapterFactory factory() {
    return new OipModelAdapterFactory();
  }

  @Override
  protected String modelLocation() {
    return SharedServer.server().url("fixed_batch") + "/versions/1";
  }

  @Override
  protected PluginConfig config() {
    return TestModels.config("tensorEncoding", "binary", "concurrency", 3);
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
