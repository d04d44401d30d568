package io.dime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Explanation;
import io.dime.api.run.JobResult;
import io.dime.spi.Encoder;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.Palette;
import io.dime.spi.PoolStatistics;
import io.dime.spi.ReadContext;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
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
  /** A two-feature modality whose provenance may name a palette; records the palettes asked. */
  static final class Painted implements Modality<String> {
    final String name;
    final String palette;
    final List<String> asked = new ArrayList<>();

    Painted(String name, String palette) {
      this.name = name;
      this.palette = palette;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String kind() {
      return "painted";
    }

    @Override
    public Class<String> valueType() {
      return String.class;
    }

    @Override
    public String read(Object field, ReadContext context) {
      return (String) field;
    }

    @Override
    public FeatureSet<String> featurize(String value, PoolStatistics pool, SplittableRandom rng) {
      return new FeatureSet<>() {
        @Override
        public String value() {
          return value;
        }

        @Override
        public int size() {
          return 2;
        }

        @Override
        public List<String> names() {
          return List.of("a@0", "b@2");
        }

        @Override
        public String apply(boolean[] keep) {
          return value;
        }
      };
    }

    @Override
    public Encoder<String> encoder() {
      throw new UnsupportedOperationException();
    }

    @Override
    public View view(FeatureSet<String> features, double[] weights, ViewOptions options) {
      asked.add(String.valueOf(options.palette()));
      Palette p = options.palette(palette == null ? Palette.DIVERGING : Palette.of(palette));
      return new View("generic", Map.of("colour", p.positive()));
    }

    @Override
    public Map<String, Object> provenance() {
      Map<String, Object> m = new LinkedHashMap<>();
      if (palette != null) {
        m.put("palette", palette);
      }
      return m;
    }
  }

  private static String page(Path dir, Palette given, Painted... mods) throws Exception {
    List<String> names = new ArrayList<>();
    List<List<String>> features = new ArrayList<>();
    Map<String, FeatureSet<?>> fs = new LinkedHashMap<>();
    for (Painted m : mods) {
      names.add(m.name);
      features.add(List.of("a@0", "b@2"));
      fs.put(m.name, m.featurize("a b", PoolStatistics.empty(), new SplittableRandom(1)));
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
    Painted image = new Painted("image", "green_red");
    Painted text = new Painted("question", null);
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
    Painted left = new Painted("left", "green_red");
    Painted right = new Painted("right", "diverging");
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
    Painted a = new Painted("a", null);
    String html = page(dir, null, a);
    assertTrue(legend(html).contains(Palette.DIVERGING.positive()));
    assertFalse(html.contains("different palettes"));
  }

  @Test
  void aPaletteTheCallerGivesWins(@TempDir Path dir) throws Exception {
    Painted image = new Painted("image", "diverging");
    String html = page(dir, Palette.GREEN_RED, image);
    assertTrue(legend(html).contains(Palette.GREEN_RED.positive()));
    assertTrue(image.asked.stream().allMatch("green_red"::equals), image.asked.toString());
    assertEquals(-1, html.indexOf("different palettes"));
  }
}
