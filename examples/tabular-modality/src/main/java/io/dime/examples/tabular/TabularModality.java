package io.dime.examples.tabular;

import static java.util.Objects.requireNonNull;

import io.dime.api.ElementType;
import io.dime.api.FeatureMap;
import io.dime.api.InputException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.Encoder;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.Palette;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import io.dime.spi.ReadContext;
import io.dime.spi.SamplingHints;
import io.dime.spi.View;
import io.dime.spi.ViewKit;
import io.dime.spi.ViewOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The {@code tabular} modality: a {@link Record} of named numeric and categorical fields; each
 * field is one feature. A hidden numeric field takes a baseline (0, or its mean over the reference
 * pool); a hidden categorical field takes the pool's most frequent category, or a configured {@code
 * missing} category. Encodes to one FLOAT32 tensor [n]: numerics as they are, categoricals one-hot,
 * in the order of the {@code fields} setting.
 *
 * <p>Settings:
 *
 * <ul>
 *   <li>{@code fields} (required): a list of field specifications, each a map with {@code name},
 *       {@code type} ({@code "numeric"} or {@code "categorical"}) and, for categoricals, {@code
 *       categories} (the distinct values, in one-hot order) and optionally {@code missing} (one of
 *       the categories; hidden values take it instead of the pool's most frequent one).
 *   <li>{@code baseline}: the hidden value of numeric fields, {@code "zero"} (default) or {@code
 *       "pool_mean"} (0 when the pool is empty).
 *   <li>{@code input}: the model input the encoder fills; default the modality's name.
 * </ul>
 *
 * <p>The most frequent category breaks ties by the order of {@code categories}; with an empty pool
 * it is the first category.
 */
public final class TabularModality implements Modality<Record> {
  /** Every setting the modality takes. */
  public static final Set<String> SETTINGS = Set.of("fields", "baseline", "input");

  /** Every key of one field specification. */
  static final Set<String> FIELD_KEYS = Set.of("name", "type", "categories", "missing");

  private final String name;
  private final List<Field> fields;
  private final List<String> fieldNames;
  private final String baseline;
  private final String input;
  private final int width;
  private volatile Hidden cached;

  /**
   * One configured field.
   *
   * @param name the field name (also the feature name)
   * @param numeric true for a number, false for a category
   * @param categories the categories in one-hot order; empty for a numeric field
   * @param missing the category a hidden value takes, or null for the pool's most frequent one
   */
  record Field(String name, boolean numeric, List<String> categories, String missing) {
    String type() {
      return numeric ? "numeric" : "categorical";
    }
  }

  /** The hidden value of each field for one pool, cached for the pool it was computed from. */
  private record Hidden(List<Object> pool, Object[] values) {}

  /**
   * Creates the modality.
   *
   * @param name the modality's name (the manifest field it reads), not null
   * @param config its settings, not null
   * @throws IllegalArgumentException for an unknown, missing or bad setting, naming it
   */
  public TabularModality(String name, PluginConfig config) {
    this.name = requireNonNull(name, "name is null");
    requireNonNull(config, "config is null");
    config.requireKnown(SETTINGS);
    this.fields = parseFields(config);
    this.fieldNames = fields.stream().map(Field::name).toList();
    this.baseline = config.getChoice("baseline", "zero", Set.of("zero", "pool_mean"));
    this.input = config.getString("input", name);
    if (input.isBlank()) {
      throw new IllegalArgumentException(config.component() + ": setting 'input' is blank");
    }
    this.width = fields.stream().mapToInt(f -> f.numeric() ? 1 : f.categories().size()).sum();
  }

  private static List<Field> parseFields(PluginConfig config) {
    String who = config.component() + ": setting 'fields'";
    Object v =
        config
            .get("fields")
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        who
                            + " is required: a list of {name, type: numeric|categorical,"
                            + " categories: [...]}"));
    if (!(v instanceof List<?> list) || list.isEmpty()) {
      throw new IllegalArgumentException(
          who + " must be a non-empty list of field specifications, found '" + v + "'");
    }
    List<Field> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String at = who + " entry " + i;
      if (!(list.get(i) instanceof Map<?, ?> spec)) {
        throw new IllegalArgumentException(at + " must be a map, found '" + list.get(i) + "'");
      }
      for (Object key : spec.keySet()) {
        if (!FIELD_KEYS.contains(key)) {
          throw new IllegalArgumentException(
              at + ": unknown key '" + key + "'; known: " + new TreeSet<>(FIELD_KEYS));
        }
      }
      if (!(spec.get("name") instanceof String fieldName) || fieldName.isBlank()) {
        throw new IllegalArgumentException(at + ": 'name' must be a non-blank string");
      }
      at = who + " entry " + i + " ('" + fieldName + "')";
      if (!names.add(fieldName)) {
        throw new IllegalArgumentException(at + ": field name is used twice");
      }
      Object type = spec.get("type");
      if ("numeric".equals(type)) {
        if (spec.containsKey("categories") || spec.containsKey("missing")) {
          throw new IllegalArgumentException(
              at + ": 'categories' and 'missing' apply to categorical fields only");
        }
        out.add(new Field(fieldName, true, List.of(), null));
      } else if ("categorical".equals(type)) {
        List<String> categories = categories(at, spec.get("categories"));
        Object missing = spec.get("missing");
        if (missing != null && !categories.contains(missing)) {
          throw new IllegalArgumentException(
              at + ": 'missing' is '" + missing + "', not one of its categories " + categories);
        }
        out.add(new Field(fieldName, false, categories, (String) missing));
      } else {
        throw new IllegalArgumentException(
            at + ": 'type' is '" + type + "'; allowed: [categorical, numeric]");
      }
    }
    return List.copyOf(out);
  }

  private static List<String> categories(String at, Object v) {
    if (!(v instanceof List<?> list) || list.isEmpty()) {
      throw new IllegalArgumentException(
          at + ": 'categories' must be a non-empty list of strings, found '" + v + "'");
    }
    List<String> out = new ArrayList<>();
    for (Object c : list) {
      if (!(c instanceof String s) || s.isBlank()) {
        throw new IllegalArgumentException(
            at + ": 'categories' must hold non-blank strings, found '" + c + "'");
      }
      if (out.contains(s)) {
        throw new IllegalArgumentException(at + ": category '" + s + "' is listed twice");
      }
      out.add(s);
    }
    return List.copyOf(out);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return TabularModalityFactory.NAME;
  }

  @Override
  public Class<Record> valueType() {
    return Record.class;
  }

  /** Reads a record from a JSON object (a {@link Map}) holding exactly the configured fields. */
  @Override
  public Record read(Object field, ReadContext context) {
    requireNonNull(context, "context is null");
    if (!(field instanceof Map<?, ?> map)) {
      throw new InputException(
          context.recordId(),
          "modality '"
              + name
              + "' expects a JSON object of fields "
              + fieldNames
              + ", found "
              + describe(field));
    }
    return conform(map, context.recordId());
  }

  /** Checks a record built in code against the configured fields. */
  @Override
  public Record check(Object value, String recordId) {
    if (!(value instanceof Record r)) {
      throw new InputException(
          recordId,
          "modality '"
              + name
              + "' expects a Record, found "
              + (value == null ? "null" : value.getClass().getSimpleName()));
    }
    return conform(r.asMap(), recordId);
  }

  /**
   * A record with exactly the configured fields, in their order, from a map of field values.
   *
   * @throws InputException naming the record and the field for a missing or unexpected field, a
   *     value of the wrong type, an unknown category, or a number that is not finite
   */
  private Record conform(Map<?, ?> source, String recordId) {
    for (Object key : source.keySet()) {
      if (!(key instanceof String k) || !fieldNames.contains(k)) {
        throw bad(recordId, "unexpected field '" + key + "'; the fields are " + fieldNames);
      }
    }
    LinkedHashMap<String, Object> values = new LinkedHashMap<>();
    for (Field f : fields) {
      String at = "field '" + f.name() + "'";
      if (!source.containsKey(f.name())) {
        throw bad(recordId, "missing field '" + f.name() + "'; the fields are " + fieldNames);
      }
      Object v = source.get(f.name());
      if (v == null) {
        throw bad(recordId, at + " is null");
      }
      if (f.numeric()) {
        if (!(v instanceof Number n)) {
          throw bad(recordId, at + " must be a number, found " + describe(v));
        }
        double d = n.doubleValue();
        if (Double.isNaN(d)) {
          throw bad(recordId, at + " is NaN (not a number)");
        }
        if (Double.isInfinite(d)) {
          throw bad(recordId, at + " is " + d + " (not finite)");
        }
        values.put(f.name(), d);
      } else {
        if (!(v instanceof String s)) {
          throw bad(recordId, at + " must be a category (a string), found " + describe(v));
        }
        if (!f.categories().contains(s)) {
          throw bad(
              recordId, at + " has unknown category '" + s + "'; categories: " + f.categories());
        }
        values.put(f.name(), s);
      }
    }
    return Record.trusted(values);
  }

  private InputException bad(String recordId, String problem) {
    return new InputException(recordId, "modality '" + name + "': " + problem);
  }

  private static String describe(Object o) {
    if (o == null) {
      return "null";
    }
    String s = String.valueOf(o);
    if (s.length() > 60) {
      s = s.substring(0, 57) + "...";
    }
    return o.getClass().getSimpleName() + " '" + s + "'";
  }

  /** The hidden value of each field for a pool (computed once per pool). */
  Object[] hiddenValues(PoolStatistics pool) {
    Hidden h = cached;
    if (h == null || h.pool() != pool.values()) {
      h = new Hidden(pool.values(), computeHidden(pool.values()));
      cached = h;
    }
    return h.values();
  }

  private Object[] computeHidden(List<Object> pool) {
    List<Record> records = new ArrayList<>(pool.size());
    for (int i = 0; i < pool.size(); i++) {
      if (!(pool.get(i) instanceof Record r)) {
        throw new InputException(
            null,
            "modality '"
                + name
                + "': pool value "
                + i
                + " is "
                + (pool.get(i) == null ? "null" : "a " + pool.get(i).getClass().getSimpleName())
                + ", not a Record");
      }
      records.add(r);
    }
    Object[] hidden = new Object[fields.size()];
    for (int k = 0; k < fields.size(); k++) {
      Field f = fields.get(k);
      if (f.numeric()) {
        double mean = 0;
        if (baseline.equals("pool_mean")) {
          for (Record r : records) {
            mean += poolValue(r, f, Double.class) / records.size();
          }
        }
        hidden[k] = mean;
      } else if (f.missing() != null) {
        hidden[k] = f.missing();
      } else {
        int[] counts = new int[f.categories().size()];
        for (Record r : records) {
          int c = f.categories().indexOf(poolValue(r, f, String.class));
          if (c >= 0) {
            counts[c]++;
          }
        }
        int mode = 0;
        for (int c = 1; c < counts.length; c++) {
          if (counts[c] > counts[mode]) {
            mode = c;
          }
        }
        hidden[k] = f.categories().get(mode);
      }
    }
    return hidden;
  }

  private <T> T poolValue(Record r, Field f, Class<T> type) {
    Object v = r.get(f.name()).orElse(null);
    if (!type.isInstance(v)) {
      throw new InputException(
          null,
          "modality '"
              + name
              + "': a pool record has no "
              + f.type()
              + " field '"
              + f.name()
              + "': "
              + r);
    }
    return type.cast(v);
  }

  @Override
  public FeatureSet<Record> featurize(Record value, PoolStatistics pool, SplittableRandom rng) {
    requireNonNull(value, "value is null");
    requireNonNull(pool, "pool is null");
    Object[] shown = new Object[fields.size()];
    for (int k = 0; k < shown.length; k++) {
      shown[k] = value.get(fields.get(k).name()).orElse(null);
    }
    Object[] hidden = hiddenValues(pool);
    return new Features(value, fieldNames, shown, hidden);
  }

  /** One feature per field; immutable, so safe to use from several threads. */
  private static final class Features implements FeatureSet<Record> {
    private final Record value;
    private final List<String> names;
    private final Object[] shown;
    private final Object[] hidden;

    Features(Record value, List<String> names, Object[] shown, Object[] hidden) {
      this.value = value;
      this.names = names;
      this.shown = shown;
      this.hidden = hidden;
    }

    @Override
    public Record value() {
      return value;
    }

    @Override
    public int size() {
      return names.size();
    }

    @Override
    public List<String> names() {
      return names;
    }

    @Override
    public Record apply(boolean[] keep) {
      if (keep.length != names.size()) {
        throw new IllegalArgumentException(
            "mask of " + keep.length + " entries for " + names.size() + " features");
      }
      LinkedHashMap<String, Object> out = new LinkedHashMap<>();
      for (int k = 0; k < keep.length; k++) {
        out.put(names.get(k), keep[k] ? shown[k] : hidden[k]);
      }
      return Record.trusted(out);
    }

    @Override
    public Map<String, Object> layout() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("fields", names);
      m.put("values", List.of(shown));
      m.put("hidden", List.of(hidden));
      return m;
    }

    /** Feature k is field k, in the order of the schema. */
    @Override
    public Optional<FeatureMap> featureMap() {
      return Optional.of(FeatureMap.Entries.identity(names.size()));
    }
  }

  @Override
  public Encoder<Record> encoder() {
    List<TensorSpec> outputs =
        List.of(new TensorSpec(input, ElementType.FLOAT32, new long[] {width}));
    return new Encoder<>() {
      @Override
      public List<TensorSpec> outputs() {
        return outputs;
      }

      @Override
      public List<Tensor> encode(Record value) {
        return List.of(Tensor.ofFloats(input, new long[] {width}, encodeRow(value)));
      }
    };
  }

  /** Numerics as they are, categoricals one-hot in the order of their categories. */
  private float[] encodeRow(Record r) {
    float[] row = new float[width];
    int at = 0;
    for (Field f : fields) {
      Object v = r.get(f.name()).orElse(null);
      if (f.numeric()) {
        if (!(v instanceof Double d)) {
          throw bad(null, "cannot encode " + r + ": no numeric field '" + f.name() + "'");
        }
        row[at++] = (float) d.doubleValue();
      } else {
        int c = f.categories().indexOf(v);
        if (c < 0) {
          throw bad(
              null,
              "cannot encode " + r + ": field '" + f.name() + "' is not one of " + f.categories());
        }
        row[at + c] = 1f;
        at += f.categories().size();
      }
    }
    return row;
  }

  @Override
  public SamplingHints samplingHints() {
    return SamplingHints.DENSE;
  }

  /**
   * A {@code "bars"} view: one bar per field with its value and weight, plain data. With {@link
   * ViewOptions#topN()} above 0, only the n fields with the largest absolute weights are marked
   * {@code shown}.
   */
  @Override
  public View view(FeatureSet<Record> features, double[] weights, ViewOptions options) {
    ViewKit.checkWeights(name, features, weights, options);
    boolean[] shown = options.shown(weights);
    List<Map<String, Object>> bars = new ArrayList<>();
    for (int k = 0; k < weights.length; k++) {
      String field = features.names().get(k);
      Map<String, Object> bar = new LinkedHashMap<>();
      bar.put("field", field);
      bar.put("type", fields.get(k).type());
      bar.put("value", features.value().get(field).orElse(null));
      bar.put("weight", weights[k]);
      bar.put("shown", shown[k]);
      bars.add(bar);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("title", options.title() == null ? "" : options.title());
    data.put("palette", options.palette(Palette.DIVERGING).id());
    data.put("top_n", options.topN());
    data.put("bars", bars);
    return new View("bars", data);
  }

  @Override
  public Map<String, Object> provenance() {
    List<Map<String, Object>> specs = new ArrayList<>();
    for (Field f : fields) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("name", f.name());
      s.put("type", f.type());
      if (!f.numeric()) {
        s.put("categories", f.categories());
        if (f.missing() != null) {
          s.put("missing", f.missing());
        }
      }
      specs.add(s);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fields", specs);
    m.put("baseline", baseline);
    m.put("input", input);
    return m;
  }
}
