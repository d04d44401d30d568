package io.dime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.api.Explanation;
import io.dime.api.Term;
import io.dime.testkit.browser.BrowserPage;
import io.dime.testkit.browser.HeadlessChromium;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The value decomposition's row labels fit the label column whatever the modalities' names: the
 * column widens to the longest label, up to {@link DecompositionChart#LABEL_MAX}; a name too long
 * even for that is cut from the middle (its start and end stay), an interaction's names each, so
 * that the unimodal and interaction rows stay apart and the " × " shows; short labels are drawn
 * whole. A real browser measures the drawn labels.
 */
class DecompositionLabelsTest {
  private static final String LONG_A = "customer_review_text_body_field_as_written_by_the_buyer";
  private static final String LONG_B = "numeric_account_features_of_the_customer_at_checkout";
  private static final Pattern LABEL =
      Pattern.compile(
          "<text class=\"label\" x=\"([^\"]*)\" y=\"[^\"]*\" text-anchor=\"end\">([^<]*)<");

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

  private static List<String> labels(String html) {
    List<String> out = new ArrayList<>();
    Matcher m = LABEL.matcher(html);
    while (m.find()) {
      out.add(m.group(2).replace("&amp;", "&"));
    }
    return out;
  }

  private static String page(Path file, List<String> mods) throws Exception {
    HtmlReport.write(file, ReportInput.of(null, List.of(DatapointReport.of(explanation(mods)))));
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  @Test
  void longNamesAreCutFromTheMiddleAndRowsStayApart(@TempDir Path dir) throws Exception {
    List<String> labels = labels(page(dir.resolve("r.html"), List.of(LONG_A, LONG_B)));
    assertEquals(5, labels.size(), labels.toString()); // bias, a, b, a × b, total
    assertEquals("bias", labels.get(0));
    assertEquals("total (output)", labels.get(4));
    assertEquals(5, new LinkedHashSet<>(labels).size(), "every row's label differs: " + labels);
    String a = labels.get(1);
    String ab = labels.get(3);
    assertTrue(a.startsWith("customer_") && a.endsWith("_buyer") && a.contains("\u2026"), a);
    assertTrue(labels.get(2).startsWith("numeric_"), labels.get(2));
    String[] parts = ab.split(" \u00d7 ");
    assertEquals(2, parts.length, ab);
    assertTrue(parts[0].startsWith("cust") && parts[0].endsWith("er"), ab);
    assertTrue(parts[1].startsWith("num") && parts[1].endsWith("ut"), ab);
    for (String l : labels) {
      assertTrue(
          SvgText.width(l, DecompositionChart.LABEL_FONT) <= DecompositionChart.LABEL_FIT, l);
    }
  }

  @Test
  void shortNamesAreDrawnWhole(@TempDir Path dir) throws Exception {
    List<String> labels = labels(page(dir.resolve("r.html"), List.of("image", "question")));
    assertEquals(
        List.of("bias", "image", "question", "image \u00d7 question", "total (output)"), labels);
  }

  @Test
  void aLabelOfWideCharactersIsCutToo() {
    String wide = "\u56fe\u50cf".repeat(20);
    String cut = SvgText.fit(wide, DecompositionChart.LABEL_FIT, DecompositionChart.LABEL_FONT);
    assertTrue(cut.startsWith("\u56fe\u50cf") && cut.contains("\u2026"), cut);
    assertTrue(
        SvgText.width(cut, DecompositionChart.LABEL_FONT) <= DecompositionChart.LABEL_FIT, cut);
    String surrogates = "\uD83D\uDE00".repeat(30);
    String cut2 = SvgText.fit(surrogates, 50, 12);
    assertEquals(cut2.length(), cut2.codePoints().count() * 2 - 1, "no pair is split: " + cut2);
  }

  /** In Chromium every label lies inside the SVG, left of the plot, and none is cut by the edge. */
  @Test
  void theDrawnLabelsFitTheLabelColumn(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("r.html");
    double column = labelColumn(page(file, List.of(LONG_A, "W".repeat(40), "mmmm_" + LONG_B)));
    assertTrue(column > 280 && column <= DecompositionChart.LABEL_MAX, "the widest: " + column);
    try (HeadlessChromium browser = HeadlessChromium.launch()) {
      BrowserPage p = browser.open(file);
      JsonNode boxes =
          p.evaluate(
              "JSON.stringify([...document.querySelectorAll('svg.decomposition text.label')]"
                  + ".map(t => { const b = t.getBBox(); return [b.x, b.x + b.width]; }))");
      JsonNode list =
          com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(boxes.asText());
      assertEquals(9, list.size(), list.toString()); // bias, 3 alone, 3 pairs, 1 triple, total
      for (JsonNode b : list) {
        assertTrue(b.get(0).asDouble() >= 0, "starts inside the SVG: " + list);
        assertTrue(b.get(1).asDouble() <= column + 0.5, "ends at the label column: " + list);
      }
    }
  }

  /** Where the labels end (their x, right-aligned), the same for every label of the page. */
  private static double labelColumn(String html) {
    LinkedHashSet<Double> xs = new LinkedHashSet<>();
    Matcher m = LABEL.matcher(html);
    while (m.find()) {
      xs.add(Double.parseDouble(m.group(1)));
    }
    assertEquals(1, xs.size(), "one label column: " + xs);
    return xs.iterator().next();
  }

  /**
   * With four modalities every label is drawn whole, the order-4 interaction's "image × text ×
   * series × table" too: the label column is as wide as the longest label needs at the labels' font
   * (it was a fixed 170 px, and that label was cut to "i…e × text × s…s × t…e"). In Chromium the
   * drawn labels lie inside the SVG, end at the column and leave the bars to their right.
   */
  @Test
  void fourModalitiesLabelsAreDrawnWhole(@TempDir Path dir) throws Exception {
    List<String> mods = List.of("image", "text", "series", "table");
    Path file = dir.resolve("r.html");
    String html = page(file, mods);
    List<String> expected = new ArrayList<>();
    for (Term t : Term.all(4)) {
      expected.add(
          t.order() == 0
              ? "bias"
              : String.join(SvgText.TIMES, t.modalities().stream().map(mods::get).toList()));
    }
    expected.add("total (output)");
    assertEquals(expected, labels(html));
    double column = labelColumn(html);
    for (String l : expected) {
      assertTrue(
          SvgText.width(l, DecompositionChart.LABEL_FONT) + 4 <= column, l + " at " + column);
    }
    try (HeadlessChromium browser = HeadlessChromium.launch()) {
      BrowserPage p = browser.open(file);
      JsonNode list =
          com.fasterxml.jackson.databind.json.JsonMapper.builder()
              .build()
              .readTree(
                  p.evaluate(
                          "JSON.stringify([...document.querySelectorAll('svg.decomposition')]"
                              + ".flatMap(s => [...s.querySelectorAll('text.label')].map(t => {"
                              + " const b = t.getBBox(); return [t.textContent, b.x, b.x + b.width,"
                              + " Math.min(...[...s.querySelectorAll('rect.bar')]"
                              + ".map(r => r.getBBox().x))]; })))")
                      .asText());
      assertEquals(expected.size(), list.size(), list.toString());
      for (JsonNode b : list) {
        assertTrue(b.get(1).asDouble() >= 0, "starts inside the SVG: " + b);
        assertTrue(b.get(2).asDouble() <= column + 0.5, "ends at the label column: " + b);
        assertTrue(b.get(3).asDouble() > b.get(2).asDouble(), "the bars lie right of it: " + b);
      }
    }
  }
}
