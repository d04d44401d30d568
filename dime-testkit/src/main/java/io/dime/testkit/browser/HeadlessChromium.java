package io.dime.testkit.browser;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A headless Chromium started for a test and driven over the Chrome DevTools Protocol, with the
 * JDK's WebSocket client: no Selenium, no driver binary. Typical use:
 *
 * <pre>{@code
 * try (HeadlessChromium browser = HeadlessChromium.launch()) {
 *   BrowserPage page = browser.open(reportFile);
 *   assertEquals(List.of(reportFile.toUri().toString()), page.requestedUrls());
 *   assertTrue(page.evaluate("document.querySelectorAll('.card').length").asInt() > 0);
 *   page.screenshot(Path.of("target/report.png"));
 * }
 * }</pre>
 *
 * <p>The browser runs with a fresh temporary profile, no sandbox (containers), no GPU and no
 * background networking, so that every network request it records was made by the page. {@link
 * #close()} ends the whole process tree and deletes the profile.
 *
 * <p>The binary is {@code /usr/bin/chromium} (Debian's package {@code chromium}) unless the system
 * property {@value #BINARY_PROPERTY} or the environment variable {@value #BINARY_ENV} names
 * another. When it is missing, {@link #launch()} fails with a message saying what to install: a
 * browser test never passes silently without a browser. Needs {@code
 * com.fasterxml.jackson.core:jackson-databind} on the test class path (an optional dependency of
 * the test kit).
 *
 * @since 0.1
 */
public final class HeadlessChromium implements AutoCloseable {
  /** System property naming the Chromium binary. */
  public static final String BINARY_PROPERTY = "dime.chromium";

  /** Environment variable naming the Chromium binary. */
  public static final String BINARY_ENV = "DIME_CHROMIUM";

  /** Where Debian's {@code chromium} package puts the browser. */
  public static final Path DEFAULT_BINARY = Path.of("/usr/bin/chromium");

  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path profile;
  private final Duration timeout;
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private final List<ProcessHandle> tree = new ArrayList<>();
  private DevToolsConnection devtools;
  private boolean closed;

  private HeadlessChromium(Process process, Path profile, Duration timeout) {
    this.process = process;
    this.profile = profile;
    this.timeout = timeout;
  }

  /** The binary to start: the system property, the environment variable, or the default. */
  public static Path binary() {
    String p = System.getProperty(BINARY_PROPERTY);
    if (p == null || p.isBlank()) {
      p = System.getenv(BINARY_ENV);
    }
    return p == null || p.isBlank() ? DEFAULT_BINARY : Path.of(p);
  }

  /** Starts {@link #binary()} with a 60 s timeout for start-up and for each protocol step. */
  public static HeadlessChromium launch() throws IOException {
    return launch(binary(), DEFAULT_TIMEOUT);
  }

  /**
   * Starts a headless Chromium.
   *
   * @param binary the browser executable, not null
   * @param timeout how long to wait for start-up, for each command's reply and for page loads
   * @throws IllegalStateException when the binary is missing, naming the package to install
   * @throws IOException when the browser does not start or its DevTools endpoint does not answer
   */
  public static HeadlessChromium launch(Path binary, Duration timeout) throws IOException {
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "no Chromium at "
              + binary
              + ": install the Debian package 'chromium' (apt-get install chromium), or name"
              + " another binary with -D"
              + BINARY_PROPERTY
              + "=PATH or "
              + BINARY_ENV
              + "=PATH");
    }
    Path profile = Files.createTempDirectory("dime-chromium-");
    List<String> cmd =
        List.of(
            binary.toString(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-extensions",
            "--disable-sync",
            "--no-default-browser-check",
            "--no-first-run",
            "--hide-scrollbars",
            "--mute-audio",
            "--remote-debugging-port=0",
            "--user-data-dir=" + profile,
            "about:blank");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    HeadlessChromium browser = new HeadlessChromium(pb.start(), profile, timeout);
    try {
      browser.connect();
      return browser;
    } catch (IOException | RuntimeException e) {
      browser.close();
      throw e;
    }
  }

  private void connect() throws IOException {
    CompletableFuture<URI> endpoint = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    if (stderrTail.size() > 40) {
                      stderrTail.removeFirst();
                    }
                  }
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    endpoint.complete(URI.create(m.group(1)));
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              endpoint.completeExceptionally(new IOException("Chromium exited"));
            },
            "chromium-stderr");
    reader.setDaemon(true);
    reader.start();
    URI ws;
    try {
      ws = endpoint.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting Chromium", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException(
          "Chromium did not open its DevTools endpoint within "
              + timeout
              + " (exit code "
              + (process.isAlive() ? "none, still running" : process.exitValue())
              + "); its last output:\n"
              + stderrTail(),
          e);
    }
    process.toHandle().descendants().forEach(tree::add);
    devtools = DevToolsConnection.open(ws, timeout);
  }

  /** The last lines Chromium wrote to its standard error, for failure messages. */
  public String stderrTail() {
    synchronized (stderrTail) {
      return String.join("\n", stderrTail);
    }
  }

  /**
   * Opens a local file in a new tab with a 1200 x 900 viewport and waits for its load event.
   *
   * @param file an HTML file, not null
   */
  public BrowserPage open(Path file) throws IOException {
    return open(file.toAbsolutePath().toUri(), 1200, 900);
  }

  /**
   * Opens {@code url} in a new tab and waits for its load event. Network and Page events are
   * recorded from before the navigation starts; JavaScript dialogs are recorded and dismissed.
   *
   * @param url the page, not null
   * @param width viewport width in CSS pixels
   * @param height viewport height in CSS pixels
   */
  public BrowserPage open(URI url, int width, int height) throws IOException {
    if (closed) {
      throw new IllegalStateException("the browser is closed");
    }
    ObjectNode create = DevToolsConnection.JSON.createObjectNode().put("url", "about:blank");
    String targetId =
        devtools.call(null, "Target.createTarget", create, timeout).path("targetId").asText();
    ObjectNode attach =
        DevToolsConnection.JSON.createObjectNode().put("targetId", targetId).put("flatten", true);
    String session =
        devtools.call(null, "Target.attachToTarget", attach, timeout).path("sessionId").asText();
    BrowserPage page = new BrowserPage(devtools, session, timeout);
    page.navigate(url, width, height);
    return page;
  }

  /**
   * Closes the browser: asks it to quit, then kills whatever of its process tree is left and
   * deletes the temporary profile. Safe to call twice.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    process.toHandle().descendants().forEach(tree::add);
    try {
      if (devtools != null) {
        try {
          devtools.call(null, "Browser.close", null, Duration.ofSeconds(5));
        } catch (IOException e) {
          // it may close the socket before it answers
        }
        devtools.close();
      }
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      for (ProcessHandle h : tree) {
        if (h.isAlive()) {
          h.destroyForcibly();
        }
      }
      if (process.isAlive()) {
        process.destroyForcibly();
      }
      deleteQuietly(profile);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // a file the dying browser still writes: leave it to the OS temp cleaner
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // same
    }
  }
}
