package io.dime.adapter.onnx;

import static java.util.Objects.requireNonNull;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelSignature;
import io.dime.spi.PluginConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Runs an {@code .onnx} model in process with ONNX Runtime.
 *
 * <p>Settings: {@code threads} (intra-op threads of the session; default the number of available
 * processors) and {@code batchSize} (most rows per call into ONNX Runtime; default 0, no limit).
 * Other keys are rejected.
 *
 * <p>Inputs must be FLOAT (float32) or INT64 tensors with the batch dimension first; other input
 * types fail at {@link #open}. Outputs of type FLOAT or DOUBLE are returned as {@link
 * ElementType#FLOAT32}, INT64 or INT32 as {@link ElementType#INT64}; outputs of other types are
 * left out of the signature and fail when requested. {@link #run} accepts any number of rows: when
 * the model's batch dimension is fixed (say 4), rows are fed in chunks of 4 and the last chunk is
 * padded by repeating its last row, whose results are dropped; {@link #signature()} still reports
 * the model's own shapes.
 *
 * <p>Thread-safe: any number of threads may call {@link #run} at once; {@link #close()} waits for
 * running calls to finish.
 */
public final class OnnxModelAdapter implements ModelAdapter {
  /** Setting: intra-op threads of the ONNX Runtime session. */
  public static final String THREADS = "threads";

  /** Setting: most rows per call into ONNX Runtime; 0 for no limit. */
  public static final String BATCH_SIZE = "batchSize";

  private static final Set<String> KNOWN_SETTINGS = Set.of(THREADS, BATCH_SIZE);

  private final Path path;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final ModelSignature signature;
  private final Map<String, TensorSpec> inputs;
  private final Map<String, TensorSpec> outputs;
  private final Map<String, String> unsupportedOutputs;
  private final int fixedBatch;
  private final int maxRows;
  private final Map<String, Object> provenance;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed; // written under the write lock, read under the read lock

  private OnnxModelAdapter(
      Path path,
      OrtEnvironment env,
      OrtSession session,
      Signature signature,
      int maxRows,
      Map<String, Object> provenance) {
    this.path = path;
    this.env = env;
    this.session = session;
    this.inputs = signature.inputs;
    this.outputs = signature.outputs;
    this.unsupportedOutputs = signature.unsupportedOutputs;
    this.fixedBatch = signature.fixedBatch;
    this.signature =
        new ModelSignature(new ArrayList<>(inputs.values()), new ArrayList<>(outputs.values()));
    this.maxRows = maxRows;
    this.provenance = provenance;
  }

  /**
   * Opens a model file.
   *
   * @param location path of an {@code .onnx} file
   * @param config settings {@code threads} and {@code batchSize}; other keys are rejected
   * @throws ModelException if the file is missing or not a model ONNX Runtime can load, or has an
   *     input this adapter cannot feed; the message names the path
   * @throws IllegalArgumentException for an unknown or invalid setting
   */
  public static OnnxModelAdapter open(String location, PluginConfig config) {
    requireNonNull(location, "location is null");
    requireNonNull(config, "config is null");
    config.requireKnown(KNOWN_SETTINGS);
    int threads = config.getInt(THREADS, Runtime.getRuntime().availableProcessors());
    if (threads < 1) {
      throw new IllegalArgumentException(
          config.component() + ": setting '" + THREADS + "' must be at least 1, found " + threads);
    }
    int maxRows = config.getInt(BATCH_SIZE, 0);
    if (maxRows < 0) {
      throw new IllegalArgumentException(
          config.component()
              + ": setting '"
              + BATCH_SIZE
              + "' must be 0 (no limit) or positive, found "
              + maxRows);
    }

    Path path;
    try {
      path = Path.of(location).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new ModelException("model '" + location + "' is not a valid path: " + e.getMessage());
    }
    String named =
        path.toString().equals(location) ? "'" + path + "'" : "'" + location + "' (" + path + ")";
    if (!Files.exists(path)) {
      throw new ModelException("model file " + named + " does not exist");
    }
    if (!Files.isRegularFile(path)) {
      throw new ModelException("model " + named + " is not a file");
    }
    String sha256 = sha256(path, named);

    OrtEnvironment env = environment();
    OrtSession session;
    try (SessionOptions options = new SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
      session = env.createSession(path.toString(), options);
    } catch (OrtException e) {
      throw new ModelException(
          "ONNX Runtime cannot load model " + named + ": " + e.getMessage(), e);
    }
    try {
      Signature signature = Signature.read(session, path);
      Map<String, Object> provenance = new LinkedHashMap<>();
      provenance.put("adapter", OnnxModelAdapterFactory.NAME);
      provenance.put("location", path.toString());
      provenance.put("sha256", sha256);
      provenance.put("onnxruntime", runtimeVersion(env));
      provenance.put(THREADS, threads);
      provenance.put(BATCH_SIZE, maxRows);
      return new OnnxModelAdapter(
          path, env, session, signature, maxRows, Collections.unmodifiableMap(provenance));
    } catch (RuntimeException e) {
      closeQuietly(session, e);
      throw e;
    } catch (OrtException e) {
      ModelException failure =
          new ModelException(
              "ONNX Runtime cannot read the inputs and outputs of model "
                  + named
                  + ": "
                  + e.getMessage(),
              e);
      closeQuietly(session, failure);
      throw failure;
    }
  }

  @Override
  public ModelSignature signature() {
    return signature;
  }

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
    requireNonNull(inputs, "inputs is null");
    requireNonNull(outputNames, "outputNames is null");
    lock.readLock().lock();
    try {
      if (closed) {
        throw new ModelException("model '" + path + "' is closed");
      }
      int rows = checkInputs(inputs);
      List<String> wanted = checkOutputs(outputNames);
      if (wanted.isEmpty()) {
        return Map.of();
      }
      return execute(inputs, wanted, rows);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Map<String, Object> provenance() {
    return provenance;
  }

  /** Closes the ONNX Runtime session; later calls do nothing, later {@link #run}s fail. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      session.close();
    } catch (OrtException e) {
      throw new ModelException("closing model '" + path + "' failed: " + e.getMessage(), e);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "OnnxModelAdapter[" + path + "]";
  }

  // ---- checks --------------------------------------------------------------------------------

  /** Checks names, types and shapes; returns the batch size shared by all inputs. */
  private int checkInputs(Map<String, Tensor> given) {
    for (String name : given.keySet()) {
      if (!inputs.containsKey(name)) {
        throw new ModelException("unknown input '" + name + "'; model inputs: " + inputs.keySet());
      }
    }
    List<String> missing = new ArrayList<>();
    for (String name : inputs.keySet()) {
      if (!given.containsKey(name)) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new ModelException(
          (missing.size() == 1
                  ? "missing input '" + missing.get(0) + "'"
                  : "missing inputs " + missing)
              + "; model inputs: "
              + inputs.keySet());
    }
    long rows = -1;
    String first = null;
    for (TensorSpec spec : inputs.values()) {
      String name = spec.name();
      Tensor t = given.get(name);
      if (t == null) {
        throw new ModelException("input '" + name + "' is null");
      }
      if (t.type() != spec.type()) {
        throw new ModelException(
            "input '" + name + "': expected element type " + spec.type() + ", found " + t.type());
      }
      long[] expected = spec.shape();
      long[] shape = t.shape();
      boolean ok = shape.length == expected.length;
      for (int i = 1; ok && i < expected.length; i++) {
        ok = expected[i] < 0 || expected[i] == shape[i];
      }
      if (!ok) {
        expected[0] = -1; // any number of rows is accepted
        throw new ModelException(
            "input '"
                + name
                + "': expected shape "
                + Arrays.toString(expected)
                + ", found "
                + Arrays.toString(shape));
      }
      if (first == null) {
        rows = shape[0];
        first = name;
      } else if (shape[0] != rows) {
        throw new ModelException(
            "inputs disagree on the batch size: '"
                + first
                + "' has "
                + rows
                + " rows, '"
                + name
                + "' has "
                + shape[0]);
      }
    }
    return (int) rows;
  }

  private List<String> checkOutputs(List<String> names) {
    Set<String> wanted = new LinkedHashSet<>();
    for (String name : names) {
      if (name == null) {
        throw new ModelException("output name is null; model outputs: " + outputs.keySet());
      }
      if (!outputs.containsKey(name)) {
        String why = unsupportedOutputs.get(name);
        if (why != null) {
          throw new ModelException(
              "output '"
                  + name
                  + "' of model '"
                  + path
                  + "' "
                  + why
                  + "; the ONNX adapter returns FLOAT, DOUBLE, INT32 and INT64 tensors; supported"
                  + " outputs: "
                  + outputs.keySet());
        }
        throw new ModelException(
            "unknown output '" + name + "'; model outputs: " + outputs.keySet());
      }
      wanted.add(name);
    }
    return List.copyOf(wanted);
  }

  // ---- running -------------------------------------------------------------------------------

  private Map<String, Tensor> execute(Map<String, Tensor> given, List<String> wanted, int rows) {
    Map<String, OutputBuffer> results = new LinkedHashMap<>();
    for (String name : wanted) {
      results.put(name, new OutputBuffer(outputs.get(name), rows));
    }
    int chunk = fixedBatch > 0 ? fixedBatch : maxRows > 0 ? maxRows : Math.max(rows, 1);
    Set<String> outputSet = Set.copyOf(wanted);
    for (int start = 0; start < rows; start += chunk) {
      int count = Math.min(chunk, rows - start);
      int fed = fixedBatch > 0 ? fixedBatch : count;
      runChunk(given, outputSet, results, start, count, fed);
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    results.forEach((name, buffer) -> out.put(name, buffer.toTensor()));
    return Collections.unmodifiableMap(out);
  }

  /**
   * Feeds rows {@code [start, start + count)}, padded to {@code fed} rows, and keeps the results.
   */
  private void runChunk(
      Map<String, Tensor> given,
      Set<String> outputSet,
      Map<String, OutputBuffer> results,
      int start,
      int count,
      int fed) {
    Map<String, OnnxTensor> feed = new LinkedHashMap<>();
    try {
      for (String name : inputs.keySet()) {
        feed.put(name, toOnnx(given.get(name), start, count, fed));
      }
      try (OrtSession.Result result = session.run(feed, outputSet)) {
        for (Map.Entry<String, OutputBuffer> e : results.entrySet()) {
          OnnxValue value =
              result
                  .get(e.getKey())
                  .orElseThrow(
                      () ->
                          new ModelException(
                              "model '" + path + "' returned no output '" + e.getKey() + "'"));
          e.getValue().append((OnnxTensor) value, count, fed);
        }
      }
    } catch (OrtException e) {
      throw new ModelException(
          "ONNX Runtime failed to run model '" + path + "': " + e.getMessage(), e);
    } finally {
      for (OnnxTensor t : feed.values()) {
        t.close();
      }
    }
  }

  /** Copies rows into a direct buffer (which ONNX Runtime uses without another copy). */
  private OnnxTensor toOnnx(Tensor t, int start, int count, int fed) throws OrtException {
    long[] shape = t.shape().clone();
    int rowSize = rowSize(shape);
    shape[0] = fed;
    int elements = Math.multiplyExact(fed, rowSize);
    int from = start * rowSize;
    int last = (start + count - 1) * rowSize;
    if (t.type() == ElementType.FLOAT32) {
      FloatBuffer buffer = direct(elements, Float.BYTES).asFloatBuffer();
      buffer.put(t.floats(), from, count * rowSize);
      for (int r = count; r < fed; r++) {
        buffer.put(t.floats(), last, rowSize);
      }
      buffer.rewind();
      return OnnxTensor.createTensor(env, buffer, shape);
    }
    LongBuffer buffer = direct(elements, Long.BYTES).asLongBuffer();
    buffer.put(t.longs(), from, count * rowSize);
    for (int r = count; r < fed; r++) {
      buffer.put(t.longs(), last, rowSize);
    }
    buffer.rewind();
    return OnnxTensor.createTensor(env, buffer, shape);
  }

  private ByteBuffer direct(int elements, int bytesPerElement) {
    long bytes = (long) elements * bytesPerElement;
    if (bytes > Integer.MAX_VALUE) {
      throw new ModelException(
          "model '"
              + path
              + "': one call would need "
              + bytes
              + " bytes for an input; set a smaller '"
              + BATCH_SIZE
              + "'");
    }
    return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
  }

  private static int rowSize(long[] shape) {
    long n = 1;
    for (int i = 1; i < shape.length; i++) {
      n *= shape[i];
    }
    return Math.toIntExact(n);
  }

  /** Collects one output's rows across chunks into one array. */
  private final class OutputBuffer {
    private final TensorSpec spec;
    private final int rows;
    private long[] rowShape;
    private int rowSize;
    private float[] floats;
    private long[] longs;
    private int filled;

    OutputBuffer(TensorSpec spec, int rows) {
      this.spec = spec;
      this.rows = rows;
    }

    void append(OnnxTensor value, int count, int fed) {
      TensorInfo info = value.getInfo();
      long[] shape = info.getShape();
      if (shape.length == 0 || shape[0] != fed) {
        throw new ModelException(
            "model '"
                + path
                + "': output '"
                + spec.name()
                + "' has shape "
                + Arrays.toString(shape)
                + " for "
                + fed
                + " input rows; expected the batch dimension first");
      }
      long[] perRow = Arrays.copyOfRange(shape, 1, shape.length);
      if (rowShape == null) {
        rowShape = perRow;
        rowSize = rowSize(shape);
        int total = Math.multiplyExact(rows, rowSize);
        if (spec.type() == ElementType.FLOAT32) {
          floats = new float[total];
        } else {
          longs = new long[total];
        }
      } else if (!Arrays.equals(rowShape, perRow)) {
        throw new ModelException(
            "model '"
                + path
                + "': output '"
                + spec.name()
                + "' has rows of shape "
                + Arrays.toString(perRow)
                + " in one chunk and "
                + Arrays.toString(rowShape)
                + " in another");
      }
      int offset = filled * rowSize;
      int n = count * rowSize;
      OnnxJavaType type = info.type;
      switch (type) {
        case FLOAT -> value.getFloatBuffer().get(floats, offset, n);
        case DOUBLE -> {
          DoubleBuffer d = value.getDoubleBuffer();
          for (int i = 0; i < n; i++) {
            floats[offset + i] = (float) d.get(i);
          }
        }
        case INT64 -> value.getLongBuffer().get(longs, offset, n);
        case INT32 -> {
          IntBuffer d = value.getIntBuffer();
          for (int i = 0; i < n; i++) {
            longs[offset + i] = d.get(i);
          }
        }
        default ->
            throw new ModelException(
                "model '" + path + "': output '" + spec.name() + "' has element type " + type);
      }
      filled += count;
    }

    Tensor toTensor() {
      long[] shape;
      if (rowShape != null) {
        shape = new long[rowShape.length + 1];
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
      } else {
        // no rows were run: the signature's dimensions, 0 where dynamic
        long[] declared = spec.shape();
        shape = new long[Math.max(declared.length, 1)];
        for (int i = 1; i < declared.length; i++) {
          shape[i] = Math.max(declared[i], 0);
        }
        floats = new float[0];
        longs = new long[0];
      }
      shape[0] = rows;
      return spec.type() == ElementType.FLOAT32
          ? Tensor.ofFloats(spec.name(), shape, floats)
          : Tensor.ofLongs(spec.name(), shape, longs);
    }
  }

  // ---- opening -------------------------------------------------------------------------------

  /** The model's inputs and outputs as read from the session. */
  private static final class Signature {
    final Map<String, TensorSpec> inputs = new LinkedHashMap<>();
    final Map<String, TensorSpec> outputs = new LinkedHashMap<>();
    final Map<String, String> unsupportedOutputs = new LinkedHashMap<>();
    int fixedBatch;

    static Signature read(OrtSession session, Path path) throws OrtException {
      Signature s = new Signature();
      for (NodeInfo node : session.getInputInfo().values()) {
        String name = node.getName();
        if (!(node.getInfo() instanceof TensorInfo info)) {
          throw new ModelException(
              "model '"
                  + path
                  + "': input '"
                  + name
                  + "' is not a tensor ("
                  + node.getInfo()
                  + "); the ONNX adapter feeds tensors only");
        }
        ElementType type =
            switch (info.type) {
              case FLOAT -> ElementType.FLOAT32;
              case INT64 -> ElementType.INT64;
              default ->
                  throw new ModelException(
                      "model '"
                          + path
                          + "': input '"
                          + name
                          + "' has element type "
                          + info.onnxType
                          + "; the ONNX adapter feeds FLOAT (float32) and INT64 inputs only");
            };
        long[] shape = shape(info);
        if (shape.length == 0) {
          throw new ModelException(
              "model '"
                  + path
                  + "': input '"
                  + name
                  + "' is a scalar; the ONNX adapter needs the batch dimension first");
        }
        if (shape[0] > 0) {
          if (s.fixedBatch > 0 && s.fixedBatch != shape[0]) {
            throw new ModelException(
                "model '"
                    + path
                    + "': inputs have different fixed batch sizes ("
                    + s.fixedBatch
                    + " and "
                    + shape[0]
                    + " for '"
                    + name
                    + "')");
          }
          s.fixedBatch = Math.toIntExact(shape[0]);
        }
        s.inputs.put(name, new TensorSpec(name, type, shape));
      }
      if (s.inputs.isEmpty()) {
        throw new ModelException("model '" + path + "' has no inputs");
      }
      for (NodeInfo node : session.getOutputInfo().values()) {
        String name = node.getName();
        if (!(node.getInfo() instanceof TensorInfo info)) {
          s.unsupportedOutputs.put(name, "is not a tensor (" + node.getInfo() + ")");
          continue;
        }
        ElementType type =
            switch (info.type) {
              case FLOAT, DOUBLE -> ElementType.FLOAT32;
              case INT64, INT32 -> ElementType.INT64;
              default -> null;
            };
        if (type == null) {
          s.unsupportedOutputs.put(name, "has element type " + info.onnxType);
        } else {
          s.outputs.put(name, new TensorSpec(name, type, shape(info)));
        }
      }
      return s;
    }

    /** The shape with -1 for every dynamic or symbolic dimension. */
    private static long[] shape(TensorInfo info) {
      long[] shape = info.getShape();
      for (int i = 0; i < shape.length; i++) {
        if (shape[i] < 0) {
          shape[i] = -1;
        }
      }
      return shape;
    }
  }

  private static OrtEnvironment environment() {
    try {
      return OrtEnvironment.getEnvironment();
    } catch (RuntimeException | LinkageError e) {
      throw new ModelException(
          "ONNX Runtime could not start (its native library failed to load on "
              + System.getProperty("os.name")
              + "/"
              + System.getProperty("os.arch")
              + "): "
              + e,
          e);
    }
  }

  private static String runtimeVersion(OrtEnvironment env) {
    String version = null;
    try {
      version = env.getVersion();
    } catch (RuntimeException | LinkageError e) {
      // fall back to the jar's manifest below
    }
    if (version == null || version.isBlank()) {
      Package p = OrtEnvironment.class.getPackage();
      version = p == null ? null : p.getImplementationVersion();
    }
    return version == null ? "unknown" : version;
  }

  private static String sha256(Path path, String named) {
    try (InputStream in = Files.newInputStream(path)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int r; (r = in.read(buffer)) > 0; ) {
        md.update(buffer, 0, r);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new ModelException("cannot read model " + named + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static void closeQuietly(OrtSession session, Exception failure) {
    try {
      session.close();
    } catch (OrtException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
