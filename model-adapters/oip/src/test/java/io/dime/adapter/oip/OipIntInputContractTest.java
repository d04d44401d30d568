package io.dime.adapter.oip;

import io.dime.adapter.oip.testserver.OipServerProcess;
import io.dime.api.Tensor;
import io.dime.spi.ModelAdapterFactory;
import io.dime.spi.PluginConfig;
import io.dime.testkit.ModelAdapterContract;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The model adapter contract on int_input (one INT64 input), at most 5 rows per request so that
 * larger batches are split and sent 2 at a time, with the server answering in nested arrays.
 */
class OipIntInputContractTest extends ModelAdapterContract {
  private static OipServerProcess server;

  @BeforeAll
  static void startServer() {
    server = TestModels.server("--nested");
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
    return server.url("int_input");
  }

  @Override
  protected PluginConfig config() {
    return TestModels.config("batchSize", 5, "concurrency", 2);
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
