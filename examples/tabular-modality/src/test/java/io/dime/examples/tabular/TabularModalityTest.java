package io.dime.examples.tabular;

import static io.dime.examples.tabular.TabularModalityContractTest.field;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ElementType;
import io.dime.api.InputException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import io.dime.spi.ReadContext;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Encoding, hiding, checking, views and settings of the tabular modality, case by case. */
class TabularModalityTest {
  private static final List<String> COLOURS = List.of("red", "green", "blue");

  private static TabularModality modality(Object... settings) {
    return new TabularModality("m", PluginConfig.of("modality 'm' (plugin tabular)", settings));
  }

  private static TabularModality colours(Object... more) {
    Object[] settings = new Object[more.length + 2];
    settings[0] = "fields";
    settings[1] =
        List.of(field("size", "numeric"), field("color", "categorical", "categories", COLOURS));
    System.arraycopy(more, 0, settings, 2, more.length);
    return modality(settings);
  }

  private static Record sized(double size, String color) {
    return Record.builder().number("size", size).category("color", color).build();
  }

  private static Record hideAll(Modality<Record> m, Record r, List<Object> pool) {
    FeatureSet<Record> fs = m.featurize(r, new PoolStatistics(pool), new SplittableRandom(1));
    return fs.apply(new boolean[fs.size()]);
  }

  @Test
  void encodesNumericsAsTheyAreAndCategoricalsOneHot() {
    TabularModality m =
        modality(
            "fields",
            List.of(
                field("age", "numeric"),
                field("color", "categorical", "categories", COLOURS),
                field("smoker", "categorical", "categories", List.of("no", "yes")),
                field("income", "numeric")),
            "input",
            "x");
    assertEquals(
        List.of(new TensorSpec("x", ElementType.FLOAT32, new long[] {7})), m.encoder().outputs());
    Record r =
        m.read(
            Map.of("age", 42.5, "color", "blue", "smoker", "yes", "income", -3),
            new ReadContext(Path.of("."), "r1"));
    Tensor t = m.encoder().encode(r).get(0);
    assertEquals("x", t.name());
    assertArrayEquals(new long[] {7}, t.shape());
    assertArrayEquals(new float[] {42.5f, 0, 0, 1, 0, 1, -3}, t.floats());

    Record hidden = hideAll(m, r, List.of());
    assertArrayEquals(
        new float[] {0, 1, 0, 0, 1, 0, 0}, m.encoder().encode(hidden).get(0).floats());
  }

  @Test
  void hiddenCategoryIsThePoolMode() {
    TabularModality m = colours();
    List<Object> pool =
        List.of(sized(1, "blue"), sized(2, "green"), sized(3, "blue"), sized(4, "red"));
    assertEquals(sized(0, "blue"), hideAll(m, sized(9, "red"), pool));
  }

  @Test
  void aTiedModeGoesToTheEarlierCategoryAndAnEmptyPoolToTheFirst() {
    TabularModality m = colours();
    assertEquals(
        "green",
        hideAll(
                m,
                sized(9, "red"),
                List.of(sized(1, "blue"), sized(2, "green"), sized(3, "blue"), sized(4, "green")))
            .category("color"));
    assertEquals("red", hideAll(m, sized(9, "blue"), List.of()).category("color"));
  }

  @Test
  void aMissingCategoryWinsOverThePoolMode() {
    TabularModality m =
        modality(
            "fields",
            List.of(
                field(
                    "color",
                    "categorical",
                    "categories",
                    List.of("red", "green", "blue", "none"),
                    "missing",
                    "none")));
    Record r = Record.builder().category("color", "red").build();
    List<Object> pool = List.of(r, r, r);
    assertEquals("none", hideAll(m, r, pool).category("color"));
  }

  @Test
  void numericBaselineIsZeroOrThePoolMean() {
    List<Object> pool = List.of(sized(1, "red"), sized(2, "red"), sized(6, "red"));
    assertEquals(0.0, hideAll(colours(), sized(9, "blue"), pool).number("size"));
    assertEquals(
        3.0, hideAll(colours("baseline", "pool_mean"), sized(9, "blue"), pool).number("size"));
    assertEquals(
        0.0, hideAll(colours("baseline", "pool_mean"), sized(9, "blue"), List.of()).number("size"));
  }

  @Test
  void partialMasksHideOnlyTheirFields() {
    TabularModality m = colours("baseline", "pool_mean");
    List<Object> pool = List.of(sized(2, "green"), sized(4, "green"));
    FeatureSet<Record> fs = m.featurize(sized(9, "red"), new PoolStatistics(pool), null);
    assertEquals(sized(9, "green"), fs.apply(new boolean[] {true, false}));
    assertEquals(sized(3, "red"), fs.apply(new boolean[] {false, true}));
    assertEquals(
        Map.of(
            "fields",
            List.of("size", "color"),
            "values",
            List.of(9.0, "red"),
            "hidden",
            List.of(3.0, "green")),
        fs.layout());
  }

  @Test
  void checkPutsFieldsInTheConfiguredOrderAndRejectsBadRecords() {
    TabularModality m = colours();
    Record reordered = Record.builder().category("color", "red").number("size", 2).build();
    Record checked = m.check(reordered, "r9");
    assertEquals(List.of("size", "color"), checked.fields());
    assertEquals(sized(2, "red"), checked);

    InputException e = assertThrows(InputException.class, () -> m.check(sized(2, "purple"), "r9"));
    assertTrue(e.getMessage().contains("record 'r9'"), e.getMessage());
    assertTrue(
        e.getMessage().contains("field 'color' has unknown category 'purple'"), e.getMessage());
  }

  @Test
  void viewIsBarsOfFieldValueAndWeightMarkingTheTopN() {
    TabularModality m = colours();
    FeatureSet<Record> fs = m.featurize(sized(2, "blue"), PoolStatistics.empty(), null);
    View v = m.view(fs, new double[] {0.1, -0.5}, new ViewOptions("diverging", 1, "t"));
    assertEquals("bars", v.kind());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> bars = (List<Map<String, Object>>) v.data().get("bars");
    List<Object> summary = new ArrayList<>();
    for (Map<String, Object> bar : bars) {
      summary.add(List.of(bar.get("field"), bar.get("value"), bar.get("weight"), bar.get("shown")));
    }
    assertEquals(
        List.of(List.of("size", 2.0, 0.1, false), List.of("color", "blue", -0.5, true)), summary);
  }

  @Test
  void badSettingsAreRejectedNamingThem() {
    assertMessage("setting 'fields' is required", () -> modality());
    assertMessage(
        "entry 0 ('c'): 'categories' must be a non-empty list",
        () -> modality("fields", List.of(field("c", "categorical"))));
    assertMessage(
        "entry 0 ('c'): 'type' is 'text'; allowed: [categorical, numeric]",
        () -> modality("fields", List.of(field("c", "text"))));
    assertMessage(
        "'missing' is 'none', not one of its categories [red, green, blue]",
        () ->
            modality(
                "fields",
                List.of(field("c", "categorical", "categories", COLOURS, "missing", "none"))));
    assertMessage(
        "entry 1 ('a'): field name is used twice",
        () -> modality("fields", List.of(field("a", "numeric"), field("a", "numeric"))));
    assertMessage(
        "entry 0: unknown key 'categorys'",
        () -> modality("fields", List.of(field("c", "categorical", "categorys", COLOURS))));
    assertMessage(
        "setting 'baseline' is 'mean'; allowed: [pool_mean, zero]",
        () -> colours("baseline", "mean"));
  }

  private static void assertMessage(String fragment, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertTrue(e.getMessage().startsWith("modality 'm' (plugin tabular)"), e.getMessage());
  }
}
