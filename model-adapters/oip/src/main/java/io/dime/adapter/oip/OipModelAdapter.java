package io.dime.adapter.oip;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelSignature;
import io.dime.spi.PluginConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Runs a model served over the Open Inference Protocol (KServe v2, NVIDIA Triton, Seldon MLServer,
 * ...) through its HTTP/REST routes: the location is {@code http://HOST:PORT/v2/models/NAME} or
 * {@code http://HOST:PORT/v2/models/NAME/versions/VERSION}.
 *
 * <p>{@link #open} asks the server for its metadata ({@code GET /v2}) and readiness ({@code GET
 * /v2/health/ready}), then for the model's metadata, which gives the {@link #signature()}, and its
 * readiness. {@link #run} checks the inputs against the signature as the ONNX adapter does and
 * sends them in {@code POST .../infer} requests, as JSON or with the binary tensor extension.
 *
 * <p>Settings (all optional):
 *
 * <ul>
 *   <li>{@code concurrency} (default 1): most requests in flight at once, over every thread that
 *       runs the model; a run whose rows are split into several requests sends them concurrently.
 *   <li>{@code timeoutSeconds} (default 60, from 0.001 to 86400): how long one request may take,
 *       its whole answer (headers and body) included, before it is abandoned and counted as failed.
 *   <li>{@code maxResponseMegabytes} (default 256): the longest answer body read; a longer one
 *       (announced or sent) fails the call at once, unread, and is not asked for again.
 *   <li>{@code retries} (default 3, at most 30) and {@code retryBackoffMillis} (default 100, at
 *       most 60000): a request that fails with HTTP 429, 502, 503 or 504, a refused or dropped
 *       connection, or a timeout, is sent again up to {@code retries} times, after 100, 200, 400,
 *       ... ms (no jitter; each wait at most a minute).
 *   <li>{@code batchSize} (default 0, no limit): most rows per request.
 *   <li>{@code tensorEncoding}: {@code json}, {@code binary} (the binary tensor extension) or
 *       {@code auto} (the default: binary when the server lists the {@code binary_tensor_data}
 *       extension in its metadata, else JSON). Both carry every value exactly.
 * </ul>
 *
 * <p>Inputs are FP32, FP64, FP16, BF16, UINT8, INT64, INT32, BOOL or BYTES with the batch dimension
 * first (FP64 sent from FLOAT32, FP16 and BF16 from FLOAT32 rounded to the nearest value of the
 * type, ties to even, UINT8 from FLOAT32 rounded to the nearest integer, INT32 and BOOL from INT64;
 * a value beyond FP16's range (+-65504) for FP16 or BF16's for BF16, outside 0 to 255 for UINT8,
 * outside int32 for INT32, or other than 0 and 1 for BOOL fails the call, naming the input and
 * row). A BYTES input takes one text per row ([batch] or [batch, 1]; any other shape is refused at
 * open): DIME fills it as INT64 [batch, -1] from the text modality's encoder {@code string}, which
 * packs each row's text ({@link io.dime.spi.TextCodes}), and each text is sent as UTF-8, as a JSON
 * string or with the binary extension's 4-byte length; a row that holds no packed text fails the
 * call, naming the input and row. Outputs FP32, FP64, FP16 or BF16 come back as FLOAT32 (FP16 and
 * BF16 exactly), INT64 or INT32 as INT64. When the model's batch dimension is fixed, rows are sent
 * in chunks of that size and the last chunk is padded by repeating its last row, whose results are
 * dropped. Every failure is a {@link ModelException} whose message starts with the location.
 *
 * <p>Thread-safe: any number of threads may call {@link #run} at once; {@link #close()} waits for
 * running calls. The parts: {@link OipClient} (HTTP, retries), {@link OipSignature} (metadata and
 * checks), {@link OipRequest} and {@link OipResponse} (the bodies), {@link OipOutputs} (the rows).
 */
public final class OipModelAdapter implements ModelAdapter {
  /** Runs hold it shared and {@link #close()} exclusively, so closing waits for them. */
  private final ReadWriteLock lock = new ReentrantReadWriteLock();

  private boolean closed; // guarded by lock
  private final OipLocation location;
  private final OipClient client;
  private final OipSignature oipSignature;
  private final ModelSignature signature;
  private final OipSettings settings;
  private final boolean binary;
  private final Map<String, Object> provenance;
  private final ExecutorService chunks;
  private final AtomicLong requests = new AtomicLong();

  private OipModelAdapter(
      OipLocation location,
      OipClient client,
      OipSignature signature,
      OipSettings settings,
      boolean binary,
      Map<String, Object> provenance) {
    this.location = location;
    this.client = client;
    this.oipSignature = signature;
    this.signature = signature.toModelSignature();
    this.settings = settings;
    this.binary = binary;
    this.provenance = provenance;
    this.chunks =
        settings.concurrency() == 1
            ? null
            : Executors.newFixedThreadPool(
                settings.concurrency(),
                r -> {
                  Thread t = new Thread(r, "dime-oip-" + location.model());
                  t.setDaemon(true);
                  return t;
                });
  }

  /**
   * Connects to a served model.
   *
   * @param location {@code http://HOST:PORT/v2/models/NAME[/versions/VERSION]}
   * @param config the settings above; other keys are rejected
   * @throws ModelException if the location is malformed, the server cannot be reached, does not
   *     know the model, or the model is not ready or has an input this adapter cannot send; the
   *     message names the location
   * @throws IllegalArgumentException for an unknown or invalid setting
   */
  public static OipModelAdapter open(String location, PluginConfig config) {
    requireNonNull(location, "location is null");
    requireNonNull(config, "config is null");
    OipSettings settings = OipSettings.of(config);
    OipLocation where = OipLocation.parse(location);
    OipClient client = new OipClient(where, settings);

    OipClient.Answer server = client.get(where.serverUri());
    JsonNode serverMetadata = server.ok() ? lenientJson(server) : null;
    OipClient.Answer serverReady = client.get(where.serverReadyUri());
    OipClient.Answer metadata = client.get(where.metadataUri());
    if (!metadata.ok()) {
      throw client.failure(metadata, "GET " + where.metadataUri().getRawPath(), "");
    }
    JsonNode model = json(metadata, client);
    OipSignature signature = OipSignature.read(model, client.prefix());
    OipClient.Answer ready = client.get(where.modelReadyUri());
    if (!ready.ok() || isFalse(ready, "ready")) {
      throw new ModelException(
          client.prefix()
              + "the model is not ready (GET "
              + where.modelReadyUri().getRawPath()
              + ": HTTP "
              + ready.status()
              + " "
              + OipClient.errorText(ready.body())
              + "; the server "
              + (serverReady.ok() ? "says it is ready" : "is not ready either")
              + ")");
    }
    List<String> extensions = new ArrayList<>();
    if (serverMetadata != null) {
      serverMetadata.path("extensions").forEach(e -> extensions.add(e.asText()));
    }
    boolean binary =
        switch (settings.encoding()) {
          case OipSettings.BINARY -> true;
          case OipSettings.JSON -> false;
          default -> extensions.contains("binary_tensor_data");
        };
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("adapter", OipModelAdapterFactory.NAME);
    provenance.put("location", location);
    provenance.put("model", where.model());
    where.version().ifPresent(v -> provenance.put("version", v));
    provenance.put("platform", model.path("platform").asText(""));
    provenance.put("sha256", digest(model, signature));
    provenance.put("server", serverMetadata == null ? "unknown" : text(serverMetadata, "name"));
    provenance.put(
        "serverVersion", serverMetadata == null ? "unknown" : text(serverMetadata, "version"));
    provenance.put("protocol", "Open Inference Protocol v2, HTTP/REST");
    provenance.putAll(settings.asMap());
    provenance.put("encoding", binary ? OipSettings.BINARY : OipSettings.JSON);
    return new OipModelAdapter(
        where, client, signature, settings, binary, Collections.unmodifiableMap(provenance));
  }

  @Override
  public ModelSignature signature() {
    return signature;
  }

  /**
   * The inputs sent converted (FP64, FP16, BF16, UINT8, INT32, BOOL, BYTES) and the FP64, FP16,
   * BF16 and INT32 outputs.
   */
  @Override
  public Map<String, String> modelTypes() {
    return java.util.Collections.unmodifiableMap(oipSignature.modelTypes());
  }

  /**
   * Adapter {@code oip}, the location, the model's name (and version when given), platform, the
   * SHA-256 of its metadata, the server's name and version, and every setting.
   */
  @Override
  public Map<String, Object> provenance() {
    return provenance;
  }

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
    requireNonNull(inputs, "inputs is null");
    requireNonNull(outputNames, "outputNames is null");
    Lock shared = lock.readLock();
    shared.lock();
    try {
      if (closed) {
        throw new ModelException(client.prefix() + "the adapter is closed");
      }
      int rows = oipSignature.checkInputs(inputs);
      List<String> wanted = oipSignature.checkOutputs(outputNames);
      return wanted.isEmpty() ? Map.of() : execute(inputs, wanted, rows);
    } finally {
      shared.unlock();
    }
  }

  /**
   * Waits for running calls, then stops the adapter's threads; later calls do nothing, later {@link
   * #run}s fail. (Java 17's {@link java.net.http.HttpClient} has nothing to close.)
   */
  @Override
  public void close() {
    Lock exclusive = lock.writeLock();
    exclusive.lock();
    boolean first = !closed;
    closed = true;
    exclusive.unlock();
    if (first && chunks != null) {
      chunks.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "OipModelAdapter[" + location + "]";
  }

  // ---- running -------------------------------------------------------------------------------

  private Map<String, Tensor> execute(Map<String, Tensor> inputs, List<String> wanted, int rows) {
    OipOutputs outputs = new OipOutputs(client.prefix(), oipSignature, wanted, rows);
    if (rows == 0) {
      return outputs.toTensors();
    }
    int fixed = oipSignature.fixedBatch;
    int chunk = fixed > 0 ? fixed : settings.batchSize() > 0 ? settings.batchSize() : rows;
    List<OipRequest.Rows> parts = new ArrayList<>();
    for (int start = 0; start < rows; start += chunk) {
      int count = Math.min(chunk, rows - start);
      parts.add(new OipRequest.Rows(start, count, fixed > 0 ? fixed : count));
    }
    if (parts.size() == 1 || chunks == null) {
      for (OipRequest.Rows part : parts) {
        outputs.add(part, infer(inputs, wanted, part));
      }
      return outputs.toTensors();
    }
    List<Future<Map<String, OipResponse.Output>>> futures = new ArrayList<>();
    for (OipRequest.Rows part : parts) {
      futures.add(chunks.submit(() -> infer(inputs, wanted, part)));
    }
    try {
      for (int i = 0; i < parts.size(); i++) {
        outputs.add(parts.get(i), futures.get(i).get());
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new ModelException(client.prefix() + "a request failed: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelException(client.prefix() + "interrupted while waiting for the server", e);
    } finally {
      futures.forEach(f -> f.cancel(true));
    }
    return outputs.toTensors();
  }

  /** One request: the rows of {@code part}, sent, answered and read. */
  private Map<String, OipResponse.Output> infer(
      Map<String, Tensor> inputs, List<String> wanted, OipRequest.Rows part) {
    String id = Long.toString(requests.incrementAndGet());
    OipRequest request =
        OipRequest.encode(client.prefix(), id, oipSignature, inputs, wanted, part, binary);
    String what = "POST " + location.inferUri().getRawPath();
    OipClient.Answer answer =
        client.post(location.inferUri(), request.body(), request.jsonLength());
    if (!answer.ok()) {
      throw client.failure(answer, what, "; sent " + sent(inputs, part));
    }
    return OipResponse.read(client.prefix(), answer.body(), jsonLength(answer), id);
  }

  /** The answer's Inference-Header-Content-Length, or -1 when it has none. */
  private int jsonLength(OipClient.Answer answer) {
    String value = answer.headers().firstValue(OipClient.HEADER_LENGTH).orElse(null);
    if (value == null) {
      return -1;
    }
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new ModelException(
        client.prefix()
            + "the response's header "
            + OipClient.HEADER_LENGTH
            + " is '"
            + OipClient.shorten(value)
            + "', not the length of its JSON part");
  }

  /** The inputs of one request, for messages: {@code a FP32 [4, 3], b FP32 [4, 2]}. */
  private String sent(Map<String, Tensor> inputs, OipRequest.Rows part) {
    List<String> out = new ArrayList<>();
    for (String name : oipSignature.inputs.keySet()) {
      long[] shape = oipSignature.wireShape(name, inputs.get(name), part.fed());
      out.add(
          name + " " + oipSignature.datatypes.get(name) + " " + java.util.Arrays.toString(shape));
    }
    return String.join(", ", out);
  }

  // ---- opening -------------------------------------------------------------------------------

  private static JsonNode json(OipClient.Answer answer, OipClient client) {
    try {
      JsonNode n = OipClient.JSON.readTree(answer.body());
      if (n == null || !n.isObject()) {
        throw new IOException("not a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new ModelException(
          client.prefix()
              + "the server's answer is not the protocol's JSON ("
              + e.getMessage()
              + "): "
              + OipClient.errorText(answer.body()),
          e);
    }
  }

  /** The body as JSON, or null when it is not a JSON object. */
  private static JsonNode lenientJson(OipClient.Answer answer) {
    try {
      JsonNode n = OipClient.JSON.readTree(answer.body());
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether the body is JSON whose {@code field} is false (Triton answers readiness empty). */
  private static boolean isFalse(OipClient.Answer answer, String field) {
    JsonNode n = lenientJson(answer);
    return n != null && n.path(field).isBoolean() && !n.path(field).asBoolean();
  }

  private static String text(JsonNode n, String field) {
    String s = n.path(field).asText("");
    return s.isBlank() ? "unknown" : s;
  }

  /**
   * SHA-256 of what the server says the model is (name, versions, platform, every input and
   * output): a server does not expose its weights' digest, so this is what identifies the model.
   */
  private static String digest(JsonNode model, OipSignature signature) {
    StringBuilder sb = new StringBuilder();
    sb.append("name ").append(model.path("name").asText("")).append('\n');
    sb.append("versions ").append(model.path("versions")).append('\n');
    sb.append("platform ").append(model.path("platform").asText("")).append('\n');
    signature.describe().forEach(line -> sb.append(line).append('\n'));
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
