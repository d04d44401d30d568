package io.dime.testkit.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One WebSocket to the browser endpoint of the Chrome DevTools Protocol: numbered commands with
 * their replies, and events handed to listeners. Page commands travel on the same socket with the
 * {@code sessionId} of a flattened target session.
 */
final class DevToolsConnection implements WebSocket.Listener, AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();
  private final StringBuilder partial = new StringBuilder();
  private final Object sendLock = new Object();
  private volatile WebSocket socket;
  private volatile Throwable closedBy;

  private DevToolsConnection() {}

  /** Connects to {@code ws://host:port/devtools/browser/<id>}. */
  static DevToolsConnection open(URI browserUrl, Duration timeout) throws IOException {
    DevToolsConnection c = new DevToolsConnection();
    try {
      c.socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .connectTimeout(timeout)
              .buildAsync(browserUrl, c)
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to " + browserUrl, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("cannot connect to the DevTools endpoint " + browserUrl, e);
    }
    return c;
  }

  /** Adds a listener for every event (a message without an id); it must not block. */
  void onEvent(Consumer<JsonNode> listener) {
    listeners.add(listener);
  }

  /** Sends a command and returns its reply's {@code result} when it comes. */
  CompletableFuture<JsonNode> send(String sessionId, String method, ObjectNode params) {
    int id = ids.incrementAndGet();
    ObjectNode msg = JSON.createObjectNode();
    msg.put("id", id);
    msg.put("method", method);
    msg.set("params", params == null ? JSON.createObjectNode() : params);
    if (sessionId != null) {
      msg.put("sessionId", sessionId);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    Throwable closed = closedBy;
    if (closed != null) {
      reply.completeExceptionally(new IOException("the DevTools connection is closed", closed));
      return reply;
    }
    pending.put(id, reply);
    synchronized (sendLock) {
      // WebSocket allows one outstanding send at a time.
      try {
        socket.sendText(msg.toString(), true).join();
      } catch (RuntimeException e) {
        pending.remove(id);
        reply.completeExceptionally(e);
      }
    }
    return reply;
  }

  /** Sends a command and waits for its result. */
  JsonNode call(String sessionId, String method, ObjectNode params, Duration timeout)
      throws IOException {
    CompletableFuture<JsonNode> reply = send(sessionId, method, params);
    try {
      return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + method, e);
    } catch (TimeoutException e) {
      throw new IOException("no reply to " + method + " within " + timeout, e);
    } catch (ExecutionException e) {
      throw new IOException(method + " failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String text = partial.toString();
      partial.setLength(0);
      dispatch(text);
    }
    webSocket.request(1);
    return null;
  }

  private void dispatch(String text) {
    JsonNode msg;
    try {
      msg = JSON.readTree(text);
    } catch (IOException e) {
      return; // not JSON: nothing the protocol sends
    }
    if (msg.has("id")) {
      CompletableFuture<JsonNode> reply = pending.remove(msg.get("id").asInt());
      if (reply == null) {
        return;
      }
      if (msg.has("error")) {
        reply.completeExceptionally(
            new IOException(
                msg.path("error").path("message").asText("error")
                    + " "
                    + msg.path("error").path("data").asText("")));
      } else {
        reply.complete(msg.path("result"));
      }
      return;
    }
    for (Consumer<JsonNode> l : listeners) {
      l.accept(msg);
    }
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    failAll(new IOException("DevTools socket closed: " + statusCode + " " + reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    failAll(error);
  }

  private void failAll(Throwable cause) {
    closedBy = cause;
    for (Integer id : List.copyOf(pending.keySet())) {
      CompletableFuture<JsonNode> f = pending.remove(id);
      if (f != null) {
        f.completeExceptionally(cause);
      }
    }
  }

  @Override
  public void close() {
    WebSocket s = socket;
    if (s != null && !s.isOutputClosed()) {
      try {
        synchronized (sendLock) {
          s.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // the browser is going away anyway
      }
      s.abort();
    }
    failAll(new IOException("the DevTools connection is closed"));
  }
}
