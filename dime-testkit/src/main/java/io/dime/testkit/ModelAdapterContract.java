package io.dime.testkit;

import static io.dime.testkit.Checks.LOWER_SNAKE;
import static io.dime.testkit.Checks.assertMessageContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.spi.DimePlugin;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelAdapterFactory;
import io.dime.spi.PluginConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contract tests that every {@link ModelAdapterFactory} and the {@link ModelAdapter}s it opens must
 * pass. A model adapter plugin's test class extends this class and supplies a small model and valid
 * inputs for it; the inherited tests then check discovery, the signature, batching, input
 * validation, thread safety, closing and provenance.
 *
 * <p>This class holds the checks of discovery, closing, opening and provenance, and inherits the
 * checks of runs from the part contracts it implements: {@link AdapterRunContract} (the signature,
 * batches, row independence, thread safety) and {@link AdapterValidationContract} (mismatched
 * inputs and outputs). They test the {@link ModelAdapterFixture} that {@link #fixture()} builds
 * from the methods below.
 *
 * <h2>What to override</h2>
 *
 * <ul>
 *   <li>{@link #factory()}: a new instance of the factory under test. It must also be reachable
 *       through a {@link DimePlugin} listed in {@code META-INF/services/io.dime.spi.DimePlugin}.
 *   <li>{@link #modelLocation()}: the location of a model the test provides (usually a tiny file
 *       under {@code src/test/resources}), as passed to {@link ModelAdapterFactory#open}.
 *   <li>{@link #sampleInputs(int)}: valid inputs for {@code batch} rows, one tensor per model
 *       input, batch dimension first.
 *   <li>{@link #expectedOutputName()}: an output of the model that the tests request.
 *   <li>optionally {@link #config()} (default: empty settings), {@link #tolerance()} (default 1e-5)
 *       and {@link #runtimeVersionKey()} (the provenance key holding the runtime version).
 * </ul>
 *
 * <p>A fresh adapter is opened before each test and closed after it; {@link #adapter()} returns it.
 * Test methods are public so that a subclass may override one, for example to disable it with
 * {@code @Disabled("reason")} when a capability truly does not apply; a plugin that does so should
 * say why.
 *
 * <h2>What the contract expects of an adapter</h2>
 *
 * <ul>
 *   <li>The factory's {@link ModelAdapterFactory#name() name} is lower_snake, and a plugin found by
 *       {@link ServiceLoader} offers a factory of that class under that name.
 *   <li>{@link ModelAdapter#signature()} lists every input and output with a name, an element type
 *       and a shape (batch dimension first, -1 for a dynamic dimension).
 *   <li>{@link ModelAdapter#run} returns exactly the requested outputs with n rows for n input rows
 *       (whatever batch dimension the model has), does not change its inputs, and a row's result
 *       does not depend on the other rows of its batch.
 *   <li>Mismatched inputs fail with {@link ModelException} before the model runs, and the message
 *       names the offending input or output and what was expected: a misspelled input names the
 *       misspelled name and the model's inputs (so unknown names must be reported before missing
 *       ones); a missing input names it; a wrong element type names the input and the expected
 *       {@link ElementType}; a wrong shape names the input and the expected dimension; an unknown
 *       output names it and the model's outputs.
 *   <li>{@code run} is safe to call from several threads at once.
 *   <li>{@code close()} may be called more than once; {@code run} after {@code close()} fails with
 *       {@link ModelException}.
 *   <li>{@link ModelAdapter#provenance()} has {@code "adapter"} (the factory name), {@code
 *       "location"}, {@code "sha256"} (64 lower-case hex digits; the file's digest when the
 *       location is a file) and an entry with the runtime's version.
 *   <li>Opening a location that does not exist fails with {@link ModelException} naming it; an
 *       unknown setting is rejected with a message naming it.
 * </ul>
 *
 * @since 0.1
 */
public abstract class ModelAdapterContract
    implements AdapterRunContract, AdapterValidationContract {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+)+.*");

  private ModelAdapter adapter;
  private ModelAdapterFixture fixture;

  /** The factory under test; a new instance each call is fine. */
  protected abstract ModelAdapterFactory factory();

  /** Location of a model that this test provides, as passed to {@link ModelAdapterFactory#open}. */
  protected abstract String modelLocation();

  /**
   * Valid inputs for {@code batch} rows: one tensor per model input, keyed by input name, batch
   * dimension first. Each call may return new values; the tests only compare results of the same
   * tensors.
   *
   * @param batch number of rows, at least 1
   */
  protected abstract Map<String, Tensor> sampleInputs(int batch);

  /** Name of a model output that the tests request. */
  protected abstract String expectedOutputName();

  /** Settings used to open the model; empty by default. */
  protected PluginConfig config() {
    return PluginConfig.empty("model adapter '" + factory().name() + "'");
  }

  /** Largest absolute difference tolerated between results that should agree; 1e-5 by default. */
  protected double tolerance() {
    return 1e-5;
  }

  /**
   * The provenance key holding the runtime's version (e.g. {@code "onnxruntime"}). When empty (the
   * default), the contract accepts any entry besides adapter, location and sha256 whose value looks
   * like a version ({@code 1.2}, {@code 1.2.3-rc1}).
   */
  protected Optional<String> runtimeVersionKey() {
    return Optional.empty();
  }

  /** The adapter opened for the current test. */
  protected final ModelAdapter adapter() {
    return adapter;
  }

  /**
   * The adapter, its sample inputs and this test's hooks, as the part contracts see them: each
   * method answers with the method of this class of the same name.
   */
  @Override
  public final ModelAdapterFixture fixture() {
    if (fixture == null) {
      fixture = new Fixture();
    }
    return fixture;
  }

  @BeforeEach
  public void openAdapter() {
    adapter = factory().open(modelLocation(), config());
    assertNotNull(adapter, "factory().open returned null for " + modelLocation());
  }

  @AfterEach
  public void closeAdapter() {
    if (adapter != null) {
      adapter.close();
      adapter = null;
    }
  }

  // ---- discovery -----------------------------------------------------------------------------

  @Test
  public void factoryIsFoundByServiceLoaderUnderItsName() {
    ModelAdapterFactory factory = factory();
    String name = factory.name();
    assertNotNull(name, "factory().name() is null");
    assertTrue(
        LOWER_SNAKE.matcher(name).matches(),
        "model adapter name '" + name + "' is not lower_snake (e.g. 'onnx', 'open_inference')");
    Checks.Discovery<ModelAdapterFactory> d =
        Checks.discover(
            getClass().getClassLoader(),
            name,
            DimePlugin::modelAdapters,
            ModelAdapterFactory::name);
    if (d.found().isEmpty()) {
      fail(d.notFoundMessage("model adapter", name, "modelAdapters"));
    }
    assertEquals(
        1,
        d.found().size(),
        "model adapter '" + name + "' is offered more than once: " + d.offered());
    assertEquals(
        factory.getClass(),
        d.found().get(0).getClass(),
        "the plugin's model adapter '" + name + "' is not the factory under test");
    String pluginName = d.owners().get(0);
    assertTrue(
        pluginName != null && LOWER_SNAKE.matcher(pluginName).matches(),
        "plugin name '" + pluginName + "' is not lower_snake");
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  @Test
  public void closeIsIdempotentAndRunAfterCloseFails() {
    Map<String, Tensor> inputs = sampleInputs(2);
    runOne(inputs);
    adapter.close();
    adapter.close();
    assertThrows(
        ModelException.class,
        () -> adapter.run(inputs, List.of(expectedOutputName())),
        "run after close() must fail with ModelException");
  }

  @Test
  public void openingAMissingLocationFailsNamingIt() {
    String missing = modelLocation() + ".does-not-exist";
    ModelException e =
        assertThrows(
            ModelException.class,
            () -> factory().open(missing, config()).close(),
            "opening " + missing + " must fail with ModelException");
    assertMessageContains(e, missing);
  }

  @Test
  public void unknownSettingIsRejectedNamingIt() {
    PluginConfig bad = Checks.withUnknownSetting(config());
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () -> factory().open(modelLocation(), bad).close(),
            "opening with unknown setting '" + Checks.UNKNOWN_SETTING + "' must fail");
    assertMessageContains(e, Checks.UNKNOWN_SETTING);
  }

  // ---- provenance ----------------------------------------------------------------------------

  @Test
  public void provenanceNamesAdapterLocationDigestAndRuntimeVersion() throws IOException {
    Map<String, Object> p = adapter.provenance();
    assertNotNull(p, "provenance() is null");
    for (String key : List.of("adapter", "location", "sha256")) {
      assertTrue(p.containsKey(key), "provenance has no '" + key + "': " + p);
    }
    assertEquals(factory().name(), String.valueOf(p.get("adapter")), "provenance 'adapter'");
    assertFalse(String.valueOf(p.get("location")).isBlank(), "provenance 'location' is blank");
    String sha = String.valueOf(p.get("sha256"));
    assertTrue(
        SHA256.matcher(sha).matches(),
        "provenance 'sha256' must be 64 lower-case hex digits, found '" + sha + "'");
    Optional<Path> file = asFile(modelLocation());
    if (file.isPresent()) {
      assertEquals(sha256(file.get()), sha, "provenance 'sha256' is not the model file's digest");
    }
    Optional<String> key = runtimeVersionKey();
    if (key.isPresent()) {
      Object v = p.get(key.get());
      assertTrue(
          v != null && !v.toString().isBlank(),
          "provenance has no runtime version '" + key.get() + "': " + p);
    } else {
      boolean found =
          p.entrySet().stream()
              .filter(e -> !Set.of("adapter", "location", "sha256").contains(e.getKey()))
              .anyMatch(
                  e -> e.getValue() != null && VERSION.matcher(e.getValue().toString()).matches());
      assertTrue(found, "provenance has no entry with a runtime version (like 1.2.3): " + p);
    }
  }

  // ---- helpers for subclasses ----------------------------------------------------------------

  /** Runs {@code inputs} on {@link #adapter()} and returns {@link #expectedOutputName()}. */
  protected final Tensor runOne(Map<String, Tensor> inputs) {
    return TensorChecks.runOne(fixture(), inputs);
  }

  /** Rows {@code [from, to)} of every tensor, batch dimension first. */
  protected static Map<String, Tensor> rows(Map<String, Tensor> tensors, int from, int to) {
    return TensorChecks.rows(tensors, from, to);
  }

  /** Rows {@code [from, to)} of a tensor, batch dimension first. */
  protected static Tensor rows(Tensor t, int from, int to) {
    return TensorChecks.rows(t, from, to);
  }

  /** Fails unless both tensors have the same type and shape and agree to {@link #tolerance()}. */
  protected final void assertClose(Tensor expected, Tensor actual, String what) {
    String diff = TensorChecks.difference(expected, actual, tolerance());
    if (diff != null) {
      fail(what + ": " + diff);
    }
  }

  private static Optional<Path> asFile(String location) {
    try {
      Path p = Path.of(location);
      return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int r; (r = in.read(buf)) > 0; ) {
        md.update(buf, 0, r);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("the JDK has no SHA-256", e);
    }
  }

  /** The part contracts' view of this test: each method answers with this class's. */
  private final class Fixture implements ModelAdapterFixture {
    @Override
    public ModelAdapter adapter() {
      return ModelAdapterContract.this.adapter();
    }

    @Override
    public Map<String, Tensor> sampleInputs(int batch) {
      return ModelAdapterContract.this.sampleInputs(batch);
    }

    @Override
    public String expectedOutputName() {
      return ModelAdapterContract.this.expectedOutputName();
    }

    @Override
    public double tolerance() {
      return ModelAdapterContract.this.tolerance();
    }
  }
}
