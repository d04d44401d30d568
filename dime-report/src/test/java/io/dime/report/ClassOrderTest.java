package io.dime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.run.HiddenFeatureCheck;
import io.dime.api.run.HiddenModality;
import io.dime.api.run.RunSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The rows of the summary's shares table, one per class: in the model's output order where the
 * class names are known (given to the report, or named by the hidden-feature check), else in a
 * natural order, numbers by value. Before, they came in the order of their names' text: "10" before
 * "2", and "ant" before "cat" however the model ordered them.
 */
class ClassOrderTest {
  private static final List<String> MODS = List.of("image", "question");

  /** The class names of the shares table's rows, top to bottom. */
  private static List<String> rows(String html) {
    int start = html.indexOf("<tbody>", html.indexOf("<table class=\"grid-table shares\">"));
    String table = html.substring(start, html.indexOf("</table>", start));
    Matcher m = Pattern.compile("<tr><th>([^<]*)</th>").matcher(table);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static String page(RunSummary summary, List<String> classNames) {
    return HtmlReport.render(ReportInput.of(summary, List.of()).withClassNames(classNames));
  }

  @Test
  void numberedClassesComeByValue() {
    RunSummary s = Fixtures.summary(MODS, List.of("10", "2", "class 10", "1", "class 9", "b2"));
    assertEquals(List.of("1", "2", "10", "b2", "class 9", "class 10"), rows(page(s, List.of())));
  }

  @Test
  void knownClassesComeInTheModelsOrder() {
    List<String> model = List.of("dog", "cat", "ant");
    RunSummary s = Fixtures.summary(MODS, model);
    assertEquals(model, rows(page(s, model)));
    // the hidden-feature check names them by index, and survives JSON where the report's list is
    // not given
    HiddenModality hidden =
        new HiddenModality(
            "image", 3, model, new double[] {0, 0, 0}, new double[3], new double[3], 0.0);
    RunSummary checked =
        Fixtures.with(
            s,
            s.globalAnalysis(),
            HiddenFeatureCheck.of(List.of(hidden)),
            s.notes(),
            s.provenance());
    assertEquals(model, rows(page(checked, List.of())));
    // a class the model's list lacks comes after the known ones
    RunSummary more = Fixtures.summary(MODS, List.of("dog", "cat", "ant", "10", "9"));
    assertEquals(List.of("dog", "cat", "ant", "9", "10"), rows(page(more, model)));
  }

  /**
   * The model's list is looked through once, not once per comparison: a model of 20,000 classes
   * (ImageNet-21k has 21,841) has a shares row each, and the rows' sort asked the list for the
   * index of both names at every comparison, about 20,000 x 15 x 2 lookups of 10,000 names each.
   * Counted here as reads of the list's names (a timing would be a benchmark's).
   */
  @Test
  void theModelsListIsReadOnceForAnyNumberOfClasses() {
    int n = 2000;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add("class " + ((i * 7919) % n)); // the model's order is not the names' order
    }
    long[] reads = {0};
    List<String> counted =
        new java.util.AbstractList<>() {
          @Override
          public String get(int i) {
            reads[0]++;
            return names.get(i);
          }

          @Override
          public int size() {
            return names.size();
          }
        };
    StringBuilder sb = new StringBuilder();
    new RunAnalysis(Fixtures.summary(MODS, names), MODS, counted).render(sb);
    assertEquals(names, rows(sb.toString()));
    assertTrue(reads[0] <= 2L * n, reads[0] + " reads of " + n + " names");
  }
}
