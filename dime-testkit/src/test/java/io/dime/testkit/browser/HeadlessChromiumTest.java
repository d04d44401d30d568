package io.dime.testkit.browser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness sees what a report test asserts is absent: a request to another origin, a dialog, an
 * injected element. Without these a "no request, no dialog" assertion could not fail.
 */
class HeadlessChromiumTest {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @Test
  void recordsRequestsDialogsAndEvaluatesTheDom(@TempDir Path dir) throws Exception {
    Path page = dir.resolve("page.html");
    Files.writeString(
        page,
        """
        <!doctype html><html><head><title>t</title></head><body>
        <p id="p">hello &lt;b&gt;</p>
        <img src="http://127.0.0.1:9/pixel.png" alt="">
        <script>alert('boom'); document.body.dataset.after = 'yes';</script>
        </body></html>
        """);
    try (HeadlessChromium browser = HeadlessChromium.launch()) {
      BrowserPage p = browser.open(page);
      List<String> urls = p.requestedUrls();
      assertEquals(page.toUri().toString(), urls.get(0), urls.toString());
      assertTrue(urls.contains("http://127.0.0.1:9/pixel.png"), urls.toString());
      assertEquals(List.of("alert: boom"), p.dialogs());
      // the dialog was dismissed, so the script went on
      assertEquals("yes", p.evaluate("document.body.dataset.after").asText());
      assertEquals("hello <b>", p.evaluate("document.getElementById('p').innerText").asText());
      assertEquals(0, p.evaluate("document.querySelectorAll('b').length").asInt());
      assertTrue(p.evaluate("undefined").isNull());
      IOException thrown = assertThrows(IOException.class, () -> p.evaluate("nope.nope"));
      assertTrue(thrown.getMessage().contains("nope"), thrown.getMessage());

      Path shot = p.screenshot(dir.resolve("shots").resolve("page.png"));
      byte[] png = Files.readAllBytes(shot);
      assertTrue(png.length > 100, "screenshot has " + png.length + " bytes");
      assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8));
    }
  }

  @Test
  void aMissingBinaryNamesThePackageToInstall(@TempDir Path dir) {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> HeadlessChromium.launch(dir.resolve("no-chromium"), Duration.ofSeconds(5)));
    assertTrue(e.getMessage().contains("Debian package 'chromium'"), e.getMessage());
  }

  @Test
  void closingEndsTheProcessTree(@TempDir Path dir) throws Exception {
    Path blank = Files.writeString(dir.resolve("blank.html"), "<!doctype html><p>blank</p>");
    HeadlessChromium browser = HeadlessChromium.launch();
    List<ProcessHandle> tree;
    try {
      BrowserPage p = browser.open(blank.toUri(), 800, 600);
      assertEquals(800, p.evaluate("window.innerWidth").asInt());
    } finally {
      tree = ProcessHandle.current().descendants().toList();
      browser.close();
      browser.close();
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(tree.stream().noneMatch(ProcessHandle::isAlive), "browser processes left running");
  }
}
