package io.dime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Explanation;
import io.dime.api.run.JobResult;
import io.dime.spi.FeatureSet;
import io.dime.spi.Palette;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's legend and bars are drawn in the palette the modalities set for their views: an image
 * modality with {@code palette: green_red} drew green and red heat maps under a legend of blue and
 * orange, so the legend read the wrong way round. The page now takes the palette the modalities
 * agree on and asks every view for it; when they set different ones, each view keeps its own and
 * the page says so; a palette the caller gives wins.
 */
class ReportPaletteTest {
  private static String page(Path dir, Palette given, StubModality... mods) throws Exception {
    List<String> names = new ArrayList<>();
    List<List<String>> features = new ArrayList<>();
    Map<String, FeatureSet<?>> fs = new LinkedHashMap<>();
    for (StubModality m : mods) {
      names.add(m.name);
      features.add(List.of("a@0", "b@2"));
      fs.put(m.name, m.features("a b"));
    }
    Explanation e =
        Fixtures.explanation(
            "x",
            names,
            features,
            new double[] {1.5, -1.5},
            null,
            List.of(new Fixtures.ClassSpec(0, "c0", List.of("predicted"))),
            3);
    Path file = dir.resolve("report.html");
    HtmlReportSink.Builder b = HtmlReportSink.builder(file, List.of(mods));
    if (given != null) {
      b.palette(given);
    }
    try (HtmlReportSink sink = b.build()) {
      sink.accept(new JobResult(JobResult.Status.EXPLAINED, 1, e, Optional.empty(), fs));
      sink.finish(null);
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static String legend(String html) {
    int at = html.indexOf(". Colours: ");
    assertTrue(at >= 0, "the page has its colour legend");
    return html.substring(at, html.indexOf("</p>", at));
  }

  @Test
  void theLegendAndEveryViewTakeThePaletteAModalitySets(@TempDir Path dir) throws Exception {
    StubModality image = new StubModality("image", "green_red");
    StubModality text = new StubModality("question", null);
    String html = page(dir, null, image, text);
    String legend = legend(html);
    assertTrue(legend.contains(Palette.GREEN_RED.positive()), legend);
    assertTrue(legend.contains(Palette.GREEN_RED.negative()), legend);
    assertFalse(legend.contains(Palette.DIVERGING.positive()), legend);
    assertFalse(image.asked.isEmpty());
    assertTrue(image.asked.stream().allMatch("green_red"::equals), image.asked.toString());
    assertTrue(text.asked.stream().allMatch("green_red"::equals), text.asked.toString());
  }

  @Test
  void modalitiesThatDisagreeKeepTheirOwnAndThePageSaysSo(@TempDir Path dir) throws Exception {
    StubModality left = new StubModality("left", "green_red");
    StubModality right = new StubModality("right", "diverging");
    String html = page(dir, null, left, right);
    assertTrue(legend(html).contains(Palette.DIVERGING.positive()));
    assertTrue(left.asked.stream().allMatch("null"::equals), left.asked.toString());
    assertTrue(right.asked.stream().allMatch("null"::equals), right.asked.toString());
    assertTrue(
        html.contains("the modalities set different palettes (left: green_red, right: diverging)"),
        "the page says why its legend may not match a view");
  }

  @Test
  void withoutAnySettingTheDefaultPaletteIsUsed(@TempDir Path dir) throws Exception {
    StubModality a = new StubModality("a", null);
    String html = page(dir, null, a);
    assertTrue(legend(html).contains(Palette.DIVERGING.positive()));
    assertFalse(html.contains("different palettes"));
  }

  @Test
  void aPaletteTheCallerGivesWins(@TempDir Path dir) throws Exception {
    StubModality image = new StubModality("image", "diverging");
    String html = page(dir, Palette.GREEN_RED, image);
    assertTrue(legend(html).contains(Palette.GREEN_RED.positive()));
    assertTrue(image.asked.stream().allMatch("green_red"::equals), image.asked.toString());
    assertEquals(-1, html.indexOf("different palettes"));
  }
}
