package io.dime.report;

import static io.dime.report.Fixtures.HOSTILE_IMG;
import static io.dime.report.Fixtures.HOSTILE_SCRIPT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ClassExplanation;
import io.dime.api.Explanation;
import io.dime.api.Faithfulness;
import io.dime.api.TermValue;
import io.dime.api.run.GlobalShares;
import io.dime.api.run.HiddenFeatureCheck;
import io.dime.api.run.HiddenModality;
import io.dime.api.run.RunSummary;
import io.dime.spi.Palette;
import io.dime.spi.View;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
  private static final List<String> MODS = List.of("image", "question");
  private static final List<List<String>> NAMES =
      List.of(
          List.of("s0", "s1", "s2", "s3", "s4", "s5"),
          List.of("what@0", "colour@5", "is@12", "the@15", "bus@19"));
  private static final String QUESTION = "what colour is the bus";

  private static Explanation point(String id, long seed) {
    return Fixtures.explanation(
        id,
        MODS,
        NAMES,
        new double[] {2.5, -1.25, 0.5},
        "yes",
        List.of(
            new Fixtures.ClassSpec(0, "yes", List.of("predicted", "label")),
            new Fixtures.ClassSpec(2, "maybe", List.of("requested"))),
        seed);
  }

  /**
   * A datapoint with every view the caller will have: inputs and one per (class, modality, fit).
   */
  private static DatapointReport withViews(Explanation line) {
    DatapointReport.Builder b = DatapointReport.builder(line);
    b.input("image", Fixtures.heatmap(Fixtures.png(12, 8), 12, 8, "input image"));
    b.input("question", Fixtures.tokens(QUESTION, new double[5], null));
    for (ClassExplanation c : line.classes()) {
      int ci = c.classIndex();
      for (String key : List.of("UC", "MI", "LIME")) {
        b.view(ci, "image", key, Fixtures.heatmap(Fixtures.png(12, 8), 12, 8, key + " image"));
        b.view(
            ci,
            "question",
            key,
            Fixtures.tokens(QUESTION, Fixtures.weights(line, ci, "question", key), key));
      }
    }
    return b.build();
  }

  private static ReportInput report(List<DatapointReport> points) {
    return ReportInput.of(Fixtures.summary(MODS, List.of("yes", "no", "maybe")), points)
        .withClassNames(List.of("yes", "no", "maybe"));
  }

  private static int count(String haystack, String needle) {
    int n = 0;
    for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
      n++;
    }
    return n;
  }

  private static List<String> all(String html, String regex) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile(regex).matcher(html);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** The visible text of an HTML fragment: tags dropped, the five references decoded. */
  private static String visible(String html) {
    return html.replaceAll("<[^>]*>", "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
  }

  private static String view(View v) {
    StringBuilder sb = new StringBuilder();
    ViewRenderer.render(sb, v);
    return sb.toString();
  }

  // ------------------------------------------------------------------ cards

  /** Found by an outside tester: ids r1 and r1 + U+2063 (invisible separator) looked the same. */
  @Test
  void idsThatDifferByAnInvisibleCharacterLookDifferent() {
    String html =
        HtmlReport.render(
            report(
                List.of(
                    DatapointReport.of(point("r1", 1)), DatapointReport.of(point("r1\u2063", 2)))));
    assertEquals(List.of("r1", "r1\\u2063"), all(html, "data-id=\"([^\"]*)\""));
    assertFalse(html.contains("\u2063"), "no raw U+2063 on the page");
  }

  @Test
  void oneCardPerDatapointAndOneErrorCardPerFailure() {
    List<DatapointReport> points = new ArrayList<>();
    points.add(withViews(point("p0", 1)));
    points.add(
        DatapointReport.of(Fixtures.errorLine("short", 3, "featurize", "expected 10 <got 9>")));
    points.add(withViews(point("p1", 2)));
    points.add(DatapointReport.of(Fixtures.errorLine(null, 5, "read", "line 5 is not valid JSON")));
    points.add(DatapointReport.of(point("p2", 3)));
    String html = HtmlReport.render(report(points));

    assertEquals(3, count(html, "<section class=\"card\" "));
    assertEquals(2, count(html, "<section class=\"card card-error\" "));
    assertEquals(
        List.of("p0", "short", "p1", "", "p2"),
        all(html, "<section class=\"card[^\"]*\" id=\"card-\\d+\" data-id=\"([^\"]*)\""));
    assertTrue(html.contains("<pre class=\"error-message\">expected 10 &lt;got 9&gt;</pre>"), html);
    assertTrue(html.contains("record at line 5"));
    // the summary lists both failures, linking to their cards
    assertTrue(
        html.contains(
            "<a href=\"#card-1\">&#39;short&#39;</a> <span class=\"stage\">featurize</span>"));
    assertTrue(
        html.contains(
            "<a href=\"#card-3\">record at line 5</a> <span class=\"stage\">read</span>"));
    // a datapoint without views still shows its fits, drawn from the weights
    assertTrue(html.contains("No view of this input."));
  }

  @Test
  void decompositionBarsCarryTheTermValuesAndTheOutput() {
    Explanation line = point("p0", 7);
    String html = HtmlReport.render(report(List.of(DatapointReport.of(line))));
    List<String> charts = all(html, "(?s)(<svg class=\"decomposition\".*?</svg>)");
    assertEquals(2, charts.size());
    for (int c = 0; c < 2; c++) {
      ClassExplanation cls = line.classes().get(c);
      Map<String, Double> expected = new LinkedHashMap<>();
      double sum = 0;
      for (TermValue e : cls.decomposition()) {
        expected.put(e.key(), e.value());
        sum += e.value();
      }
      expected.put("output", cls.output());
      assertEquals(cls.output(), sum, 1e-9, "fixture terms sum to the output");
      Map<String, Double> rendered = new LinkedHashMap<>();
      Matcher m =
          Pattern.compile("data-key=\"([^\"]+)\" data-value=\"([^\"]+)\"").matcher(charts.get(c));
      while (m.find()) {
        rendered.put(m.group(1), Double.parseDouble(m.group(2)));
      }
      assertEquals(expected, rendered);
      assertEquals(List.of("gE", "g1", "g2", "g12", "output"), new ArrayList<>(rendered.keySet()));
      // labels with modality names, error bars for the terms with a standard error
      assertTrue(charts.get(c).contains(">image \u00d7 question</text>"), charts.get(c));
      assertEquals(3, count(charts.get(c), "<path class=\"err\""));
    }
  }

  @Test
  void errorBarsShowReplicateErrorsWhenThereAreAny() {
    Explanation line =
        Fixtures.withClass(
            point("p0", 7),
            0,
            c ->
                Fixtures.withTerm(
                    c,
                    1,
                    t ->
                        new TermValue(
                            t.term(), t.key(), t.label(), t.value(), t.standardError(), 0.25)));
    String html = HtmlReport.render(report(List.of(DatapointReport.of(line))));
    assertEquals(1, count(html, "<path class=\"err err-replicate\""));
    assertTrue(html.contains("(replicates \u00b1 0.25)"));
    assertTrue(html.contains("dashed: replicate error"));
  }

  @Test
  void everyModalityHasUcMiAndLimePanelsPerClass() {
    String html = HtmlReport.render(report(List.of(withViews(point("p0", 1)))));
    for (int ci : new int[] {0, 2}) {
      for (String m : MODS) {
        for (String[] p :
            new String[][] {{"panel-uc", "UC"}, {"panel-mi", "MI"}, {"panel-lime", "LIME"}}) {
          String tag =
              "<div class=\"panel "
                  + p[0]
                  + "\" data-class=\""
                  + ci
                  + "\" data-modality=\""
                  + m
                  + "\" data-fit=\""
                  + p[1]
                  + "\">";
          assertEquals(1, count(html, tag), tag);
        }
      }
    }
    assertEquals(12, count(html, "<div class=\"panel "));
    // with two modalities g1 is UC and g12 is MI: no order breakdown
    assertEquals(0, count(html, "panel panel-term"));
  }

  @Test
  void threeModalitiesAddTheOrderBreakdown() {
    List<String> mods = List.of("image", "question", "vitals");
    Explanation line =
        Fixtures.explanation(
            "t0",
            mods,
            List.of(List.of("s0", "s1"), List.of("a@0", "b@2"), List.of("hr[0:4]", "hr[4:8]")),
            new double[] {1.5, 0.5},
            null,
            List.of(new Fixtures.ClassSpec(0, "yes", List.of("predicted"))),
            3);
    String html =
        HtmlReport.render(
            ReportInput.of(
                Fixtures.summary(mods, List.of("yes", "no")), List.of(DatapointReport.of(line))));
    // terms containing each modality: 4 of the 7 non-empty subsets
    assertEquals(12, count(html, "<div class=\"panel panel-term\""));
    for (String key : List.of("g1", "g12", "g13", "g123")) {
      assertEquals(1, count(html, "data-modality=\"image\" data-fit=\"" + key + "\""), key);
    }
    assertTrue(html.contains("term image \u00d7 question \u00d7 vitals"));
    assertEquals(
        9,
        count(html, "<div class=\"panel panel-uc\"")
            + count(html, "<div class=\"panel panel-mi\"")
            + count(html, "<div class=\"panel panel-lime\""));
    // the summary's shares table names three-way terms
    assertTrue(html.contains(">image \u00d7 question \u00d7 vitals</th>"));
  }

  @Test
  void extraFiguresAreShownUnderTheirFit() {
    Explanation line = point("p0", 1);
    DatapointReport d =
        DatapointReport.builder(line)
            .figure(0, "image", "UC", "deletion AUC", 0.4321)
            .figure(0, "image", "UC", "insertion <AUC>", "n/a")
            .figure(0, "image", "LIME", "comprehensiveness", 1.5)
            .build();
    String html = HtmlReport.render(report(List.of(d)));
    String uc = panel(html, 0, "image", "UC");
    assertTrue(uc.contains("<tr><th>deletion AUC</th><td class=\"num\">0.4321</td></tr>"), uc);
    assertTrue(
        uc.contains("<tr><th>insertion &lt;AUC&gt;</th><td class=\"num\">n/a</td></tr>"), uc);
    assertTrue(panel(html, 0, "image", "LIME").contains("comprehensiveness"));
    assertFalse(panel(html, 0, "image", "MI").contains("figures"));
    assertFalse(panel(html, 2, "image", "UC").contains("figures"));
  }

  @Test
  void faithfulnessInTheFitJsonIsShownWithItsCurves() {
    Explanation point = point("p0", 1);
    assertEquals("UC", point.classes().get(0).modalities().get(0).fits().get(2).key());
    assertEquals("MI", point.classes().get(0).modalities().get(0).fits().get(3).key());
    Faithfulness f =
        new Faithfulness(
            2,
            new double[] {0.0, 0.5, 1.0},
            new double[] {2.0, 0.5, 0.0},
            new double[] {0.0, 1.5, 2.0},
            0.75,
            1.25,
            -0.25,
            0.25,
            0,
            Double.NaN,
            Double.NaN);
    Explanation line =
        Fixtures.withClass(
            point, 0, c -> Fixtures.withFit(c, 0, 2, u -> u.withFaithfulness(Optional.of(f))));
    DatapointReport d =
        DatapointReport.builder(line).figure(0, "image", "UC", "deletionArea", "caller's").build();
    String html = HtmlReport.render(report(List.of(d)));
    String panel = panel(html, 0, "image", "UC");
    assertTrue(
        panel.contains("<tr><th>deletionArea</th><td class=\"num\">caller&#39;s</td></tr>"), panel);
    assertTrue(
        panel.contains("<tr><th>normalisedDeletionArea</th><td class=\"num\">-0.25</td></tr>"));
    assertTrue(panel.contains("<tr><th>heldOutR2</th><td class=\"num\">n/a</td></tr>"));
    assertTrue(panel.contains("<tr><th>steps</th><td class=\"num\">2</td></tr>"));
    assertFalse(panel.contains("<th>fractions</th>"), "curves are drawn, not listed");
    assertEquals(
        List.of("4.00,4.00 100.00,40.00 196.00,52.00", "4.00,52.00 100.00,16.00 196.00,4.00"),
        all(panel, "<polyline class=\"curve-[a-z]+\" points=\"([^\"]*)\""));
    assertFalse(panel(html, 0, "image", "MI").contains("figures"));
    assertFalse(panel(html, 0, "image", "MI").contains("curves"));
  }

  private static String panel(String html, int ci, String m, String key) {
    String open = "data-class=\"" + ci + "\" data-modality=\"" + m + "\" data-fit=\"" + key + "\">";
    int at = html.indexOf(open);
    assertTrue(at >= 0, open);
    int end = html.indexOf("<div class=\"panel ", at);
    return html.substring(at, end < 0 ? html.length() : end);
  }

  @Test
  @SuppressWarnings("unchecked")
  void fitStatisticsAndTopWeightsAreShown() {
    Explanation line = point("p0", 1);
    io.dime.api.SurrogateFit fit = line.classes().get(0).modalities().get(1).fits().get(2);
    assertEquals("UC", fit.key());
    String html = HtmlReport.render(report(List.of(withViews(line))));
    String uc = panel(html, 0, "question", "UC");
    assertTrue(uc.contains("R\u00b2 <b>" + Fmt.num(fit.score()) + "</b>"), uc);
    // with a view, the five largest |weights| are listed, the largest first
    double[] w = fit.weights();
    int best = 0;
    for (int i = 1; i < w.length; i++) {
      if (Math.abs(w[i]) > Math.abs(w[best])) {
        best = i;
      }
    }
    List<String> names = all(uc, "<td class=\"name\">([^<]*)</td>");
    assertEquals(5, names.size(), uc);
    assertEquals(NAMES.get(1).get(best), names.get(0));

    // the same feature past what the model reads (the view marks it truncated, as a text longer
    // than maxLength does): left out of the table as the view leaves it out of its top list (it
    // was listed first), and said so
    DatapointReport.Builder b = DatapointReport.builder(line);
    View tokens = Fixtures.tokens(QUESTION, w, "UC");
    List<Map<String, Object>> features = new ArrayList<>();
    for (Object f : (List<?>) tokens.data().get("features")) {
      features.add(new LinkedHashMap<>((Map<String, Object>) f));
    }
    features.get(best).put("truncated", true);
    Map<String, Object> data = new LinkedHashMap<>(tokens.data());
    data.put("features", features);
    b.view(0, "question", "UC", new View("tokens", data));
    String cut = panel(HtmlReport.render(report(List.of(b.build()))), 0, "question", "UC");
    List<String> listed = all(cut, "<td class=\"name\">([^<]*)</td>");
    assertEquals(4, listed.size(), cut);
    assertFalse(listed.contains(NAMES.get(1).get(best)), cut);
    assertTrue(
        cut.contains(
            "1 feature past what the model reads (truncated) not listed: its weight means"),
        cut);
  }

  @Test
  void outputsShowTheLargestFiveWithClassNames() {
    Explanation line =
        Fixtures.explanation(
            "p0",
            MODS,
            NAMES,
            new double[] {0.1, 3.0, -2, 0.7, 1.5, 0.2, 2.2},
            "c4",
            List.of(new Fixtures.ClassSpec(1, "c1", List.of("predicted"))),
            5);
    List<String> names = List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6");
    String html =
        HtmlReport.render(
            ReportInput.of(null, List.of(DatapointReport.of(line))).withClassNames(names));
    String table = all(html, "(?s)<h3>Model outputs</h3>(.*?)</table>").get(0);
    assertEquals(List.of("c1", "c6", "c4", "c3", "c5"), all(table, "<tr[^>]*><td>([^<]*)</td>"));
    assertTrue(html.contains("The 5 largest of 7 outputs."));
    assertTrue(
        html.contains(
            "predicted <b>c1</b> \u00b7 label <b>c4</b> <span class=\"badge bad\">wrong</span>"));
    // centred scores say so in the heading
    Explanation centred = Fixtures.with(line, List.of(), Fixtures.provenance(MODS, 0, "centered"));
    assertTrue(
        HtmlReport.render(ReportInput.of(null, List.of(DatapointReport.of(centred))))
            .contains("<h3>Model outputs (centred)</h3>"));
    // without class names, outputs not explained are numbered
    String bare = HtmlReport.render(ReportInput.of(null, List.of(DatapointReport.of(line))));
    assertTrue(bare.contains("<td>#6</td>"));
    assertTrue(bare.contains("<td>c1</td>"));
  }

  // ------------------------------------------------------------------ views

  @Test
  void heatmapIsAnInlinePngWithItsScale() {
    byte[] png = Fixtures.png(12, 8);
    String html = view(Fixtures.heatmap(png, 12, 8, "UC <image>"));
    assertTrue(
        html.contains(
            "src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png)
                + "\" width=\"12\" height=\"8\""),
        html);
    assertTrue(html.contains("<figcaption>UC &lt;image&gt;</figcaption>"));
    assertTrue(html.contains("alt=\"UC &lt;image&gt;\""));
    assertTrue(html.contains("<span>-0.5</span>"));
    assertTrue(html.contains("<span>1.25</span>"));
    assertTrue(html.contains("linear-gradient(to right,#E69F00,#FFFFFF,#0072B2)"));
    assertTrue(html.contains("class=\"heatmap small\""));
  }

  @Test
  void aHeatmapWhoseBytesAreNotAPngIsNotInlined() {
    byte[] svg = "<svg onload=alert(1)>".getBytes(StandardCharsets.UTF_8);
    String html = view(Fixtures.heatmap(svg, 1, 1, null));
    assertFalse(html.contains("<img"));
    assertFalse(html.contains("<svg"));
    assertTrue(html.contains("This heat map has no PNG image."));
    assertTrue(html.contains(svg.length + " bytes"));
  }

  @Test
  void tokensKeepTheTextAndShadeEachWord() {
    String text = "is the <b>bus</b>  red?";
    double[] w = {0.5, 0, -1.0, 0.25};
    String html = view(Fixtures.tokens(text, w, null));
    String p = all(html, "(?s)<p class=\"tokens\">(.*?)</p>").get(0);
    assertEquals(text, visible(p), "the text, spacing included, survives");
    assertTrue(p.contains("&lt;b&gt;bus&lt;/b&gt;"));
    assertFalse(p.contains("<b>"));
    assertEquals(4, count(p, "<span class=\"tok"));
    assertTrue(
        p.contains("style=\"background:#E69F00\" title=\"&lt;b&gt;bus&lt;/b&gt;@7: -1\""), p);
    // a weight of 0 is not shaded
    assertTrue(p.contains("<span class=\"tok\" title=\"the@3: 0\">the</span>"), p);
  }

  @Test
  void tokensWithBrokenOffsetsFallBackToTheWordsAndBadColoursAreDropped() {
    Map<String, Object> f1 = new LinkedHashMap<>();
    f1.put("name", "a@0");
    f1.put("text", "a<");
    f1.put("begin", 0);
    f1.put("end", 99);
    f1.put("weight", 1.0);
    f1.put("colour", "red;background:url(javascript:alert(1))");
    Map<String, Object> f2 = new LinkedHashMap<>();
    f2.put("name", "b@2");
    f2.put("text", "b");
    f2.put("weight", -1.0);
    f2.put("colour", "#E69F00");
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("text", "a< b");
    d.put("features", List.of(f1, f2));
    String html = view(new View("tokens", d));
    assertTrue(html.contains(">a&lt;</span> <span"), html);
    assertFalse(html.contains("javascript"));
    assertFalse(html.contains("url("));
    assertTrue(html.contains("background:#E69F00"));
  }

  @Test
  void seriesIsAnSvgLineOverWeightedBands() {
    double[] values = {1, 2, 3, 2, 1, Double.NaN, 2, 3, 4, 5, 6, 7};
    double[] weights = {0.5, -0.25, 0};
    String html = view(Fixtures.series(values, weights, "UC vitals"));
    assertTrue(html.contains("<svg class=\"series\""));
    List<String> lines = all(html, "<polyline class=\"line\" points=\"([^\"]*)\"");
    assertEquals(2, lines.size(), "the gap splits the line");
    assertEquals(5, lines.get(0).split(" ").length);
    assertEquals(6, lines.get(1).split(" ").length);
    List<String> bands = all(html, "<rect class=\"band\" [^>]*fill=\"(#[0-9A-F]{6})\"");
    assertEquals(
        List.of("#0072B2", Fixtures.colour(-0.25, 0.5)), bands, "bands of weight 0 are not drawn");
    assertTrue(html.contains("<title>hr[0:4]: 0.5</title>"));
    assertTrue(html.contains(">hr (1 to 7)</text>"));
  }

  @Test
  void barsAcceptNameAndField() {
    String vector =
        view(
            Fixtures.bars(
                List.of("x0", "x<1>"), new double[] {0.5, -1}, new double[] {2, -1}, false));
    assertEquals(List.of("x0", "x&lt;1&gt;"), all(vector, "<td class=\"name\">([^<]*)</td>"));
    assertTrue(vector.contains("<td class=\"num\">-1</td>"));
    assertTrue(vector.contains("left:50%;width:50.00%;background:#0072B2"));
    assertTrue(vector.contains("right:50%;width:25.00%;background:#E69F00"));
    String tabular =
        view(
            Fixtures.bars(
                List.of("age", "income"), new double[] {42, 1000}, new double[] {0.1, 0.3}, true));
    assertEquals(List.of("age", "income"), all(tabular, "<td class=\"name\">([^<]*)</td>"));
  }

  @Test
  void longBarListsKeepTheLargestWeights() {
    List<String> names = new ArrayList<>();
    double[] w = new double[100];
    for (int i = 0; i < 100; i++) {
      names.add("x" + i);
      w[i] = i;
    }
    String html = view(Fixtures.bars(names, new double[100], w, false));
    List<String> shown = all(html, "<td class=\"name\">([^<]*)</td>");
    assertEquals(ViewRenderer.MAX_BARS, shown.size());
    assertEquals("x60", shown.get(0));
    assertEquals("x99", shown.get(shown.size() - 1));
    assertTrue(html.contains("60 entries with smaller weights are not shown."));
  }

  @Test
  void anInputsBarsHaveNoWeightColumns() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      names.add("x" + i);
    }
    double[] values = new double[45];
    values[3] = 2.5;
    StringBuilder sb = new StringBuilder();
    ViewRenderer.renderInput(sb, Fixtures.bars(names, values, new double[45], false));
    String html = sb.toString();
    assertTrue(html.contains("<th>value</th></tr>"), html);
    assertFalse(html.contains("<th>weight</th>"));
    assertFalse(html.contains("barcol"));
    assertEquals(names.subList(0, 40), all(html, "<td class=\"name\">([^<]*)</td>"));
    assertTrue(html.contains("<td class=\"num\">2.5</td></tr>"), html);
    assertTrue(html.contains("5 more entries are not shown."));
    // the same view as a fit's keeps its weight columns, all 0
    String fit = view(Fixtures.bars(names, values, new double[45], false));
    assertTrue(fit.contains("<th>weight</th>"));
    assertTrue(fit.contains("5 entries with smaller weights are not shown."));
  }

  @Test
  void anyOtherKindIsAnEscapedTable() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("title", HOSTILE_SCRIPT);
    d.put("nodes", List.of(Map.of("label", HOSTILE_IMG), 3.14159));
    d.put("blob", new byte[] {1, 2, 3});
    d.put("<key>", new double[] {1.5, Double.NaN});
    String html = view(new View("graph<>", d));
    assertTrue(html.contains("class=\"view view-generic\" data-kind=\"graph&lt;&gt;\""));
    assertFalse(html.contains("<script"));
    assertFalse(html.contains("<img"));
    assertTrue(html.contains("[{label: &lt;img src=x onerror=alert(1)&gt;}, 3.142]"), html);
    assertTrue(html.contains("<tr><th>blob</th><td>3 bytes</td></tr>"));
    assertTrue(html.contains("<tr><th>&lt;key&gt;</th><td>[1.5, n/a]</td></tr>"));
  }

  // ------------------------------------------------------------------ summary and page

  @Test
  void summaryShowsSharesAccuracyDominanceNotesProvenanceAndFailures() {
    List<DatapointReport> points =
        List.of(
            withViews(point("p0", 1)),
            DatapointReport.of(Fixtures.errorLine("bad", 2, "model", "NaN in the outputs")));
    String html = HtmlReport.render(report(points));
    String summary = all(html, "(?s)(<section class=\"summary\".*?</section>)").get(0);
    assertTrue(summary.contains("<th title=\"g12\">image \u00d7 question</th>"), summary);
    assertTrue(summary.contains("<td class=\"num\">40.0%</td>"));
    assertTrue(
        summary.contains("additive share (terms of order \u2264 1)</th><td class=\"num\">88.1%"));
    assertTrue(summary.contains("additive projection accuracy</th><td class=\"num\">0.625"));
    assertTrue(summary.contains("model accuracy</th><td class=\"num\">0.75"));
    List<String> dom = all(summary, "(?s)<tr data-row=\"(UC|MI|LIME)\">");
    assertEquals(List.of("UC", "MI", "LIME"), dom);
    assertTrue(
        summary.contains(
            "<tr data-row=\"MI\"><th>MI</th><td class=\"num\">2.25</td><td class=\"num\">2.75</td></tr>"),
        summary);
    assertTrue(summary.contains("Expectations are taken over a reference pool of 3 datapoints"));
    assertTrue(
        summary.contains("974db2c344383e1b5fad0d665f04c2adb2baf6d1dc4a2f72a00fecf46142fabd"));
    assertTrue(
        summary.contains("<th>estimator</th><td class=\"mono\">draws=5, estimator=sampled</td>"));
    assertTrue(summary.contains("<th>seed</th><td class=\"mono\">42</td>"));
    assertTrue(summary.contains("Failed records (1)"));
    assertTrue(summary.contains("NaN in the outputs"));
    assertTrue(summary.contains("<th>totalRows</th><td class=\"num\">6034</td>"));
    assertTrue(summary.contains("<th>explainSeconds</th><td class=\"num\">0.1643</td>"));
  }

  @Test
  void aFailedGlobalAnalysisAndAMissingSummaryAreShownAsSuch() {
    RunSummary ok = Fixtures.summary(MODS, List.of("yes"));
    RunSummary s =
        Fixtures.with(
            ok,
            GlobalShares.failed(3, "the pool has <2> records"),
            ok.hiddenBaseline(),
            ok.notes(),
            ok.provenance());
    String html = HtmlReport.render(ReportInput.of(s, List.of(DatapointReport.of(point("p0", 1)))));
    assertTrue(html.contains("The global analysis failed: the pool has &lt;2&gt; records"));
    String global = all(html, "(?s)(<div class=\"box global\">.*?</div>)").get(0);
    assertTrue(global.contains("<tr><th>references</th><td class=\"num\">3</td></tr>"), global);
    assertFalse(global.contains("model accuracy"), "no figures of an analysis that did not run");
    assertFalse(global.contains("<table class=\"grid-table shares\">"));
    String bare =
        HtmlReport.render(
            ReportInput.of(
                null,
                List.of(
                    DatapointReport.of(point("p0", 1)),
                    DatapointReport.of(Fixtures.errorLine("x", 1, "read", "m")))));
    assertTrue(bare.contains("<th>explained</th><td class=\"num\">1</td>"));
    assertTrue(bare.contains("<th>failed</th><td class=\"num\">1</td>"));
    assertFalse(bare.contains("Global variance shares"));
  }

  @Test
  void theHiddenFeatureCheckIsATableWithTheDominantModalityInRed() {
    RunSummary ok = Fixtures.summary(MODS, List.of("yes"));
    HiddenFeatureCheck hb =
        HiddenFeatureCheck.of(
            List.of(
                new HiddenModality(
                    "image",
                    100,
                    List.of("yes", "no", "<dress>"),
                    new double[] {0.1, 1.0, 7.391},
                    new double[] {0.2, 0.61, 0.19},
                    new double[] {0.5, 0.28, 0.22}),
                new HiddenModality(
                    "question",
                    100,
                    List.of("yes"),
                    new double[] {-0.5},
                    new double[0],
                    new double[0],
                    0.95)));
    RunSummary s = Fixtures.with(ok, ok.globalAnalysis(), hb, ok.notes(), ok.provenance());
    String html = HtmlReport.render(ReportInput.of(s, List.of(DatapointReport.of(point("p0", 1)))));
    assertTrue(html.contains("<h3>With every feature hidden</h3>"), html);
    assertTrue(
        html.contains(
            "<tr class=\"bad\"><th>image</th><td class=\"num\">100</td><td>no</td>"
                + "<td class=\"num\">61.0%</td><td class=\"num\">28.0%</td><td>&lt;dress&gt;</td>"
                + "<td class=\"num\">7.391</td><td class=\"num\"></td></tr>"),
        html);
    // hiding the question changed no score for 95% of the records: inert, in red too
    assertTrue(
        html.contains(
            "<tr class=\"bad\"><th>question</th><td class=\"num\">100</td><td></td><td"
                + " class=\"num\"></td>"),
        html);
    assertTrue(html.contains("<td class=\"num\">95.0%</td></tr>"), html);
    RunSummary failed =
        Fixtures.with(
            ok,
            ok.globalAnalysis(),
            HiddenFeatureCheck.failed("no <pool>"),
            ok.notes(),
            ok.provenance());
    String f =
        HtmlReport.render(ReportInput.of(failed, List.of(DatapointReport.of(point("p0", 1)))));
    assertTrue(f.contains("The check failed: no &lt;pool&gt;"));
    // a check that had no modality to hide is not shown
    assertTrue(ok.hiddenBaseline().modalities().isEmpty());
    String none =
        HtmlReport.render(ReportInput.of(ok, List.of(DatapointReport.of(point("p0", 1)))));
    assertFalse(none.contains("With every feature hidden"));
  }

  @Test
  void thePageLoadsNothing() {
    List<DatapointReport> points = new ArrayList<>();
    points.add(withViews(point("p0", 1)));
    DatapointReport.Builder b = DatapointReport.builder(point("p1", 2));
    b.input("image", Fixtures.series(new double[] {1, 2, 3, 4}, new double[] {1}, null));
    b.input("question", Fixtures.bars(List.of("a"), new double[] {1}, new double[] {1}, true));
    points.add(b.build());
    points.add(DatapointReport.of(Fixtures.errorLine("bad", 2, "model", "NaN")));
    String html = HtmlReport.render(report(points));

    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(
        html.contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; img-src data:; style-src &#39;unsafe-inline&#39;;"));
    String noImages = html.replaceAll("data:image/png;base64,[A-Za-z0-9+/=]*", "");
    assertFalse(
        noImages.replace("http-equiv", "").toLowerCase().contains("http"), "no http(s) URL");
    assertFalse(noImages.contains("//"), "no protocol-relative URL");
    for (String tag :
        List.of("<script", "<link", "<iframe", "<object", "<embed", "@import", "url(")) {
      assertFalse(html.toLowerCase().contains(tag), tag);
    }
    List<String> src = all(html, "\\ssrc=\"([^\"]*)\"");
    assertEquals(6 + 1, src.size(), "one image input and six image panels");
    src.forEach(s -> assertTrue(s.startsWith("data:image/png;base64,"), s));
    all(html, "\\shref=\"([^\"]*)\"").forEach(h -> assertTrue(h.matches("#card-\\d+"), h));
    assertFalse(html.matches("(?s).*\\son[a-z]+=.*"), "no event-handler attribute");
  }

  @Test
  void hostileTextIsEscapedEverywhere() {
    String evil = HOSTILE_IMG + HOSTILE_SCRIPT + "\"'&";
    List<String> mods = List.of("image", "q" + evil);
    Explanation plain =
        Fixtures.explanation(
            "id" + evil,
            mods,
            List.of(List.of("s0", "s" + evil), List.of("w" + evil, "ok@3")),
            new double[] {1, 2},
            "label" + evil,
            List.of(new Fixtures.ClassSpec(1, "class" + evil, List.of("predicted" + evil))),
            9);
    Explanation line = Fixtures.with(plain, List.of("warning" + evil), plain.provenance());
    DatapointReport d =
        DatapointReport.builder(line)
            .input("q" + evil, Fixtures.tokens("what " + evil, new double[] {0, 1}, "title" + evil))
            .view(1, "q" + evil, "UC", Fixtures.tokens("what " + evil, new double[] {1, -1}, evil))
            .figure(1, "image", "MI", "figure" + evil, evil)
            .build();
    RunSummary plainSummary = Fixtures.summary(mods, List.of("class" + evil));
    io.dime.api.Provenance p = plainSummary.provenance();
    RunSummary summary =
        Fixtures.with(
            plainSummary,
            plainSummary.globalAnalysis(),
            plainSummary.hiddenBaseline(),
            List.of("note" + evil),
            new io.dime.api.Provenance(
                "v" + evil,
                p.libraries(),
                p.seed(),
                p.samples(),
                p.batchSize(),
                p.maxInteractionOrder(),
                p.replicates(),
                p.faithfulness(),
                p.estimator(),
                p.surrogate(),
                p.modalities(),
                p.model(),
                p.outputs(),
                p.scores(),
                p.pool(),
                p.limits(),
                Map.of("targets", "t" + evil),
                p.referenceDraws(),
                p.inputDigest()));
    String html =
        HtmlReport.render(
            new ReportInput(
                "title" + evil,
                Optional.of(summary),
                List.of("zero" + evil, "class" + evil),
                Palette.GREEN_RED,
                List.of(
                    d,
                    DatapointReport.of(
                        Fixtures.errorLine("e" + evil, 2, "read" + evil, "msg" + evil)))));
    assertFalse(html.contains("<img src=x"), "an injected element");
    assertFalse(html.toLowerCase().contains("<script"), "an injected script");
    assertFalse(html.contains("onerror=alert(1)>"));
    String escaped = Html.escape(evil);
    for (String where :
        List.of(
            "title",
            "id",
            "label",
            "class",
            "predicted",
            "warning",
            "note",
            "v",
            "figure",
            "msg",
            "read",
            "e",
            "s",
            "w",
            "q",
            "t")) {
      assertTrue(html.contains(where + escaped), where);
    }
    assertTrue(html.contains("data-id=\"id" + escaped + "\""));
    assertTrue(html.contains("data-modality=\"q" + escaped + "\""));
  }

  @Test
  void renderingIsDeterministicAndWriteReplacesTheFile(@TempDir Path dir) throws Exception {
    ReportInput in = report(List.of(withViews(point("p0", 1)), DatapointReport.of(point("p1", 2))));
    String a = HtmlReport.render(in);
    assertEquals(a, HtmlReport.render(in));
    Path file = dir.resolve("report.html");
    Files.writeString(file, "old");
    HtmlReport.write(file, in);
    assertEquals(a, Files.readString(file, StandardCharsets.UTF_8));
    try (var s = Files.list(dir)) {
      assertEquals(List.of(file), s.toList(), "no temporary file left");
    }
  }

  @Test
  void theSameRecordsGiveTheSamePageWhetherMadeInMemoryOrReadBackFromJson() {
    List<String> classes = List.of("yes", "no", "maybe");
    RunSummary base = Fixtures.summary(MODS, List.of("yes", "maybe", "no"));
    Map<String, Map<String, Double>> dom = new LinkedHashMap<>(base.dominance());
    dom.put("LIME", Map.of("question", 3.0, "image", 2.0));
    HiddenFeatureCheck hidden =
        HiddenFeatureCheck.of(
            List.of(
                new HiddenModality(
                    "image",
                    100,
                    classes,
                    new double[] {0.5, 1.5, 1.5},
                    new double[] {0.1, 0.45, 0.45},
                    new double[] {0.3, 0.1, 0.6})));
    RunSummary inMemory =
        new RunSummary(
            1,
            base.counts(),
            base.passes(),
            base.globalAnalysis(),
            hidden,
            dom,
            base.notes(),
            base.provenance(),
            base.timings());
    Explanation e = point("p0", 1);
    List<DatapointReport> points =
        List.of(withViews(e), DatapointReport.of(Fixtures.errorLine(null, 2, "read", "not JSON")));
    List<DatapointReport> readBack = List.of(withViews(Fixtures.readBack(e)), points.get(1));
    String a = HtmlReport.render(ReportInput.of(inMemory, points).withClassNames(classes));
    String b =
        HtmlReport.render(
            ReportInput.of(Fixtures.readBack(inMemory), readBack).withClassNames(classes));
    assertEquals(a, b);
    // open maps in key order, integral numbers as they are, NaN as JSON writes it
    assertTrue(
        a.contains(
            "<tr><th>fill</th><td>[0, 0, 255]</td></tr><tr><th>kind</th><td>image</td></tr>"
                + "<tr><th>mean</th><td>[0, 0.5]</td></tr>"
                + "<tr><th>scale</th><td class=\"num\">0.003922</td></tr>"
                + "<tr><th>segments</th><td class=\"num\">40</td></tr>"
                + "<tr><th>sigma</th><td>NaN</td></tr>"),
        a);
    // a tie between classes goes to the first name, whatever the classes' order
    assertTrue(a.contains("<tr><th>image</th><td class=\"num\">100</td><td>maybe</td>"), a);
  }

  @Test
  void inputsAreValidated() {
    assertThrows(NullPointerException.class, () -> DatapointReport.of(null));
    assertThrows(IllegalArgumentException.class, () -> new FitRef(-1, "image", "UC"));
    assertThrows(NullPointerException.class, () -> new FitRef(0, null, "UC"));
    assertThrows(
        NullPointerException.class,
        () -> DatapointReport.builder(point("p", 1)).input("image", null));
    DatapointReport d = DatapointReport.of(Fixtures.errorLine(null, 1, "read", "x"));
    assertTrue(d.failed());
    assertTrue(d.id().isEmpty());
    DatapointReport e = DatapointReport.of(point("p", 1));
    assertFalse(e.failed());
    assertEquals(Optional.of("p"), e.id());
    ReportInput in = ReportInput.of(null, List.of());
    assertTrue(in.summary().isEmpty(), "no summary");
    assertEquals("DIME report", in.title());
    assertEquals("Other", in.withTitle("Other").title());
    assertEquals(Palette.GREEN_RED, in.withPalette(Palette.GREEN_RED).palette());
    assertEquals(List.of("a"), in.withClassNames(List.of("a")).classNames());
  }

  @Test
  void numbersAreFormattedForPeople() {
    assertEquals("24.31", Fmt.num(24.309988021850586));
    assertEquals("0.7008", Fmt.num(0.7008227586362619));
    assertEquals("-2.144", Fmt.num(-2.143506908416748));
    assertEquals("1.235e+05", Fmt.num(123456.0));
    assertEquals("1.000e-04", Fmt.num(0.0001));
    assertEquals("0", Fmt.num(0.0));
    assertEquals("n/a", Fmt.num(Double.NaN));
    assertEquals("image \u00d7 text", Fmt.termLabel("g12", List.of("image", "text")));
    assertEquals("bias", Fmt.termLabel("gE", List.of()));
    assertEquals("g19", Fmt.termLabel("g19", List.of("a", "b")));
    assertEquals("UC", Fmt.termLabel("UC", List.of("a", "b")));
    assertEquals(2, Fmt.termOrder("g1_10"));
    assertEquals(0, Fmt.termOrder("gE"));
    assertEquals(-1, Fmt.termOrder("residual"));
    assertEquals(-1, Fmt.termOrder("g1_99999999999"));
  }

  @Test
  void openValuesShowTheSameWhateverTheirMapOrderOrBoxedType() {
    assertEquals("123456", Fmt.text(123456L));
    assertEquals("123456", Fmt.text(123456));
    assertEquals("1.235e+05", Fmt.text(123456.0));
    assertEquals("0.1", Fmt.text(0.1f));
    assertEquals("NaN", Fmt.text(Double.NaN), "as JSON writes it, and reads it back as text");
    assertEquals("NaN", Fmt.text("NaN"));
    assertFalse(Fmt.isNumber(Double.NaN));
    assertTrue(Fmt.isNumber(3L));
    assertEquals("[0, 0.5]", Fmt.text(new double[] {0, 0.5}));
    assertEquals("[0, 0.5]", Fmt.text(List.of(0, 0.5)));
    assertEquals("[1, 2]", Fmt.text(new int[] {1, 2}));
    assertEquals("[1, 2]", Fmt.text(List.of(1L, 2L)));
    Map<String, Object> engine = new LinkedHashMap<>();
    engine.put("b", 2L);
    engine.put("a", Optional.of("x"));
    assertEquals("a=x, b=2", Fmt.text(engine));
    assertEquals("a=x, b=2", Fmt.text(new java.util.TreeMap<>(Map.of("a", "x", "b", 2))));
    assertEquals("", Fmt.text(null));
  }
}
