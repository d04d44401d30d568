package io.dime.testkit.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One tab of a {@link HeadlessChromium}: what it requested, the JavaScript dialogs it opened, DOM
 * queries through {@code Runtime.evaluate}, and screenshots.
 *
 * @since 0.1
 */
public final class BrowserPage {
  /** Screenshots are cut at this height (CSS pixels) to keep the PNG a sensible size. */
  public static final int MAX_SCREENSHOT_HEIGHT = 16_000;

  private final DevToolsConnection devtools;
  private final String session;
  private final Duration timeout;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> dialogs = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> loaded = new CompletableFuture<>();
  private volatile boolean navigating;

  BrowserPage(DevToolsConnection devtools, String session, Duration timeout) {
    this.devtools = devtools;
    this.session = session;
    this.timeout = timeout;
    devtools.onEvent(this::onEvent);
  }

  private void onEvent(JsonNode msg) {
    if (!session.equals(msg.path("sessionId").asText())) {
      return;
    }
    JsonNode params = msg.path("params");
    switch (msg.path("method").asText()) {
      case "Network.requestWillBeSent" -> requests.add(params.path("request").path("url").asText());
      case "Page.javascriptDialogOpening" -> {
        dialogs.add(params.path("type").asText() + ": " + params.path("message").asText());
        // Answered off the socket's thread: an open dialog blocks the page until dismissed.
        CompletableFuture.runAsync(
            () ->
                devtools.send(
                    session,
                    "Page.handleJavaScriptDialog",
                    DevToolsConnection.JSON.createObjectNode().put("accept", false)));
      }
      case "Page.loadEventFired" -> {
        if (navigating) {
          loaded.complete(null);
        }
      }
      default -> {}
    }
  }

  void navigate(URI url, int width, int height) throws IOException {
    devtools.call(session, "Network.enable", null, timeout);
    devtools.call(session, "Page.enable", null, timeout);
    devtools.call(session, "Runtime.enable", null, timeout);
    ObjectNode metrics =
        DevToolsConnection.JSON
            .createObjectNode()
            .put("width", width)
            .put("height", height)
            .put("deviceScaleFactor", 1)
            .put("mobile", false);
    devtools.call(session, "Emulation.setDeviceMetricsOverride", metrics, timeout);
    ObjectNode nav = DevToolsConnection.JSON.createObjectNode().put("url", url.toString());
    navigating = true;
    JsonNode r = devtools.call(session, "Page.navigate", nav, timeout);
    if (r.hasNonNull("errorText") && !r.path("errorText").asText().isEmpty()) {
      throw new IOException("cannot open " + url + ": " + r.path("errorText").asText());
    }
    try {
      loaded.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while loading " + url, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException(url + " did not finish loading within " + timeout, e);
    }
    // A late load event of the blank start page may have come first: wait for the document itself.
    long deadline = System.nanoTime() + timeout.toNanos();
    String ready = "location.href !== 'about:blank' && document.readyState === 'complete'";
    while (!evaluate(ready).asBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IOException(url + " did not finish loading within " + timeout);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while loading " + url, e);
      }
    }
  }

  /** Every URL the page requested (Network.requestWillBeSent), the document itself first. */
  public List<String> requestedUrls() {
    return List.copyOf(requests);
  }

  /** Every JavaScript dialog the page opened, as "type: message" (e.g. "alert: 1"). */
  public List<String> dialogs() {
    return List.copyOf(dialogs);
  }

  /**
   * Evaluates a JavaScript expression in the page and returns its value as JSON (promises are
   * awaited; {@code undefined} is JSON null).
   *
   * @throws IOException when the expression throws, with the exception's description
   */
  public JsonNode evaluate(String expression) throws IOException {
    ObjectNode p =
        DevToolsConnection.JSON
            .createObjectNode()
            .put("expression", expression)
            .put("returnByValue", true)
            .put("awaitPromise", true);
    JsonNode r = devtools.call(session, "Runtime.evaluate", p, timeout);
    if (r.has("exceptionDetails")) {
      JsonNode d = r.path("exceptionDetails");
      throw new IOException(
          "'"
              + expression
              + "' threw: "
              + d.path("exception").path("description").asText(d.path("text").asText()));
    }
    JsonNode value = r.path("result").path("value");
    return value.isMissingNode() ? NullNode.getInstance() : value;
  }

  /**
   * Saves a PNG screenshot of the whole page (up to {@link #MAX_SCREENSHOT_HEIGHT} CSS pixels high)
   * and returns the file.
   */
  public Path screenshot(Path file) throws IOException {
    JsonNode metrics = devtools.call(session, "Page.getLayoutMetrics", null, timeout);
    JsonNode size = metrics.path("cssContentSize");
    double w = Math.max(1, size.path("width").asDouble(1200));
    double h = Math.min(MAX_SCREENSHOT_HEIGHT, Math.max(1, size.path("height").asDouble(900)));
    ObjectNode p = DevToolsConnection.JSON.createObjectNode().put("format", "png");
    p.put("captureBeyondViewport", true);
    p.putObject("clip").put("x", 0).put("y", 0).put("width", w).put("height", h).put("scale", 1);
    JsonNode r = devtools.call(session, "Page.captureScreenshot", p, timeout);
    byte[] png = Base64.getDecoder().decode(r.path("data").asText());
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(file, png);
    return file;
  }
}
