package io.dime.adapter.oip;

import io.dime.adapter.oip.testserver.OipServerProcess;
import io.dime.api.Tensor;
import io.dime.spi.ModelAdapterFactory;
import io.dime.spi.PluginConfig;
import io.dime.testkit.ModelAdapterContract;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The model adapter contract on two_inputs (two FP32 inputs, dynamic batch), served as JSON. */
class OipModelAdapterContractTest extends ModelAdapterContract {
  private static OipServerProcess server;

  @BeforeAll
  static void startServer() {
    server = TestModels.server();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected ModelAdapterFactory factory() {
    return new OipModelAdapterFactory();
  }

  @Override
  protected String modelLocation() {
    return server.url("two_inputs");
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
