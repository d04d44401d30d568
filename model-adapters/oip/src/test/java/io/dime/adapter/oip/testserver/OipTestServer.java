package io.dime.adapter.oip.testserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dime.adapter.oip.testserver.ServedModel.Data;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small Open Inference Protocol server over ONNX Runtime, for tests and measurements: the REST
 * routes {@code /v2}, {@code /v2/health/live}, {@code /v2/health/ready}, {@code /v2/models/NAME},
 * {@code /v2/models/NAME/ready} and {@code /v2/models/NAME/infer} (each also under {@code
 * /versions/1}), JSON data (flat or nested) and the binary tensor extension.
 *
 * <p>Run: {@code java -cp TEST_CLASSPATH io.dime.adapter.oip.testserver.OipTestServer --model
 * NAME=FILE.onnx [--model ...] [--port P] [--threads N] [--nested] [--exit-with-input]}. It binds
 * 127.0.0.1 (port 0: a free one), prints {@code OIP test server listening on http://127.0.0.1:PORT}
 * and serves until it is stopped or, with {@code --exit-with-input}, until its standard input ends
 * (so that it never outlives the test that started it). {@code --threads} is ONNX Runtime's
 * intra-op threads per request (default 1).
 *
 * <p>Test routes: {@code POST /test/faults} with {@code {"faults": [{"kind": "status", "status":
 * 503, "count": 3}, {"kind": "delay", "millis": 1500, "count": 1}, {"kind": "drop", "count": 2}]}}
 * makes the next inference requests fail in turn (an HTTP status with an {@code error}; an answer
 * only after a delay; the connection closed with no answer) and answers how many of the faults set
 * before were left unmet ({@code unmet}); {@code POST /test/options} with {@code {"latencyMillis":
 * 20, "nested": true}} sets a fixed latency per inference and nested output data; {@code GET
 * /test/stats} counts the inference requests ({@code infer}), the answered ones ({@code served}),
 * the rows run and the most requests in flight at once ({@code maxInFlight}); {@code POST
 * /test/stats/reset} zeroes them.
 */
public final class OipTestServer {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern MODEL_ROUTE =
      Pattern.compile("/v2/models/([^/]+)(?:/versions/([^/]+))?(/ready|/infer)?");

  private final Map<String, ServedModel> models = new LinkedHashMap<>();
  private final Deque<ObjectNode> faults = new ArrayDeque<>();
  private final AtomicLong inferRequests = new AtomicLong();
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong rows = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile long latencyMillis;
  private volatile boolean nested;

  public static void main(String[] args) throws Exception {
    // Answer without Nagle's delay (read once, when the server classes load): without it every
    // answer waits ~40 ms for the client's delayed acknowledgement.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    OipTestServer server = new OipTestServer();
    int port = 0;
    int threads = 1;
    boolean watchInput = false;
    List<String[]> specs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--nested" -> server.nested = true;
        case "--exit-with-input" -> watchInput = true;
        case "--model" -> specs.add(args[++i].split("=", 2));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    for (String[] s : specs) {
      server.models.put(s[0], new ServedModel(s[0], Path.of(s[1]), threads));
    }
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    http.setExecutor(
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "oip-test-server");
              t.setDaemon(true);
              return t;
            }));
    http.createContext("/", server::handle);
    http.start();
    System.out.println(
        "OIP test server listening on http://127.0.0.1:" + http.getAddress().getPort());
    System.out.flush();
    if (watchInput) { // stop when the parent closes our standard input (or dies)
      InputStream in = System.in;
      while (in.read() >= 0) {
        // ignore what is written
      }
      http.stop(0);
      System.exit(0);
    }
  }

  private void handle(HttpExchange x) throws IOException {
    try {
      String path = x.getRequestURI().getRawPath();
      String method = x.getRequestMethod();
      if (path.startsWith("/test/")) {
        control(x, method, path);
        return;
      }
      switch (path) {
        case "/v2" -> json(x, 200, serverMetadata());
        case "/v2/health/live" -> json(x, 200, MAPPER.createObjectNode().put("live", true));
        case "/v2/health/ready" -> json(x, 200, MAPPER.createObjectNode().put("ready", true));
        default -> model(x, method, path);
      }
    } catch (RuntimeException e) {
      e.printStackTrace();
      throw e;
    } finally {
      x.close();
    }
  }

  private void model(HttpExchange x, String method, String path) throws IOException {
    Matcher m = MODEL_ROUTE.matcher(path);
    if (!m.matches()) {
      error(x, 404, "no route " + path);
      return;
    }
    ServedModel model = models.get(m.group(1));
    if (model == null) {
      error(x, 404, "Request for unknown model: '" + m.group(1) + "' is not found");
      return;
    }
    if (m.group(2) != null && !m.group(2).equals("1")) {
      error(x, 404, "model '" + m.group(1) + "' has no version '" + m.group(2) + "'");
      return;
    }
    String action = m.group(3) == null ? "" : m.group(3);
    if (action.equals("/infer") && method.equals("POST")) {
      infer(x, model);
    } else if (action.equals("/ready")) {
      json(x, 200, MAPPER.createObjectNode().put("name", model.name).put("ready", true));
    } else if (action.isEmpty() && method.equals("GET")) {
      json(x, 200, metadata(model));
    } else {
      error(x, 405, method + " " + path + " is not served");
    }
  }

  private void infer(HttpExchange x, ServedModel model) throws IOException {
    inferRequests.incrementAndGet();
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    boolean counted = true;
    try {
      byte[] body = x.getRequestBody().readAllBytes();
      ObjectNode fault = nextFault();
      if (fault != null) {
        switch (fault.path("kind").asText()) {
          case "status" -> {
            int status = fault.path("status").asInt(503);
            error(x, status, "injected fault: HTTP " + status);
            return;
          }
          case "drop" -> {
            return; // closing the exchange with no answer closes the connection
          }
          default -> sleep(fault.path("millis").asLong(1000));
        }
      }
      sleep(latencyMillis);
      String length = x.getRequestHeaders().getFirst("Inference-Header-Content-Length");
      ServerCodec.Request request;
      List<Data> out;
      List<Boolean> binary = new ArrayList<>();
      try {
        request = ServerCodec.read(body, length == null ? -1 : Integer.parseInt(length));
        Map<String, Data> given = new LinkedHashMap<>();
        request.inputs().forEach(d -> given.put(d.name(), d));
        List<String> wanted = new ArrayList<>();
        if (request.outputs().isEmpty()) {
          model.outputs.forEach(o -> wanted.add(o.name()));
          wanted.forEach(w -> binary.add(false));
        } else {
          request.outputs().forEach(w -> wanted.add(w.name()));
          request.outputs().forEach(w -> binary.add(w.binary()));
        }
        out = model.run(given, wanted);
        if (!request.inputs().isEmpty()) {
          rows.addAndGet(request.inputs().get(0).shape()[0]);
        }
      } catch (IllegalArgumentException e) {
        error(x, 400, e.getMessage());
        return;
      } catch (ai.onnxruntime.OrtException e) {
        error(x, 500, "ONNX Runtime failed: " + e.getMessage());
        return;
      }
      Object[] written = ServerCodec.write(model.name, request.id(), out, binary, nested);
      byte[] bytes = (byte[]) written[0];
      int jsonLength = (Integer) written[1];
      if (jsonLength >= 0) {
        x.getResponseHeaders().set("Inference-Header-Content-Length", Integer.toString(jsonLength));
        x.getResponseHeaders().set("Content-Type", "application/octet-stream");
      } else {
        x.getResponseHeaders().set("Content-Type", "application/json");
      }
      served.incrementAndGet(); // before answering, so that a client's next look counts it
      // No longer in flight once the answer goes out: a client that has read it may send its next
      // request before this thread would reach the finally block (it saw 3 in flight under a
      // limit of 2 when the count fell only after the write).
      inFlight.decrementAndGet();
      counted = false;
      x.sendResponseHeaders(200, bytes.length);
      try (OutputStream os = x.getResponseBody()) {
        os.write(bytes);
      }
    } finally {
      if (counted) {
        inFlight.decrementAndGet();
      }
    }
  }

  private synchronized ObjectNode nextFault() {
    ObjectNode head = faults.peekFirst();
    if (head == null) {
      return null;
    }
    int left = head.path("count").asInt(1) - 1;
    if (left <= 0) {
      faults.removeFirst();
    } else {
      head.put("count", left);
    }
    return head;
  }

  private void control(HttpExchange x, String method, String path) throws IOException {
    byte[] body = x.getRequestBody().readAllBytes();
    switch (method + " " + path) {
      case "POST /test/faults" -> {
        JsonNode n = MAPPER.readTree(body);
        int unmet = 0;
        synchronized (this) {
          for (ObjectNode f : faults) {
            unmet += f.path("count").asInt(1);
          }
          faults.clear();
          n.path("faults").forEach(f -> faults.addLast((ObjectNode) f.deepCopy()));
        }
        json(x, 200, MAPPER.createObjectNode().put("unmet", unmet));
      }
      case "POST /test/options" -> {
        JsonNode n = MAPPER.readTree(body);
        latencyMillis = n.path("latencyMillis").asLong(latencyMillis);
        nested = n.path("nested").asBoolean(nested);
        json(x, 200, MAPPER.createObjectNode().put("latencyMillis", latencyMillis));
      }
      case "GET /test/stats" -> json(x, 200, stats());
      case "POST /test/stats/reset" -> {
        inferRequests.set(0);
        served.set(0);
        rows.set(0);
        maxInFlight.set(0);
        json(x, 200, stats());
      }
      default -> error(x, 404, "no test route " + method + " " + path);
    }
  }

  private ObjectNode stats() {
    return MAPPER
        .createObjectNode()
        .put("infer", inferRequests.get())
        .put("served", served.get())
        .put("rows", rows.get())
        .put("maxInFlight", maxInFlight.get());
  }

  private ObjectNode serverMetadata() {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("name", "dime-oip-test-server");
    String version =
        models.isEmpty() ? "0.0.0" : models.values().iterator().next().runtimeVersion();
    n.put("version", version);
    n.putArray("extensions").add("binary_tensor_data");
    return n;
  }

  private static ObjectNode metadata(ServedModel model) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("name", model.name);
    n.putArray("versions").add("1");
    n.put("platform", "onnxruntime_onnx");
    tensors(n.putArray("inputs"), model.inputs);
    tensors(n.putArray("outputs"), model.outputs);
    return n;
  }

  private static void tensors(ArrayNode out, List<ServedModel.Meta> metas) {
    for (ServedModel.Meta m : metas) {
      ObjectNode t = out.addObject();
      t.put("name", m.name());
      t.put("datatype", m.datatype());
      ArrayNode shape = t.putArray("shape");
      for (long d : m.shape()) {
        shape.add(d);
      }
    }
  }

  private static void error(HttpExchange x, int status, String message) throws IOException {
    json(x, status, MAPPER.createObjectNode().put("error", message));
  }

  private static void json(HttpExchange x, int status, JsonNode body) throws IOException {
    byte[] bytes = MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = x.getResponseBody()) {
      os.write(bytes);
    }
  }

  private static void sleep(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
