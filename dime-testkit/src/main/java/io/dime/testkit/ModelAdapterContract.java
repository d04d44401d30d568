package io.dime.testkit;

import static java.util.Objects.requireNonNull;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.DimePlugin;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelAdapterFactory;
import io.dime.spi.ModelSignature;
import io.dime.spi.PluginConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Contract tests that every {@link ModelAdapterFactory} and the {@link ModelAdapter}s it opens must
 * pass. A model adapter plugin's test class extends this class and supplies a small model and valid
 * inputs for it; the inherited tests then check discovery, the signature, batching, input
 * validation, thread safety, closing and provenance.
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
public abstract class ModelAdapterContract {
  private static final Pattern LOWER_SNAKE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+)+.*");
  private static final int THREADS = 4;
  private static final int BATCHES_PER_THREAD = 50;

  private ModelAdapter adapter;

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

    List<String> offered = new ArrayList<>();
    List<DimePlugin> owners = new ArrayList<>();
    ModelAdapterFactory found = null;
    for (DimePlugin plugin : ServiceLoader.load(DimePlugin.class, getClass().getClassLoader())) {
      for (ModelAdapterFactory candidate : plugin.modelAdapters()) {
        offered.add(candidate.name() + " (plugin " + plugin.name() + ")");
        if (name.equals(candidate.name())) {
          found = candidate;
          owners.add(plugin);
        }
      }
    }
    assertNotNull(
        found,
        "no DimePlugin found by ServiceLoader offers model adapter '"
            + name
            + "'; offered: "
            + offered
            + ". List the plugin class in META-INF/services/io.dime.spi.DimePlugin and return the"
            + " factory from its modelAdapters()");
    assertEquals(
        1, owners.size(), "model adapter '" + name + "' is offered more than once: " + offered);
    assertEquals(
        factory.getClass(),
        found.getClass(),
        "the plugin's model adapter '" + name + "' is not the factory under test");
    String pluginName = owners.get(0).name();
    assertTrue(
        pluginName != null && LOWER_SNAKE.matcher(pluginName).matches(),
        "plugin name '" + pluginName + "' is not lower_snake");
  }

  // ---- signature -----------------------------------------------------------------------------

  @Test
  public void signatureListsInputsAndOutputsWithNamesTypesAndShapes() {
    ModelSignature signature = adapter.signature();
    assertNotNull(signature, "signature() is null");
    assertFalse(signature.inputs().isEmpty(), "signature has no inputs");
    assertFalse(signature.outputs().isEmpty(), "signature has no outputs");
    checkSpecs("input", signature.inputs());
    checkSpecs("output", signature.outputs());
    assertTrue(
        signature.output(expectedOutputName()).isPresent(),
        "signature has no output '" + expectedOutputName() + "'; outputs: " + signature.outputs());
    assertEquals(signature, adapter.signature(), "signature() changed between calls");

    Map<String, Tensor> sample = sampleInputs(1);
    assertEquals(
        names(signature.inputs()),
        sample.keySet(),
        "sampleInputs(1) does not provide exactly the signature's inputs");
    for (TensorSpec spec : signature.inputs()) {
      Tensor t = sample.get(spec.name());
      assertEquals(spec.type(), t.type(), "sampleInputs(1): element type of '" + spec.name() + "'");
      assertEquals(
          spec.shape().length,
          t.shape().length,
          "sampleInputs(1): rank of '" + spec.name() + "', signature " + spec);
    }
  }

  private static void checkSpecs(String kind, List<TensorSpec> specs) {
    Set<String> seen = new HashSet<>();
    for (TensorSpec spec : specs) {
      assertFalse(spec.name().isBlank(), kind + " with a blank name: " + spec);
      assertTrue(seen.add(spec.name()), kind + " '" + spec.name() + "' is listed twice");
      long[] shape = spec.shape();
      assertTrue(
          shape.length >= 1,
          kind + " '" + spec.name() + "' has no batch dimension: " + Arrays.toString(shape));
      for (long d : shape) {
        assertTrue(
            d == -1 || d > 0,
            kind
                + " '"
                + spec.name()
                + "' has dimension "
                + d
                + "; expected -1 (dynamic) or a positive size: "
                + Arrays.toString(shape));
      }
    }
  }

  // ---- running -------------------------------------------------------------------------------

  @ParameterizedTest(name = "batch of {0}")
  @ValueSource(ints = {1, 3, 17})
  public void runReturnsTheRequestedOutputWithOneRowPerInputRow(int batch) {
    Map<String, Tensor> inputs = sampleInputs(batch);
    checkSample(inputs, batch);
    Map<String, Tensor> before = deepCopy(inputs);

    Tensor out = runOne(inputs);

    TensorSpec spec = adapter.signature().output(expectedOutputName()).orElseThrow();
    assertEquals(spec.type(), out.type(), "element type of output '" + expectedOutputName() + "'");
    long[] expected = spec.shape();
    long[] shape = out.shape();
    assertEquals(
        expected.length,
        shape.length,
        "rank of output '"
            + expectedOutputName()
            + "': signature "
            + Arrays.toString(expected)
            + ", found "
            + Arrays.toString(shape));
    assertEquals(
        batch,
        shape[0],
        "output '"
            + expectedOutputName()
            + "' for a batch of "
            + batch
            + " has shape "
            + Arrays.toString(shape));
    for (int i = 1; i < expected.length; i++) {
      if (expected[i] >= 0) {
        assertEquals(
            expected[i],
            shape[i],
            "dimension "
                + i
                + " of output '"
                + expectedOutputName()
                + "': signature "
                + Arrays.toString(expected)
                + ", found "
                + Arrays.toString(shape));
      }
    }
    for (Map.Entry<String, Tensor> e : before.entrySet()) {
      assertTensorEquals(e.getValue(), inputs.get(e.getKey()), "run changed input " + e.getKey());
    }
  }

  @Test
  public void rowResultsDoNotDependOnTheirBatch() {
    int batch = 17;
    Map<String, Tensor> inputs = sampleInputs(batch);
    checkSample(inputs, batch);
    Tensor all = runOne(inputs);
    for (int i = 0; i < batch; i++) {
      Tensor alone = runOne(rows(inputs, i, i + 1));
      assertClose(
          alone,
          rows(all, i, i + 1),
          "row " + i + " of a batch of " + batch + " vs the same row run alone");
    }
  }

  // ---- validation ----------------------------------------------------------------------------

  @Test
  public void misspelledInputNameFailsNamingItAndTheModelInputs() {
    Map<String, Tensor> inputs = sampleInputs(2);
    String real = adapter.signature().inputs().get(0).name();
    String wrong = real + "_typo";
    Map<String, Tensor> renamed = new LinkedHashMap<>();
    inputs.forEach((k, v) -> renamed.put(k.equals(real) ? wrong : k, v));
    ModelException e = expectFailure(renamed, "input '" + real + "' renamed to '" + wrong + "'");
    assertMessageContains(e, wrong);
    assertMessageContains(e, real);
  }

  @Test
  public void missingInputFailsNamingIt() {
    Map<String, Tensor> inputs = new LinkedHashMap<>(sampleInputs(2));
    List<TensorSpec> specs = adapter.signature().inputs();
    String missing = specs.get(specs.size() - 1).name();
    inputs.remove(missing);
    ModelException e = expectFailure(inputs, "input '" + missing + "' left out");
    assertMessageContains(e, missing);
  }

  @Test
  public void wrongElementTypeFailsNamingTheInputAndTheExpectedType() {
    Map<String, Tensor> inputs = new LinkedHashMap<>(sampleInputs(2));
    TensorSpec spec = adapter.signature().inputs().get(0);
    Tensor t = inputs.get(spec.name());
    inputs.put(spec.name(), retyped(t));
    ModelException e =
        expectFailure(inputs, "input '" + spec.name() + "' given as " + retyped(t).type());
    assertMessageContains(e, spec.name());
    assertMessageContains(e, spec.type().name());
  }

  @Test
  public void wrongNonBatchDimensionFailsNamingTheInputAndTheExpectedDimension() {
    Map<String, Tensor> inputs = new LinkedHashMap<>(sampleInputs(2));
    for (TensorSpec spec : adapter.signature().inputs()) {
      long[] expected = spec.shape();
      for (int d = 1; d < expected.length; d++) {
        if (expected[d] > 0) {
          long[] shape = inputs.get(spec.name()).shape().clone();
          shape[d] = expected[d] + 1;
          inputs.put(spec.name(), zeros(spec.name(), spec.type(), shape));
          ModelException e =
              expectFailure(
                  inputs,
                  "input '"
                      + spec.name()
                      + "' with shape "
                      + Arrays.toString(shape)
                      + " for "
                      + Arrays.toString(expected));
          assertMessageContains(e, spec.name());
          assertMessageContains(e, Long.toString(expected[d]));
          return;
        }
      }
    }
    assumeTrue(false, "no input has a fixed non-batch dimension");
  }

  @Test
  public void wrongRankFailsNamingTheInput() {
    Map<String, Tensor> inputs = new LinkedHashMap<>(sampleInputs(2));
    TensorSpec spec = adapter.signature().inputs().get(0);
    long[] shape = Arrays.copyOf(inputs.get(spec.name()).shape(), spec.shape().length + 1);
    shape[shape.length - 1] = 1;
    inputs.put(spec.name(), zeros(spec.name(), spec.type(), shape));
    ModelException e =
        expectFailure(inputs, "input '" + spec.name() + "' with shape " + Arrays.toString(shape));
    assertMessageContains(e, spec.name());
  }

  @Test
  public void inputsWithDifferentBatchSizesFail() {
    List<TensorSpec> specs = adapter.signature().inputs();
    assumeTrue(specs.size() >= 2, "the model has a single input");
    Map<String, Tensor> inputs = new LinkedHashMap<>(sampleInputs(3));
    String last = specs.get(specs.size() - 1).name();
    inputs.put(last, sampleInputs(2).get(last));
    expectFailure(inputs, "input '" + last + "' with 2 rows and the others with 3");
  }

  @Test
  public void unknownOutputFailsNamingItAndTheModelOutputs() {
    String wrong = expectedOutputName() + "_typo";
    ModelException e =
        assertThrows(
            ModelException.class,
            () -> adapter.run(sampleInputs(2), List.of(wrong)),
            "requesting unknown output '" + wrong + "' must fail with ModelException");
    assertMessageContains(e, wrong);
    assertMessageContains(e, expectedOutputName());
  }

  // ---- concurrency and lifecycle -------------------------------------------------------------

  @Test
  public void concurrentRunsGiveTheSameResultsAsSerialRuns() throws Exception {
    List<Map<String, Tensor>> batches = new ArrayList<>();
    List<Tensor> serial = new ArrayList<>();
    for (int j = 0; j < BATCHES_PER_THREAD; j++) {
      Map<String, Tensor> inputs = sampleInputs(1 + j % 7);
      batches.add(inputs);
      serial.add(runOne(inputs));
    }
    List<String> problems =
        ConcurrentCheck.run(
            THREADS,
            BATCHES_PER_THREAD,
            13,
            k -> {
              String diff = difference(serial.get(k), runOne(batches.get(k)));
              return diff == null ? null : "batch " + k + ": " + diff;
            });
    assertTrue(
        problems.isEmpty(),
        THREADS + " threads running concurrently disagree with serial runs: " + problems);
  }

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
    String key = "dime_no_such_setting";
    Map<String, Object> values = new LinkedHashMap<>(config().values());
    values.put(key, 1);
    PluginConfig bad = new PluginConfig(config().component(), values);
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () -> factory().open(modelLocation(), bad).close(),
            "opening with unknown setting '" + key + "' must fail");
    assertMessageContains(e, key);
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

  // ---- helpers for this class and for subclasses ---------------------------------------------

  /** Runs {@code inputs} on {@link #adapter()} and returns {@link #expectedOutputName()}. */
  protected final Tensor runOne(Map<String, Tensor> inputs) {
    Map<String, Tensor> out = adapter.run(inputs, List.of(expectedOutputName()));
    assertNotNull(out, "run returned null");
    assertEquals(
        Set.of(expectedOutputName()),
        out.keySet(),
        "run must return exactly the requested outputs");
    return out.get(expectedOutputName());
  }

  /** Rows {@code [from, to)} of every tensor, batch dimension first. */
  protected static Map<String, Tensor> rows(Map<String, Tensor> tensors, int from, int to) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    tensors.forEach((k, v) -> out.put(k, rows(v, from, to)));
    return out;
  }

  /** Rows {@code [from, to)} of a tensor, batch dimension first. */
  protected static Tensor rows(Tensor t, int from, int to) {
    requireNonNull(t, "t is null");
    long[] shape = t.shape().clone();
    if (shape.length == 0 || from < 0 || to > shape[0] || from > to) {
      throw new IllegalArgumentException(
          "rows [" + from + ", " + to + ") of " + t.name() + Arrays.toString(shape));
    }
    int rowSize = shape[0] == 0 ? 0 : t.size() / (int) shape[0];
    shape[0] = to - from;
    return t.type() == ElementType.FLOAT32
        ? Tensor.ofFloats(
            t.name(), shape, Arrays.copyOfRange(t.floats(), from * rowSize, to * rowSize))
        : Tensor.ofLongs(
            t.name(), shape, Arrays.copyOfRange(t.longs(), from * rowSize, to * rowSize));
  }

  /** Fails unless both tensors have the same type and shape and agree to {@link #tolerance()}. */
  protected final void assertClose(Tensor expected, Tensor actual, String what) {
    String diff = difference(expected, actual);
    if (diff != null) {
      fail(what + ": " + diff);
    }
  }

  private String difference(Tensor expected, Tensor actual) {
    if (expected.type() != actual.type()) {
      return "element type " + actual.type() + ", expected " + expected.type();
    }
    if (!Arrays.equals(expected.shape(), actual.shape())) {
      return "shape "
          + Arrays.toString(actual.shape())
          + ", expected "
          + Arrays.toString(expected.shape());
    }
    for (int i = 0; i < expected.size(); i++) {
      double a = value(expected, i);
      double b = value(actual, i);
      if (!(Math.abs(a - b) <= tolerance()) && !(Double.isNaN(a) && Double.isNaN(b))) {
        return "element " + i + " is " + b + ", expected " + a + " (tolerance " + tolerance() + ")";
      }
    }
    return null;
  }

  private static double value(Tensor t, int i) {
    return t.type() == ElementType.FLOAT32 ? t.floats()[i] : t.longs()[i];
  }

  private ModelException expectFailure(Map<String, Tensor> inputs, String what) {
    return assertThrows(
        ModelException.class,
        () -> adapter.run(inputs, List.of(expectedOutputName())),
        what + ": run must fail with ModelException");
  }

  private static void assertMessageContains(Exception e, String part) {
    String message = e.getMessage();
    assertTrue(
        message != null && message.contains(part),
        "the message must name '" + part + "'; message: " + message);
  }

  private void checkSample(Map<String, Tensor> inputs, int batch) {
    assertNotNull(inputs, "sampleInputs(" + batch + ") returned null");
    inputs.forEach(
        (name, t) ->
            assertTrue(
                t.shape().length >= 1 && t.shape()[0] == batch,
                "sampleInputs("
                    + batch
                    + ") returned '"
                    + name
                    + "' with shape "
                    + Arrays.toString(t.shape())));
  }

  private static Set<String> names(List<TensorSpec> specs) {
    Set<String> names = new HashSet<>();
    specs.forEach(s -> names.add(s.name()));
    return names;
  }

  private static Map<String, Tensor> deepCopy(Map<String, Tensor> tensors) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    tensors.forEach(
        (k, t) ->
            out.put(
                k,
                new Tensor(
                    t.name(),
                    t.type(),
                    t.shape().clone(),
                    t.floats() == null ? null : t.floats().clone(),
                    t.longs() == null ? null : t.longs().clone())));
    return out;
  }

  private static void assertTensorEquals(Tensor expected, Tensor actual, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + " (shape)");
    assertArrayEquals(expected.floats(), actual.floats(), what + " (floats)");
    assertArrayEquals(expected.longs(), actual.longs(), what + " (longs)");
  }

  private static Tensor retyped(Tensor t) {
    if (t.type() == ElementType.FLOAT32) {
      long[] longs = new long[t.size()];
      for (int i = 0; i < longs.length; i++) {
        longs[i] = (long) t.floats()[i];
      }
      return Tensor.ofLongs(t.name(), t.shape().clone(), longs);
    }
    float[] floats = new float[t.size()];
    for (int i = 0; i < floats.length; i++) {
      floats[i] = t.longs()[i];
    }
    return Tensor.ofFloats(t.name(), t.shape().clone(), floats);
  }

  private static Tensor zeros(String name, ElementType type, long[] shape) {
    int n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, (int) d);
    }
    return type == ElementType.FLOAT32
        ? Tensor.ofFloats(name, shape, new float[n])
        : Tensor.ofLongs(name, shape, new long[n]);
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
}
