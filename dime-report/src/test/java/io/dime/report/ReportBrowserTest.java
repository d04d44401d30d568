package io.dime.report;

import static io.dime.report.Fixtures.HOSTILE_IMG;
import static io.dime.report.Fixtures.HOSTILE_SCRIPT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ClassExplanation;
import io.dime.api.Explanation;
import io.dime.api.SurrogateFit;
import io.dime.testkit.browser.BrowserPage;
import io.dime.testkit.browser.HeadlessChromium;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report in a real browser (headless Chromium over the DevTools protocol): it requests nothing
 * but itself, hostile text stays text, every card and panel is there, and it draws.
 */
class ReportBrowserTest {
  private static final List<String> MODS = List.of("image", "question", "vitals");
  private static final String EVIL = HOSTILE_IMG + " " + HOSTILE_SCRIPT;
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private static DatapointReport point(String id, String question, String className, long seed) {
    List<String> words = Arrays.asList(question.split(" +"));
    List<String> wordNames = new ArrayList<>();
    for (int i = 0, at = 0; i < words.size(); i++) {
      int b = question.indexOf(words.get(i), at);
      wordNames.add(words.get(i) + "@" + b);
      at = b + words.get(i).length();
    }
    List<List<String>> names =
        List.of(
            List.of("s0", "s1", "s2 " + EVIL, "s3"),
            wordNames,
            List.of("hr[0:4]", "hr[4:8]", "hr[8:12]"));
    Explanation line =
        Fixtures.explanation(
            id,
            MODS,
            names,
            new double[] {2.0, -0.5},
            className,
            List.of(
                new Fixtures.ClassSpec(0, className, List.of("predicted", "label")),
                new Fixtures.ClassSpec(1, "no", List.of("requested"))),
            seed);
    double[] series = {60, 62, 65, 70, 72, 71, 69, 66, 64, 63, 62, 61};
    DatapointReport.Builder b = DatapointReport.builder(line);
    b.input("image", Fixtures.heatmap(Fixtures.png(32, 24), 32, 24, "input"));
    b.input("question", Fixtures.tokens(question, new double[words.size()], null));
    b.input("vitals", Fixtures.series(series, new double[3], null));
    for (ClassExplanation c : line.classes()) {
      int ci = c.classIndex();
      for (SurrogateFit f : c.modalities().get(0).fits()) {
        String key = f.key();
        b.view(ci, "image", key, Fixtures.heatmap(Fixtures.png(32, 24), 32, 24, key));
      }
      for (SurrogateFit f : c.modalities().get(1).fits()) {
        String key = f.key();
        b.view(
            ci,
            "question",
            key,
            Fixtures.tokens(question, Fixtures.weights(line, ci, "question", key), key));
      }
      for (SurrogateFit f : c.modalities().get(2).fits()) {
        String key = f.key();
        b.view(
            ci,
            "vitals",
            key,
            Fixtures.series(series, Fixtures.weights(line, ci, "vitals", key), key));
      }
      b.figure(ci, "image", "UC", "deletion AUC", 0.42);
    }
    return b.build();
  }

  /** A JavaScript string literal. */
  private static String js(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /** A JavaScript array of string literals. */
  private static String js(List<String> list) {
    return "[" + String.join(",", list.stream().map(ReportBrowserTest::js).toList()) + "]";
  }

  @Test
  void theReportIsSelfContainedSafeAndComplete(@TempDir Path dir) throws Exception {
    String hostileId = "p1 " + EVIL;
    String hostileClass = "yes " + EVIL;
    List<DatapointReport> points =
        List.of(
            point("p0", "what colour is the bus", "yes", 1),
            point(hostileId, "is " + EVIL + " safe", hostileClass, 2),
            DatapointReport.of(
                Fixtures.errorLine(hostileId + " again", 4, "read", "duplicate id '" + EVIL + "'")),
            point("p2", "how many people", "two", 3));
    ReportInput input =
        ReportInput.of(Fixtures.summary(MODS, List.of("yes", "no")), points)
            .withClassNames(List.of("yes", "no"));
    Path file = dir.resolve("report.html");
    HtmlReport.write(file, input);

    Path shot = Path.of("target", "report-screenshot.png");
    try (HeadlessChromium browser = HeadlessChromium.launch()) {
      BrowserPage page = browser.open(file);

      List<String> external =
          page.requestedUrls().stream().filter(u -> !u.startsWith("data:")).toList();
      assertEquals(List.of(file.toUri().toString()), external, "requests besides data: URLs");
      assertEquals(List.of(), page.dialogs(), "JavaScript dialogs");

      assertTrue(
          page.evaluate("document.body.innerText.includes(" + js(HOSTILE_IMG) + ")").asBoolean());
      assertTrue(
          page.evaluate("document.body.innerText.includes(" + js(HOSTILE_SCRIPT) + ")")
              .asBoolean());
      assertEquals(0, page.evaluate("document.querySelectorAll('img[src=\"x\"]').length").asInt());
      assertEquals(0, page.evaluate("document.querySelectorAll('script').length").asInt());
      assertEquals(
          0,
          page.evaluate("document.querySelectorAll('[onerror],[onload],[onclick]').length")
              .asInt());
      assertTrue(
          page.evaluate(
                  "[...document.querySelectorAll('.card')].some(c => c.dataset.id === "
                      + js(hostileId)
                      + ")")
              .asBoolean(),
          "the hostile id round-trips through data-id");
      assertTrue(
          page.evaluate(
                  "[...document.querySelectorAll('.class-expl h3 q')].some(q => q.textContent === "
                      + js(hostileClass)
                      + ")")
              .asBoolean());

      assertEquals(
          3, page.evaluate("document.querySelectorAll('.card:not(.card-error)').length").asInt());
      assertEquals(
          1, page.evaluate("document.querySelectorAll('.card.card-error').length").asInt());
      assertTrue(
          page.evaluate(
                  "document.querySelector('.card-error .error-message').textContent.includes("
                      + js(EVIL)
                      + ")")
              .asBoolean());
      String missing =
          "(() => { const out = [];"
              + " for (const card of document.querySelectorAll('.card:not(.card-error)')) {"
              + "  const classes = card.querySelectorAll('.class-expl');"
              + "  if (classes.length !== 2) out.push(card.dataset.id + ': ' + classes.length + ' classes');"
              + "  for (const sec of classes) for (const m of "
              + js(MODS)
              + ")   for (const k of ['uc', 'mi', 'lime']) {"
              + "    const n = [...sec.querySelectorAll('.panel.panel-' + k)]"
              + "      .filter(p => p.dataset.modality === m).length;"
              + "    if (n !== 1) out.push(card.dataset.id + '/' + sec.dataset.class + '/' + m + '/' + k + ': ' + n);"
              + "  }"
              + " } return out; })()";
      assertEquals("[]", page.evaluate(missing).toString());
      // three modalities: each modality's terms (4 of them) in the order breakdown
      assertEquals(
          3 * 2 * 3 * 4,
          page.evaluate("document.querySelectorAll('.panel.panel-term').length").asInt());
      assertEquals(
          3 * 2, page.evaluate("document.querySelectorAll('svg.decomposition').length").asInt());

      // the inline images decode under the page's CSP, the inline styles apply, nothing overflows
      assertEquals(
          "[]",
          page.evaluate(
                  "[...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt)")
              .toString());
      assertTrue(page.evaluate("document.images.length").asInt() >= 3 * (1 + 2 * 7));
      assertEquals(
          "8px",
          page.evaluate("getComputedStyle(document.querySelector('.card')).borderTopLeftRadius")
              .asText());
      assertTrue(
          page.evaluate("document.documentElement.scrollWidth").asInt() <= 1200,
          "the page fits 1200 px");

      page.screenshot(shot);
    }
    byte[] png = Files.readAllBytes(shot);
    assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8));
    int width = ByteBuffer.wrap(png, 16, 4).getInt();
    int height = ByteBuffer.wrap(png, 20, 4).getInt();
    assertEquals(1200, width);
    assertTrue(height > 2000, "a full-page screenshot, " + height + " px high");
    assertTrue(png.length > 50_000, "a drawn page, not a blank one: " + png.length + " bytes");
  }

  /** Every element's attribute names that start with "on", and every link that is not a path. */
  private static final String UNSAFE =
      "(() => { const out = [];"
          + " for (const el of document.querySelectorAll('*')) for (const a of el.attributes)"
          + "  if (a.name.toLowerCase().startsWith('on')) out.push(el.tagName + ' ' + a.name);"
          + " for (const a of document.querySelectorAll('[href],[src],[action],[formaction]')) {"
          + "  const u = a.href || a.src || a.getAttribute('action') || '';"
          + "  if (/^\\s*(javascript|vbscript):/i.test(a.getAttribute('href') || '')"
          + "      || (a.href && !/^(file:|data:)/.test(a.href))"
          + "      || (a.src && !/^data:/.test(a.src))) out.push(a.tagName + ' ' + u); }"
          + " return out; })()";

  /**
   * Hostile ids, text, class names, error messages and a hostile report file name, over two pages
   * and past the card bound: no script runs, no element has an on* handler or a javascript: link,
   * the hostile strings are shown as text, bidi overrides are shown as codes, and the links between
   * the pages lead to the pages.
   */
  @Test
  void hostileInputsStayTextOnEveryPage(@TempDir Path dir) throws Exception {
    String rlo = "\u202E";
    String jsUrl = "javascript:alert(7)";
    String attr = "\"><img src=x onerror=alert(8)>";
    String hostileId = "p1 " + EVIL + " " + attr + " " + jsUrl + " gpj." + rlo + "exe";
    String hostileClass = "yes " + attr + rlo;
    String fileName = jsUrl + attr + rlo + ".html";
    Path file = dir.resolve(fileName);
    try (PagedReport r =
        PagedReport.builder(file)
            .title("t " + EVIL + rlo)
            .classNames(List.of(hostileClass, "no"))
            .cardsPerPage(2)
            .maxCards(4)
            .worstCards(2)
            .build()) {
      r.add(point("p0", "what colour is the bus", "yes", 1));
      r.add(DatapointReport.of(Fixtures.errorLine(hostileId, 2, "read " + attr, jsUrl + EVIL)));
      r.add(point(hostileId, "is " + EVIL + " " + jsUrl + " " + rlo + " safe", hostileClass, 2));
      r.add(point("p3", "how many people", "two", 3));
      r.add(point("p4 " + attr + rlo, "past the bound", hostileClass, 4));
      r.add(DatapointReport.of(Fixtures.errorLine(attr + rlo, 6, "model", EVIL + rlo)));
      r.finish(Fixtures.summary(MODS, List.of(hostileClass, "no")));
      assertEquals(2, r.files().size());
    }
    Path second = r2(dir, fileName);
    try (HeadlessChromium browser = HeadlessChromium.launch()) {
      for (Path p : List.of(file, second)) {
        BrowserPage page = browser.open(p);
        String where = p.getFileName().toString();
        assertEquals(List.of(), page.dialogs(), where + ": JavaScript dialogs");
        List<String> external =
            page.requestedUrls().stream().filter(u -> !u.startsWith("data:")).toList();
        assertEquals(List.of(p.toUri().toString()), external, where + ": requests");
        assertEquals("[]", page.evaluate(UNSAFE).toString(), where);
        assertEquals(0, page.evaluate("document.querySelectorAll('script').length").asInt());
        assertEquals(
            0, page.evaluate("document.querySelectorAll('img[src=\"x\"]').length").asInt());
        String text = "document.body.innerText";
        assertFalse(
            page.evaluate(text + ".includes('\\u202e')").asBoolean(), where + ": a bidi override");
        assertTrue(
            page.evaluate(text + ".includes('\\\\u202E')").asBoolean(),
            where + ": the override's code");
        assertTrue(
            page.evaluate(text + ".includes(" + js(HOSTILE_SCRIPT) + ")").asBoolean(), where);
        assertFalse(page.evaluate("document.title.includes('\\u202e')").asBoolean());
        // the pager leads to the other page, whatever the file's name
        String link = p.equals(file) ? second.toUri().toString() : file.toUri().toString();
        assertTrue(
            page.evaluate(
                    "[...document.querySelectorAll('a')].some(a => decodeURIComponent(a.href) ==="
                        + " decodeURIComponent("
                        + js(link)
                        + "))")
                .asBoolean(),
            where + ": a link to " + link);
      }
      BrowserPage page = browser.open(file);
      // the hostile id, class name and message are there as text, on cards and in the failures
      String shown =
          Html.escape(hostileId)
              .replace("&lt;", "<")
              .replace("&gt;", ">")
              .replace("&quot;", "\"")
              .replace("&#39;", "'")
              .replace("&amp;", "&");
      assertTrue(
          page.evaluate(
                  "[...document.querySelectorAll('.failures li a')].some(a => a.textContent === "
                      + js("'" + shown + "'")
                      + ")")
              .asBoolean(),
          "the failed record's hostile id as text");
      assertTrue(
          page.evaluate("[...document.querySelectorAll('.failures li b')].length === 1")
              .asBoolean(),
          "the failure past the bound is listed without a link");
    }
  }

  /** The second page of a report named {@code name}. */
  private static Path r2(Path dir, String name) {
    return dir.resolve(name.substring(0, name.length() - 5) + "-2.html");
  }
}
