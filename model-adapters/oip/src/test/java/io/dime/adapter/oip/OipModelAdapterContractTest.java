package io.dime.adapter.oip;

import io.dime.api.Tensor;
import io.dime.spi.ModelAdapterFactory;
import io.dime.spi.PluginConfig;
import io.dime.testkit.ModelAdapterContract;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtendWith;

/** The model adapter contract on two_inputs (two FP32 inputs, dynamic batch), served as JSON. */
@ExtendWith(SharedServer.class)
class OipModelAdapterContractTest extends ModelAdapterContract {
  @Override
  protected ModelAdapterFactory factory() {
    return new OipModelAdapterFactory();
  }

  @Override
  protected String modelLocation() {
    return SharedServer.server().url("two_inputs");
  }

  @Override
  protected PluginConfig config() {
    return TestModels.config("tensorEncoding", "json");
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
    return Optional.of("serverVersion");
  }
}
