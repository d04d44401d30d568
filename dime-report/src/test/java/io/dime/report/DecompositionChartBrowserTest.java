package io.dime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.api.ClassExplanation;
import io.dime.api.Explanation;
import io.dime.api.TermValue;
import io.dime.testkit.browser.BrowserPage;
import io.dime.testkit.browser.HeadlessChromium;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In Chromium, every text of the value decomposition lies inside its SVG: labels whose names hold
 * invisible characters (drawn as their codes, six characters each) and values with replicate errors
 * ("v ± se (replicates ± re)") were cut at the SVG's edges.
 */
class DecompositionChartBrowserTest {
  /** The texts of every decomposition that stick out of their SVG's view box. */
  private static final String OUTSIDE =
      "JSON.stringify([...document.querySelectorAll('svg.decomposition')].flatMap(s => {"
          + " const w = s.viewBox.baseVal.width;"
          + " return [...s.querySelectorAll('text')].filter(t => { const b = t.getBBox();"
          + "  return b.x < -0.5 || b.x + b.width > w + 0.5; }).map(t => t.textContent); }))";

  private static String outside(Path dir, Explanation line) throws Exception {
    Path file = dir.resolve("r.html");
    HtmlReport.write(file, ReportInput.of(null, List.of(DatapointReport.of(line))));
    try (HeadlessChromium browser = HeadlessChromium.launch()) {
      BrowserPage page = browser.open(file);
      return page.evaluate(OUTSIDE).asText();
    }
  }

  private static Explanation explanation(List<String> mods) {
    return Fixtures.explanation(
        "r0",
        mods,
        mods.stream().map(m -> List.of("f0", "f1")).toList(),
        new double[] {0.4, -0.4},
        null,
        List.of(new Fixtures.ClassSpec(0, "0", List.of("predicted"))),
        1);
  }

  @Test
  void labelsWithInvisibleCharactersStayInside(@TempDir Path dir) throws Exception {
    Explanation line =
        explanation(
            List.of(
                "d2\u202Egpj.exe\u202C",
                "<script>alert(1)</script>",
                "a\u200Bb\u200Bc\u200Bd\u200Be\u200Bf\u200Bg"));
    assertEquals("[]", outside(dir, line));
  }

  @Test
  void valuesWithReplicateErrorsStayInside(@TempDir Path dir) throws Exception {
    Explanation line = explanation(List.of("image", "question"));
    ClassExplanation c = line.classes().get(0);
    for (int t = 0; t < c.decomposition().size(); t++) {
      c =
          Fixtures.withTerm(
              c,
              t,
              v -> new TermValue(v.term(), v.key(), v.label(), v.value() - 1e-4, 0.71257, 0.64778));
    }
    ClassExplanation changed = c;
    assertEquals("[]", outside(dir, Fixtures.withClass(line, 0, x -> changed)));
  }
}
