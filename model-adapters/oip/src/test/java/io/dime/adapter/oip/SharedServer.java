package io.dime.adapter.oip;

import io.dime.adapter.oip.testserver.OipServerProcess;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test server (two_inputs, fixed_batch, int_input) shared by the test classes that only read
 * from it: started before the first of them, stopped after the last test of the run (JUnit closes
 * it with the root context's store).
 */
final class SharedServer implements BeforeAllCallback {
  private static volatile OipServerProcess server;

  /** The shared server; only within a class extended with this extension. */
  static OipServerProcess server() {
    if (server == null) {
      throw new IllegalStateException("use @ExtendWith(SharedServer.class)");
    }
    return server;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(SharedServer.class))
        .getOrComputeIfAbsent(
            "server",
            k -> {
              Stopper s = new Stopper(TestModels.server());
              server = s.process;
              return s;
            },
            Stopper.class);
  }

  private record Stopper(OipServerProcess process)
      implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      server = null;
      process.close();
    }
  }
}
