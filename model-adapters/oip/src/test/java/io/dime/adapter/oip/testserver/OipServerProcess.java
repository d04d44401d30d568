package io.dime.adapter.oip.testserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link OipTestServer} started as a separate process with this JVM's class path, for tests: it
 * serves the given ONNX files, binds 127.0.0.1 on a free port (or the port of a server it
 * replaces), and stops on {@link #close()} (or when this JVM ends: it watches its standard input).
 */
public final class OipServerProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Map<String, Path> models;
  private final List<String> extra;
  private final StringBuffer log = new StringBuffer();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Process process;
  private int port;

  private OipServerProcess(Map<String, Path> models, List<String> extra) {
    this.models = new LinkedHashMap<>(models);
    this.extra = List.copyOf(extra);
  }

  /**
   * Starts a server.
   *
   * @param models model name to ONNX file
   * @param extra more arguments ({@code --nested}, {@code --threads N})
   */
  public static OipServerProcess start(Map<String, Path> models, String... extra) {
    OipServerProcess p = new OipServerProcess(models, List.of(extra));
    p.launch(0);
    return p;
  }

  private void launch(int wantedPort) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(OipTestServer.class.getName());
    cmd.add("--port");
    cmd.add(Integer.toString(wantedPort));
    cmd.add("--exit-with-input");
    models.forEach(
        (name, file) -> {
          cmd.add("--model");
          cmd.add(name + "=" + file.toAbsolutePath());
        });
    cmd.addAll(extra);
    try {
      process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BlockingQueue<Integer> ports = new ArrayBlockingQueue<>(1);
    Process started = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                String prefix = "OIP test server listening on http://127.0.0.1:";
                for (String line; (line = r.readLine()) != null; ) {
                  log.append(line).append('\n');
                  if (line.startsWith(prefix)) {
                    ports.offer(Integer.parseInt(line.substring(prefix.length()).trim()));
                  }
                }
              } catch (IOException e) {
                log.append("reading the server's output failed: ").append(e).append('\n');
              }
            },
            "oip-test-server-output");
    reader.setDaemon(true);
    reader.start();
    try {
      Integer p = ports.poll(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (p == null) {
        process.destroyForcibly();
        throw new IllegalStateException("the OIP test server did not start:\n" + log);
      }
      port = p;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The server's port. */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String base() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code http://127.0.0.1:PORT/v2/models/NAME}. */
  public String url(String model) {
    return base() + "/v2/models/" + model;
  }

  /** What the server printed so far. */
  public String log() {
    return log.toString();
  }

  /**
   * Sets the faults the next inference requests meet (see {@link OipTestServer}).
   *
   * @return how many faults were left unmet from before
   */
  public int faults(String json) {
    return post("/test/faults", "{\"faults\": " + json + "}").path("unmet").asInt();
  }

  /** Sets the server's options (see {@link OipTestServer}). */
  public void options(String json) {
    post("/test/options", json);
  }

  /** The server's counts since the last reset. */
  public JsonNode stats() {
    return call(HttpRequest.newBuilder(URI.create(base() + "/test/stats")).build());
  }

  /** Zeroes the server's counts. */
  public void resetStats() {
    post("/test/stats/reset", "{}");
  }

  private JsonNode post(String path, String json) {
    return call(
        HttpRequest.newBuilder(URI.create(base() + path))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  private JsonNode call(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            request.uri() + ": HTTP " + r.statusCode() + " " + r.body());
      }
      return OipTestServer.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the server process (its port is free afterwards). */
  public void stop() {
    if (process == null) {
      return;
    }
    try {
      process.getOutputStream().close(); // the server exits when its input ends
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    process = null;
  }

  /** Kills the server process at once, as a crash would (its port is free afterwards). */
  public void kill() {
    if (process == null) {
      return;
    }
    try {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Starts the server again on the same port, after {@link #stop()} or {@link #kill()}. */
  public void restart() {
    stop();
    launch(port);
  }

  @Override
  public void close() {
    stop();
  }
}
