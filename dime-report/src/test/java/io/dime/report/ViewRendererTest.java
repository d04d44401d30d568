package io.dime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.spi.View;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Views made with exactly the keys {@link View}'s documentation lists for each kind are drawn with
 * them: a plugin author writes a view from that page alone, so the keys there are the ones the
 * report reads (each kind spells its colour-scale keys its own way).
 */
class ViewRendererTest {
  private static String render(View v) {
    StringBuilder sb = new StringBuilder();
    ViewRenderer.render(sb, v);
    return sb.toString();
  }

  private static int count(String s, String regex) {
    Matcher m = Pattern.compile(regex).matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void aSeriesViewDrawsItsChannelsBandsAndScale() {
    String html =
        render(
            new View(
                "series",
                Map.of(
                    "title",
                    "UC clip",
                    "length",
                    8,
                    "channels",
                    List.of(Map.of("name", "mono", "values", new double[8])),
                    "features",
                    List.of(
                        Map.of(
                            "channel", 0, "start", 0, "end", 4, "name", "f0", "weight", 0.5,
                            "colour", "#0072B2", "shaded", true),
                        Map.of(
                            "channel", 0, "start", 4, "end", 8, "name", "f1", "weight", -0.5,
                            "colour", "#E69F00", "shaded", false)),
                    "scale",
                    0.5,
                    "palette",
                    Map.of("negative", "#E69F00", "positive", "#0072B2"))));
    assertTrue(html.contains("<figcaption>UC clip</figcaption>"), html);
    assertEquals(1, count(html, "<rect class=\"band\""), "the band not shaded is left out");
    assertTrue(html.contains("fill=\"#0072B2\"><title>f0: 0.5"), html);
    assertTrue(html.contains(">mono ("), html);
    assertTrue(html.contains("#E69F00") && html.contains("class=\"line\""), html);
  }

  @Test
  void aTokensViewPlacesItsTokensByOffsetAndDrawsItsScale() {
    String html =
        render(
            new View(
                "tokens",
                Map.of(
                    "text", "a bag here",
                    "features",
                        List.of(
                            Map.of(
                                "name", "bag@2", "weight", 1.0, "colour", "#0072B2", "top", true,
                                "begin", 2, "end", 5)),
                    "maxAbsWeight", 1.0,
                    "negativeColour", "#E69F00",
                    "positiveColour", "#0072B2")));
    assertTrue(
        html.contains(
            "a <span class=\"tok top\" style=\"background:#0072B2;color:#FFFFFF\" title=\"bag@2"),
        html);
    assertTrue(html.contains(" here"), html);
  }

  /**
   * A word on a dark shade (the strongest positive weights' blue) is written in white: near-black
   * text on #0072B2 has a contrast of 3.2, under the 4.5 that small text needs, so the word that
   * matters most was the hardest to read. Light shades and the orange keep the page's text colour.
   */
  @Test
  void wordsOnDarkShadesAreWrittenInWhite() {
    assertTrue(Fmt.darkBackground("#0072B2"));
    assertTrue(Fmt.darkBackground("#D73027")); // green_red's red end
    assertTrue(Fmt.darkBackground("#000"));
    assertFalse(Fmt.darkBackground("#E69F00"));
    assertFalse(Fmt.darkBackground("#1A9850")); // green_red's green end: 4.5 against 3.7
    assertFalse(Fmt.darkBackground("#D8E9F3"));
    assertFalse(Fmt.darkBackground("#FFFFFF"));
    assertFalse(Fmt.darkBackground("blue"));
    String html =
        render(
            new View(
                "tokens",
                Map.of(
                    "text",
                    "a b",
                    "features",
                    List.of(
                        Map.of(
                            "name", "a@0", "weight", 0.2, "colour", "#D8E9F3", "begin", 0, "end",
                            1),
                        Map.of(
                            "name", "b@2", "weight", -1.0, "colour", "#E69F00", "begin", 2, "end",
                            3)))));
    assertFalse(html.contains("color:#FFFFFF"), html);
  }

  @Test
  void aBarsViewDrawsItsBarsWithValuesAndGreysTheOnesNotShown() {
    String html =
        render(
            new View(
                "bars",
                Map.of(
                    "bars",
                    List.of(
                        Map.of("name", "age", "weight", 0.7, "value", 42),
                        Map.of("field", "color", "weight", -0.1, "shown", false)),
                    "palette",
                    "green_red")));
    assertTrue(html.contains("age"), html);
    assertTrue(html.contains("42"), html);
    assertTrue(html.contains("color"), html);
    assertEquals(1, count(html, "class=\"dim\""), html);
  }

  /**
   * A series of a million steps is drawn by the lowest and highest value of each of {@link
   * ViewRenderer#SERIES_COLUMNS} columns, not by a million points: each of a report's views of it
   * wrote 14 MB, and a one-step spike still reaches its height. A gap still splits the line.
   */
  @Test
  void aLongSeriesIsDrawnByEachColumnsLowestAndHighestValue() {
    int n = 1_000_000;
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = Math.sin(i / 5000.0);
    }
    v[123_457] = 10;
    v[876_543] = -10;
    v[600_000] = Double.NaN;
    String html =
        render(
            new View(
                "series",
                Map.of(
                    "length",
                    n,
                    "channels",
                    List.of(Map.of("name", "long", "values", v)),
                    "features",
                    List.of())));
    Matcher m = Pattern.compile("<polyline class=\"line\" points=\"([^\"]*)\"").matcher(html);
    List<String> lines = new java.util.ArrayList<>();
    while (m.find()) {
      lines.add(m.group(1));
    }
    assertEquals(2, lines.size(), "the gap splits the line");
    String all = lines.get(0) + " " + lines.get(1);
    int points = all.split(" ").length;
    assertTrue(points <= 2 * ViewRenderer.SERIES_COLUMNS + 2, points + " points");
    assertTrue(points >= ViewRenderer.SERIES_COLUMNS, points + " points");
    // x = (i + 0.5) * 320 / n; y from 16 (the highest value) to 80 (the lowest)
    assertTrue(lines.get(0).startsWith("0.00,"), lines.get(0).substring(0, 40));
    assertTrue(all.contains(" 39.51,16.00 "), "the spike is drawn at its height");
    assertTrue(all.contains(" 280.49,80.00 "), "the dip is drawn at its depth");
    assertTrue(lines.get(1).endsWith(" 320.00," + Fmt.xy(16 + 64 - (v[n - 1] + 10) / 20 * 64)));
    assertTrue(html.length() < 100_000, html.length() + " characters");
  }

  /**
   * Bands and the line share one mapping: step i is the i-th of {@code length} equal cells, its
   * point at the cell's centre, so a band of steps [s, e) spans exactly the cells of its points,
   * each centred in its own. Before, bands used x = step * 320 / length and points x = i * 320 /
   * (length - 1): with 4 steps point 1 sat at 106.67, off the centre (120) of its band [80, 160].
   */
  @Test
  void aSeriesPointSitsAtTheCentreOfItsBand() {
    String html =
        render(
            new View(
                "series",
                Map.of(
                    "length",
                    4,
                    "channels",
                    List.of(Map.of("name", "c", "values", new double[] {0, 1, 2, 3})),
                    "features",
                    List.of(
                        Map.of("channel", 0, "start", 1, "end", 3, "name", "mid", "weight", 1.0),
                        Map.of(
                            "channel", 0, "start", 3, "end", 4, "name", "last", "weight", 1.0)))));
    Matcher line = Pattern.compile("<polyline class=\"line\" points=\"([^\"]*)\"").matcher(html);
    assertTrue(line.find(), html);
    List<String> xs = new java.util.ArrayList<>();
    for (String pt : line.group(1).split(" ")) {
      xs.add(pt.substring(0, pt.indexOf(',')));
    }
    assertEquals(List.of("40.00", "120.00", "200.00", "280.00"), xs, "cell centres, 80 wide");
    assertTrue(
        html.contains("<rect class=\"band\" x=\"80.00\" y=\"16.00\" width=\"160.00\""), html);
    assertTrue(
        html.contains("<rect class=\"band\" x=\"240.00\" y=\"16.00\" width=\"80.00\""), html);
  }
}
