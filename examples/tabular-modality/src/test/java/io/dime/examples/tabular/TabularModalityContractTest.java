package io.dime.examples.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.spi.FeatureSet;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import io.dime.testkit.ModalityContract;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The tabular modality against the modality contract: two numeric and two categorical fields with a
 * pool-mean baseline and a three-record pool; in {@link MissingCategory} a zero baseline, an empty
 * pool and a configured {@code missing} category.
 */
class TabularModalityContractTest extends ModalityContract<Record> {

  static Map<String, Object> field(String name, String type, Object... more) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("name", name);
    f.put("type", type);
    for (int i = 0; i < more.length; i += 2) {
      f.put((String) more[i], more[i + 1]);
    }
    return f;
  }

  /** The sample as the manifest gives it; its values differ from every hidden value. */
  static Map<String, Object> sample() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("age", 61.5);
    m.put("income", 4200);
    m.put("color", "red");
    m.put("plan", "pro");
    return m;
  }

  /** A copy of the sample with one field changed (null value removes it). */
  static Map<String, Object> sampleWith(String field, Object value) {
    Map<String, Object> m = new HashMap<>(sample());
    if (value == null) {
      m.remove(field);
    } else {
      m.put(field, value);
    }
    return m;
  }

  @Override
  protected String pluginName() {
    return "tabular";
  }

  @Override
  protected PluginConfig config() {
    return PluginConfig.of(
        "modality 'm' (plugin tabular)",
        "fields",
        List.of(
            field("age", "numeric"),
            field("income", "numeric"),
            field("color", "categorical", "categories", List.of("red", "green", "blue")),
            field("plan", "categorical", "categories", List.of("basic", "plus", "pro"))),
        "baseline",
        "pool_mean",
        "input",
        "features");
  }

  /** Means age 40, income 2000; modes color green, plan basic. */
  @Override
  protected PoolStatistics pool() {
    return new PoolStatistics(
        List.of(
            poolRecord(30, 1000, "green", "basic"),
            poolRecord(50, 3000, "green", "pro"),
            poolRecord(40, 2000, "blue", "basic")));
  }

  static Record poolRecord(double age, double income, String color, String plan) {
    return Record.builder()
        .number("age", age)
        .number("income", income)
        .category("color", color)
        .category("plan", plan)
        .build();
  }

  @Override
  protected Object sampleField() {
    return sample();
  }

  @Override
  protected Map<String, Object> badFields() {
    Map<String, Object> nullAge = sampleWith("age", null);
    nullAge.put("age", null);
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("missing field 'plan'", sampleWith("plan", null));
    bad.put("field 'age' must be a number, found String 'old'", sampleWith("age", "old"));
    bad.put("field 'age' is null", nullAge);
    bad.put("field 'income' is NaN", sampleWith("income", Double.NaN));
    bad.put("field 'income' is Infinity (not finite)", sampleWith("income", 1.0 / 0));
    bad.put(
        "field 'color' has unknown category 'purple'; categories: [red, green, blue]",
        sampleWith("color", "purple"));
    bad.put("field 'plan' must be a category (a string), found Integer '3'", sampleWith("plan", 3));
    bad.put("unexpected field 'agee'", sampleWith("agee", 61));
    bad.put("expects a JSON object of fields [age, income, color, plan]", List.of(61.5, 4200));
    return bad;
  }

  @Override
  protected Optional<int[]> featureOwnership(FeatureSet<Record> features) {
    int[] owner = new int[features.size()];
    Arrays.setAll(owner, i -> i);
    return Optional.of(owner);
  }

  @Override
  protected Optional<List<?>> elements(Record value) {
    return Optional.of(new ArrayList<>(value.asMap().values()));
  }

  @Test
  void hiddenFieldsTakeThePoolMeanAndMode() {
    assertEquals(List.of("age", "income", "color", "plan"), features().names());
    assertEquals(
        poolRecord(40, 2000, "green", "basic"),
        features().apply(new boolean[] {false, false, false, false}));
  }

  /** A zero baseline, an empty pool, and a {@code missing} category for hidden grades. */
  @Nested
  class MissingCategory extends ModalityContract<Record> {
    @Override
    protected String pluginName() {
      return "tabular";
    }

    @Override
    protected String modalityName() {
      return "applicant";
    }

    @Override
    protected PluginConfig config() {
      return PluginConfig.of(
          "modality 'applicant' (plugin tabular)",
          "fields",
          List.of(
              field("x", "numeric"),
              field(
                  "grade",
                  "categorical",
                  "categories",
                  List.of("a", "b", "c", "unknown"),
                  "missing",
                  "unknown")));
    }

    @Override
    protected Object sampleField() {
      return Map.of("x", 2.5, "grade", "b");
    }

    @Override
    protected Map<String, Object> badFields() {
      Map<String, Object> bad = new LinkedHashMap<>();
      bad.put(
          "field 'grade' has unknown category 'd'; categories: [a, b, c, unknown]",
          Map.of("x", 1, "grade", "d"));
      bad.put("missing field 'x'; the fields are [x, grade]", Map.of("grade", "a"));
      bad.put("expects a JSON object of fields [x, grade], found String", "x=1,grade=a");
      return bad;
    }

    @Override
    protected Optional<int[]> featureOwnership(FeatureSet<Record> features) {
      return Optional.of(new int[] {0, 1});
    }

    @Override
    protected Optional<List<?>> elements(Record value) {
      return Optional.of(new ArrayList<>(value.asMap().values()));
    }

    @Test
    void hiddenFieldsTakeZeroAndTheMissingCategory() {
      Record hidden = features().apply(new boolean[] {false, false});
      assertEquals(0.0, hidden.number("x"));
      assertEquals("unknown", hidden.category("grade"));
    }
  }
}
