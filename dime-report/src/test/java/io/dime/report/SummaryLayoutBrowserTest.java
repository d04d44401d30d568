package io.dime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * The summary's tables fit their boxes in a 1200-pixel window (the demo's hidden-feature table lost
 * its last column, "unchanged", behind a scroll bar, and a three-modality run most of its variance
 * shares): no summary box needs scrolling sideways.
 */
class SummaryLayoutBrowserTest {
  private static final String SCROLLING =
      "JSON.stringify([...document.querySelectorAll('.summary .box')]"
          + ".filter(b => b.scrollWidth > b.clientWidth + 1)"
          + ".map(b => b.querySelector('h3').textContent + ' ' + b.scrollWidth + '>' + b.clientWidth))";

  private static RunSummary summary(List<String> mods, List<String> classes) {
    RunSummary base = Fixtures.summary(mods, classes);
    List<HiddenModality> hidden =
        mods.stream()
            .map(
                m ->
                    new HiddenModality(
                        m,
                        100,
                        classes,
                        new double[] {7.783, -1.65},
                        new double[] {0.30, 0.0},
                        new double[] {0.03, 0.06},
                        0.0))
            .toList();
    return Fixtures.with(
        base,
        base.globalAnalysis(),
        HiddenFeatureCheck.of(hidden),
        base.notes(),
        base.provenance());
  }

  private static String scrolling(Path dir, List<String> mods, List<String> classes)
      throws Exception {
    Path file = dir.resolve(mods.size() + ".html");
    HtmlReport.write(
        file, ReportInput.of(summary(mods, classes), List.of()).withClassNames(classes));
    try (HeadlessChromium browser = HeadlessChromium.launch()) {
      BrowserPage page = browser.open(file);
      return page.evaluate(SCROLLING).asText();
    }
  }

  @Test
  void twoModalitiesFitA1200PixelWindow(@TempDir Path dir) throws Exception {
    assertEquals("[]", scrolling(dir, List.of("image", "question"), List.of("sandal", "pullover")));
  }

  @Test
  void threeModalitiesFitA1200PixelWindow(@TempDir Path dir) throws Exception {
    assertEquals(
        "[]",
        scrolling(dir, List.of("image", "question", "vitals"), List.of("sandal", "pullover")));
  }
}
