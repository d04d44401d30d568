package io.dime.adapter.onnx;

import static java.util.Objects.requireNonNull;

import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelSignature;
import io.dime.spi.PluginConfig;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Runs an {@code .onnx} model in process with ONNX Runtime.
 *
 * <p>Settings: {@code threads} (intra-op threads of the session, 1 to {@link #MAX_THREADS}; default
 * the number of available processors), {@code batchSize} (most rows per call into ONNX Runtime;
 * default 0, no limit) and {@code concurrency} (most runs of the session at once, over every thread
 * that calls {@link #run}; default no limit). The settings of calls to a served model ({@code
 * timeoutSeconds}, {@code retries}, {@code retryBackoffMillis}, {@code maxResponseMegabytes}) are
 * refused with a message saying why; other keys are rejected.
 *
 * <p>Inputs must be FLOAT, DOUBLE, FLOAT16, BFLOAT16, UINT8, INT64, INT32, BOOL or STRING tensors
 * with the batch dimension first; other input types fail at {@link #open}. A STRING input takes one
 * text per row ([batch] or [batch, 1]); it is reported as INT64 [batch, -1] and filled with each
 * row's text packed as {@link io.dime.spi.TextCodes} says (the text modality's encoder {@code
 * string}); a character outside Unicode's basic plane (an emoji) is fed as U+FFFD, which ONNX
 * Runtime's Java API makes necessary (it would pass invalid UTF-8), with a warning. A DOUBLE,
 * FLOAT16, BFLOAT16 (a model exported in half precision) or UINT8 input (the pixels of an image
 * model exported from TensorFlow) is reported as {@link ElementType#FLOAT32}, an INT32 or BOOL one
 * (a boolean attention mask) as {@link ElementType#INT64} (what DIME's encoders give), and
 * converted when fed: FLOAT16, BFLOAT16 and UINT8 values are rounded to the nearest value of the
 * type, and a value beyond FLOAT16's or BFLOAT16's range, outside 0 to 255 for UINT8, outside
 * int32's range for INT32, or other than 0 and 1 for BOOL, fails the call, naming the input and the
 * row. Outputs of type FLOAT, DOUBLE, FLOAT16 or BFLOAT16 are returned as {@link
 * ElementType#FLOAT32}, INT64 or INT32 as {@link ElementType#INT64}; a sequence of maps from class
 * label to score that a ZipMap node makes (the end of a scikit-learn classifier exported with
 * default options) as FLOAT32 [batch, classes], in the order of the node's labels ({@link
 * #outputLabels()}); outputs of other types are left out of the signature and fail when requested.
 * {@link #run} accepts any number of rows: when the model's batch dimension is fixed (say 4), rows
 * are fed in chunks of 4 and the last chunk is padded by repeating its last row, whose results are
 * dropped; {@link #signature()} still reports the model's own shapes.
 *
 * <p>Thread-safe: any number of threads may call {@link #run} at once; {@link #close()} waits for
 * running calls to finish.
 *
 * <p>The parts: {@link OnnxSignature} reads the model's inputs and outputs and checks a run's
 * against them, {@link OnnxInputs} feeds rows to ONNX Runtime and {@link OnnxOutputBuffer} collects
 * the output rows.
 */
public final class OnnxModelAdapter implements ModelAdapter {
  /** Setting: intra-op threads of the ONNX Runtime session. */
  public static final String THREADS = "threads";

  /**
   * The most intra-op threads a session may have: ONNX Runtime makes them when the session opens,
   * and far more than any machine's processors only wait their turn.
   */
  public static final int MAX_THREADS = 1024;

  /** Setting: most rows per call into ONNX Runtime; 0 for no limit. */
  public static final String BATCH_SIZE = "batchSize";

  /** Setting: most runs of the session at once; no limit when not set. */
  public static final String CONCURRENCY = "concurrency";

  /**
   * Provenance: for a model that keeps tensors in other files (ONNX external data), the SHA-256 of
   * each, by the location the model names it; {@code sha256} is the model file's alone.
   */
  public static final String EXTERNAL_DATA = "externalData";

  private static final Set<String> KNOWN_SETTINGS = Set.of(THREADS, BATCH_SIZE, CONCURRENCY);

  /** Settings of the adapters that call a served model, which mean nothing in process. */
  private static final Set<String> SERVED_ONLY =
      Set.of("timeoutSeconds", "retries", "retryBackoffMillis", "maxResponseMegabytes");

  private final Path path;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final ModelSignature signature;
  private final OnnxSignature onnxSignature;
  private final Map<String, TensorSpec> inputs;

  /** Inputs fed as another type than DIME's ({@link OnnxSignature#converted}). */
  private final Map<String, ai.onnxruntime.OnnxJavaType> converted;

  /** {@link OnnxSignature#labels}. */
  private final Map<String, List<Object>> labels;

  /** {@link OnnxSignature#textRanks}. */
  private final Map<String, Integer> textRanks;

  /** {@link OnnxSignature#modelTypes}. */
  private final Map<String, String> modelTypes;

  private final Map<String, TensorSpec> outputs;
  private final int fixedBatch;
  private final int maxRows;
  private final Map<String, Object> provenance;
  private final OnnxInputs buffers = new OnnxInputs();
  private final OnnxCalls calls = new OnnxCalls();
  private final Semaphore runs;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed; // written under the write lock, read under the read lock

  private OnnxModelAdapter(
      Path path,
      OrtEnvironment env,
      OrtSession session,
      OnnxSignature signature,
      int maxRows,
      int concurrency,
      Map<String, Object> provenance) {
    this.path = path;
    this.env = env;
    this.session = session;
    this.onnxSignature = signature;
    this.inputs = signature.inputs;
    this.converted = Map.copyOf(signature.converted);
    this.textRanks = Map.copyOf(signature.textRanks);
    this.labels = Map.copyOf(signature.labels);
    this.modelTypes = Collections.unmodifiableMap(new LinkedHashMap<>(signature.modelTypes));
    this.outputs = signature.outputs;
    this.fixedBatch = signature.fixedBatch;
    this.signature = signature.toModelSignature();
    this.maxRows = maxRows;
    this.runs = concurrency > 0 ? new Semaphore(concurrency) : null;
    this.provenance = provenance;
  }

  /**
   * Opens a model file.
   *
   * @param location path of an {@code .onnx} file
   * @param config settings {@code threads}, {@code batchSize} and {@code concurrency}; other keys
   *     are rejected
   * @throws ModelException if the file is missing or not a model ONNX Runtime can load, or has an
   *     input this adapter cannot feed; the message names the path
   * @throws IllegalArgumentException for an unknown or invalid setting
   */
  public static OnnxModelAdapter open(String location, PluginConfig config) {
    requireNonNull(location, "location is null");
    requireNonNull(config, "config is null");
    Settings settings = Settings.of(config);
    int threads = settings.threads();
    int maxRows = settings.maxRows();
    int concurrency = settings.concurrency();

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
    try {
      if (Files.size(path) == 0) {
        // ONNX Runtime's own words were "ModelProto does not have a graph" after a C++ signature
        throw new ModelException("model file " + named + " is empty (0 bytes)");
      }
    } catch (java.io.IOException e) {
      throw new ModelException("cannot read model file " + named + ": " + e.getMessage());
    }
    OrtEnvironment env = environment();
    OnnxModelFile.Opened opened = OnnxModelFile.open(env, path, named, threads);
    OrtSession session = opened.session();
    try {
      OnnxSignature signature = OnnxSignature.read(session, path);
      Map<String, Object> provenance = new LinkedHashMap<>();
      provenance.put("adapter", OnnxModelAdapterFactory.NAME);
      provenance.put("location", path.toString());
      provenance.putAll(opened.identity());
      provenance.put("onnxruntime", runtimeVersion(env));
      provenance.put(THREADS, threads);
      provenance.put(BATCH_SIZE, maxRows);
      if (concurrency > 0) {
        provenance.put(CONCURRENCY, concurrency);
      }
      return new OnnxModelAdapter(
          path,
          env,
          session,
          signature,
          maxRows,
          concurrency,
          Collections.unmodifiableMap(provenance));
    } catch (RuntimeException e) {
      OnnxModelFile.closeQuietly(session, e);
      throw e;
    } catch (OrtException e) {
      ModelException failure =
          new ModelException(
              "ONNX Runtime cannot read the inputs and outputs of model "
                  + named
                  + ": "
                  + e.getMessage(),
              e);
      OnnxModelFile.closeQuietly(session, failure);
      throw failure;
    }
  }

  /** The settings, checked: intra-op threads, most rows per call, most runs at once (0: any). */
  private record Settings(int threads, int maxRows, int concurrency) {
    static Settings of(PluginConfig config) {
      for (String key : config.values().keySet()) {
        if (SERVED_ONLY.contains(key)) {
          throw new IllegalArgumentException(
              config.component()
                  + ": setting '"
                  + key
                  + "' does not apply to the onnx adapter, which runs the model in this process"
                  + " (there are no requests to time out or retry, nor answers to bound); it is for"
                  + " served models, such as oip");
        }
      }
      config.requireKnown(KNOWN_SETTINGS);
      int concurrency = config.getInt(CONCURRENCY, 0);
      if (config.get(CONCURRENCY).isPresent() && concurrency < 1) {
        throw new IllegalArgumentException(
            config.component()
                + ": setting '"
                + CONCURRENCY
                + "' must be at least 1, found "
                + concurrency);
      }
      int threads =
          config.getInt(THREADS, Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS));
      if (threads < 1 || threads > MAX_THREADS) {
        // ONNX Runtime makes them all when the session opens: 2147483647 failed to load the
        // model with "std::bad_alloc", which blamed the model
        throw new IllegalArgumentException(
            config.component()
                + ": setting '"
                + THREADS
                + "' must be from 1 to "
                + MAX_THREADS
                + " (the session's threads, made when it opens), found "
                + threads);
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
      return new Settings(threads, maxRows, concurrency);
    }
  }

  @Override
  public ModelSignature signature() {
    return signature;
  }

  /**
   * The inputs fed converted (DOUBLE, UINT8, INT32, BOOL, STRING) and the DOUBLE and INT32 outputs.
   */
  @Override
  public Map<String, String> modelTypes() {
    return modelTypes;
  }

  /** The labels of each output of maps (a ZipMap's), as text: a scikit-learn model's classes. */
  @Override
  public Map<String, List<String>> outputLabels() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    labels.forEach((name, keys) -> out.put(name, keys.stream().map(String::valueOf).toList()));
    return Collections.unmodifiableMap(out);
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
      int rows = onnxSignature.checkInputs(inputs);
      List<String> wanted = onnxSignature.checkOutputs(outputNames);
      if (wanted.isEmpty()) {
        return Map.of();
      }
      if (runs == null) {
        return execute(inputs, wanted, rows);
      }
      runs.acquireUninterruptibly();
      try {
        return execute(inputs, wanted, rows);
      } finally {
        runs.release();
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Sets the terminate flag of the run in progress on {@code thread}: ONNX Runtime stops it at the
   * next graph node (a single node runs to its end), and the call throws; a call of several chunks
   * starts no further one.
   */
  @Override
  public void interruptCalls(Thread thread) {
    calls.end(thread);
  }

  /** False: every input is copied into ONNX Runtime's own buffers before the run. */
  @Override
  public boolean keepsInputs() {
    return false;
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

  // ---- running -------------------------------------------------------------------------------

  private Map<String, Tensor> execute(Map<String, Tensor> given, List<String> wanted, int rows) {
    Map<String, OnnxOutputBuffer> results = new LinkedHashMap<>();
    for (String name : wanted) {
      results.put(name, new OnnxOutputBuffer(path, outputs.get(name), rows));
    }
    int chunk = fixedBatch > 0 ? fixedBatch : maxRows > 0 ? maxRows : Math.max(rows, 1);
    Set<String> outputSet = Set.copyOf(wanted);
    calls.begin();
    try {
      for (int start = 0; start < rows; start += chunk) {
        int count = Math.min(chunk, rows - start);
        int fed = fixedBatch > 0 ? fixedBatch : count;
        runChunk(given, outputSet, results, start, count, fed);
      }
    } finally {
      calls.finish();
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
      Map<String, OnnxOutputBuffer> results,
      int start,
      int count,
      int fed) {
    Map<String, OnnxTensor> feed = new LinkedHashMap<>();
    List<ByteBuffer> taken = new ArrayList<>(inputs.size());
    try {
      for (String name : inputs.keySet()) {
        Integer textRank = textRanks.get(name);
        feed.put(
            name,
            textRank != null
                ? buffers.texts(env, path, given.get(name), textRank, start, count, fed)
                : buffers.toOnnx(
                    env, path, given.get(name), converted.get(name), start, count, fed, taken));
      }
      OrtSession.RunOptions options = calls.beforeRun(path.toString());
      try (OrtSession.Result result = session.run(feed, outputSet, options)) {
        for (Map.Entry<String, OnnxOutputBuffer> e : results.entrySet()) {
          OnnxValue value =
              result
                  .get(e.getKey())
                  .orElseThrow(
                      () ->
                          new ModelException(
                              "model '" + path + "' returned no output '" + e.getKey() + "'"));
          if (value instanceof OnnxSequence maps) {
            e.getValue().appendMaps(maps, labels.get(e.getKey()), count, fed);
          } else {
            e.getValue().append((OnnxTensor) value, count, fed);
          }
        }
      } finally {
        calls.afterRun(options);
      }
    } catch (OrtException e) {
      if (calls.wasEnded()) {
        throw OnnxCalls.ended(path.toString(), e);
      }
      throw new ModelException(
          "ONNX Runtime failed to run model '" + path + "': " + e.getMessage(), e);
    } finally {
      for (OnnxTensor t : feed.values()) {
        t.close();
      }
      buffers.release(taken); // the tensors are closed: ONNX Runtime holds no buffer now
    }
  }

  private static OrtEnvironment environment() {
    return OnnxStart.environment();
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
}
