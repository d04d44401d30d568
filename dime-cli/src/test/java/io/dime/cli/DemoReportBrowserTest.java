package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.core.io.Json;
import io.dime.demo.DemoData;
import io.dime.demo.DemoModels;
import io.dime.testkit.browser.BrowserPage;
import io.dime.testkit.browser.HeadlessChromium;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dime explain} on the bundled image+question demo, with a hostile question and a broken
 * record added, and its report.html opened in headless Chromium (DevTools protocol): the page
 * requests nothing but itself, the hostile text is shown as text and runs nothing, there is one
 * card per datapoint with every panel, and a screenshot is saved to {@code target/}.
 */
class DemoReportBrowserTest {
  static final String HOSTILE = "<img src=x onerror=alert(1)>";
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /** A JavaScript string literal. */
  private static String js(String s) {
    return Json.mapper().getNodeFactory().textNode(s).toString();
  }

  @Test
  void reportOfTheDemoIsSelfContainedSafeAndComplete(@TempDir Path dir) throws Exception {
    Path data = DemoData.unpack(DemoData.FASHION, dir.resolve("fashion"));
    List<String> demo = Files.readAllLines(data.resolve("demo.jsonl"), StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(demo.subList(0, 3));
    ObjectNode evil = (ObjectNode) Json.mapper().readTree(demo.get(3));
    evil.put("id", "evil " + HOSTILE);
    evil.put("question", "Is there a " + HOSTILE + " in the top left?");
    lines.add(Json.mapper().writeValueAsString(evil));
    ObjectNode broken = (ObjectNode) Json.mapper().readTree(demo.get(4));
    broken.put("id", "broken " + HOSTILE);
    broken.put("image", "scenes/no-such-scene.png");
    lines.add(Json.mapper().writeValueAsString(broken));
    Path manifest = data.resolve("browser-test.jsonl");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    Path out = dir.resolve("out");

    int rc =
        Main.run(
            DemoExplain.args(
                DemoModels.file("fashion_vqa.onnx"),
                data,
                manifest,
                data.resolve("pool.jsonl"),
                out,
                80,
                8));
    assertEquals(1, rc, "one record cannot be read, so the exit code says so");
    Path report = out.resolve("report.html");
    assertTrue(Files.isRegularFile(report));

    // What the cards must hold, from the explanations themselves.
    List<String> modalities = new ArrayList<>();
    int classes = 0;
    for (String l : Files.readAllLines(out.resolve("explanations.jsonl"))) {
      JsonNode n = Json.mapper().readTree(l);
      if (!n.has("error")) {
        classes += n.path("classes").size();
        if (modalities.isEmpty()) {
          n.path("modalities").forEach(m -> modalities.add(m.asText()));
        }
      }
    }
    assertEquals(List.of("image", "question"), modalities);

    Path shot = Path.of("target", "demo-report-screenshot.png");
    try (HeadlessChromium browser = HeadlessChromium.launch()) {
      BrowserPage page = browser.open(report);
      List<String> external =
          page.requestedUrls().stream().filter(u -> !u.startsWith("data:")).toList();
      assertEquals(List.of(report.toUri().toString()), external, "requests besides data: URLs");
      assertEquals(List.of(), page.dialogs(), "JavaScript dialogs");
      assertTrue(
          page.evaluate("document.body.innerText.includes(" + js(HOSTILE) + ")").asBoolean());
      assertEquals(0, page.evaluate("document.querySelectorAll('img[src=\"x\"]').length").asInt());
      assertEquals(0, page.evaluate("document.querySelectorAll('script').length").asInt());

      assertEquals(
          4, page.evaluate("document.querySelectorAll('.card:not(.card-error)').length").asInt());
      assertEquals(
          1, page.evaluate("document.querySelectorAll('.card.card-error').length").asInt());
      assertTrue(
          page.evaluate(
                  "[...document.querySelectorAll('.card')].some(c => c.dataset.id === "
                      + js("evil " + HOSTILE)
                      + ")")
              .asBoolean());
      String missing =
          "(() => { const out = [];"
              + " for (const sec of document.querySelectorAll('.card:not(.card-error) .class-expl'))"
              + "  for (const m of ['image', 'question']) for (const k of ['uc', 'mi', 'lime']) {"
              + "   const n = [...sec.querySelectorAll('.panel.panel-' + k)]"
              + "     .filter(p => p.dataset.modality === m).length;"
              + "   if (n !== 1) out.push(m + '/' + k + ': ' + n);"
              + "  } return out; })()";
      assertEquals("[]", page.evaluate(missing).toString());
      // the hidden-feature check: one row per modality, in the summary
      assertEquals(
          "[\"image\",\"question\"]",
          page.evaluate(
                  "[...document.querySelectorAll('.hidden-baseline tbody th')]"
                      + ".map(th => th.textContent)")
              .toString());
      assertEquals(
          classes,
          page.evaluate("document.querySelectorAll('.card .class-expl').length").asInt(),
          "one section per explained class");
      assertEquals(
          classes, page.evaluate("document.querySelectorAll('svg.decomposition').length").asInt());
      // every inline image (inputs and heat maps) decodes
      assertEquals(
          "[]",
          page.evaluate(
                  "[...document.images].filter(i => !(i.complete && i.naturalWidth > 0))"
                      + ".map(i => i.alt)")
              .toString());
      assertTrue(
          page.evaluate("document.images.length").asInt() >= 4 * (1 + 3),
          "an input image and UC, MI, LIME heat maps per card");
      page.screenshot(shot);
    }
    byte[] png = Files.readAllBytes(shot);
    assertArrayEquals(PNG, Arrays.copyOf(png, 8));
    assertTrue(png.length > 20_000, "a drawn page: " + png.length + " bytes");
  }
}
