package io.dime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Explanation;
import io.dime.api.run.HiddenFeatureCheck;
import io.dime.api.run.HiddenModality;
import io.dime.api.run.RunSummary;
import io.dime.testkit.browser.BrowserPage;
import io.dime.testkit.browser.HeadlessChromium;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class or modality name of hundreds of characters without a space (a hash, a path, a generated
 * name) wraps instead of widening the whole page: in a 1200-pixel window such names made the page
 * over 6000 pixels wide, every box and card with it.
 */
class LongNamesBrowserTest {
  private static final String CLASS = "N".repeat(300);
  private static final String MODALITY = "D".repeat(200);

  @Test
  void longNamesWrapAndThePageKeepsTheWindowsWidth(@TempDir Path dir) throws Exception {
    List<String> mods = List.of(MODALITY, "d2");
    List<String> classes = List.of(CLASS, "positive");
    Explanation line =
        Fixtures.explanation(
            "r0",
            mods,
            List.of(List.of("x0", "x1"), List.of("y0", "y1")),
            new double[] {2.0, -2.0},
            CLASS,
            List.of(new Fixtures.ClassSpec(0, CLASS, List.of("predicted", "label"))),
            4);
    RunSummary base = Fixtures.summary(mods, classes);
    RunSummary summary =
        Fixtures.with(
            base,
            base.globalAnalysis(),
            HiddenFeatureCheck.of(
                List.of(
                    new HiddenModality(
                        MODALITY,
                        100,
                        classes,
                        new double[] {0.5, -0.5},
                        new double[] {0.5, 0.5},
                        new double[] {0.51, 0.49},
                        0.0))),
            base.notes(),
            base.provenance());
    Path file = dir.resolve("r.html");
    HtmlReport.write(
        file, ReportInput.of(summary, List.of(DatapointReport.of(line))).withClassNames(classes));
    try (HeadlessChromium browser = HeadlessChromium.launch()) {
      BrowserPage page = browser.open(file);
      int width = page.evaluate("document.documentElement.scrollWidth").asInt();
      assertTrue(width <= 1200, "the page is " + width + " px wide");
      assertEquals(
          "[]",
          page.evaluate(
                  "JSON.stringify([...document.querySelectorAll('.summary, .card, .box, .panel')]"
                      + ".filter(b => b.scrollWidth > b.clientWidth + 1)"
                      + ".map(b => b.className + ' ' + b.scrollWidth + '>' + b.clientWidth))")
              .asText());
      // the names are there whole, as text
      assertTrue(
          page.evaluate("document.body.innerText.replace(/\\s/g, '').includes('" + CLASS + "')")
              .asBoolean());
    }
  }
}
