package io.dime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.api.Explanation;
import io.dime.spi.View;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A heat map that colours only its largest weights says so under it, with how many of the non-zero
 * weights it colours: an uncoloured superpixel is not one without weight.
 */
class HeatmapColouredNoteTest {
  private static final List<String> MODS = List.of("image", "question");

  private static View heatmap(int topN, int[] coloured) {
    Map<String, Object> d =
        new LinkedHashMap<>(Fixtures.heatmap(Fixtures.png(8, 8), 8, 8, "UC image").data());
    d.put("topN", topN);
    d.put("coloredSegments", coloured);
    return new View("heatmap", d);
  }

  /** The notes under the UC image panel of the one card. */
  private static List<String> notes(View view) {
    Explanation line =
        Fixtures.explanation(
            "r",
            MODS,
            List.of(List.of("s0", "s1", "s2", "s3", "s4", "s5"), List.of("w0", "w1")),
            new double[] {1.0, -1.0},
            null,
            List.of(new Fixtures.ClassSpec(0, "yes", List.of("predicted"))),
            7);
    String html =
        HtmlReport.render(
            ReportInput.of(
                null, List.of(DatapointReport.builder(line).view(0, "image", "UC", view).build())));
    Matcher panel =
        Pattern.compile(
                "(?s)<div class=\"panel panel-uc\" data-class=\"0\" data-modality=\"image\""
                    + ".*?<div class=\"stats\">")
            .matcher(html);
    assertEquals(true, panel.find(), "the UC image panel");
    Matcher note =
        Pattern.compile("<p class=\"muted small coloured-note\">([^<]*)</p>")
            .matcher(panel.group());
    List<String> out = new java.util.ArrayList<>();
    while (note.find()) {
      out.add(note.group(1));
    }
    return out;
  }

  @Test
  void aHeatMapOfTheLargestWeightsSaysHowManyItColours() {
    assertEquals(
        List.of(
            "Coloured: the 2 features with the largest |weight| of 6 with a non-zero weight;"
                + " the others are left uncoloured."),
        notes(heatmap(2, new int[] {0, 2})));
  }

  @Test
  void aHeatMapOfEveryWeightHasNoNote() {
    assertEquals(List.of(), notes(heatmap(0, new int[] {0, 1, 2, 3, 4, 5})));
    assertEquals(List.of(), notes(heatmap(10, new int[] {0, 1, 2, 3, 4, 5})));
  }
}
