package io.dime.spark;

import io.dime.adapter.onnx.OnnxModelAdapter;
import io.dime.api.ModelException;
import io.dime.spi.DimePlugin;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelAdapterFactory;
import io.dime.spi.PluginConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model adapter, {@code flaky:FILE}, that opens an ONNX file the first time and fails every later
 * time as a served model's adapter fails when its server has gone away: a {@link ModelException}
 * naming the model, caused by a connection failure whose own cause has no message. On Spark the
 * driver opens the model first, so the executors' engine is what fails.
 */
public final class FlakyModelPlugin implements DimePlugin {
  static final AtomicInteger OPENS = new AtomicInteger();

  @Override
  public String name() {
    return "flaky";
  }

  @Override
  public List<ModelAdapterFactory> modelAdapters() {
    return List.of(
        new ModelAdapterFactory() {
          @Override
          public String name() {
            return "flaky";
          }

          @Override
          public ModelAdapter open(String location, PluginConfig config) {
            if (OPENS.incrementAndGet() == 1) {
              return OnnxModelAdapter.open(location, config);
            }
            IOException refused = new ConnectException();
            refused.initCause(new IOException((String) null));
            throw new ModelException(
                "model 'flaky:"
                    + location
                    + "': the server went away (opened "
                    + OPENS.get()
                    + " times)",
                refused);
          }
        });
  }
}
