package io.dime.core.modality;

import io.dime.api.InputException;
import io.dime.spi.JsonValues;
import io.dime.spi.PluginConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The columns of a {@link TableModality}, as its {@code columns} setting gives them, and the checks
 * of one record's values against them.
 */
final class TableColumns {
  /** What a column holds, and so what its model input takes. */
  enum Type {
    /** A real number: FLOAT32 [1]. */
    NUMBER,
    /** A whole number: INT64 [1]. */
    INTEGER,
    /** A category's name: the text itself, for a STRING input ([batch, 1] or [batch]). */
    CATEGORY
  }

  /**
   * One column.
   *
   * @param fill what a hidden entry becomes, or null for the baseline's choice
   */
  record Column(String name, String input, Type type, Object fill) {
    Map<String, Object> asMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", name);
      m.put("input", input);
      m.put("type", type.name().toLowerCase(java.util.Locale.ROOT));
      if (fill != null) {
        m.put("fill", fill);
      }
      return m;
    }
  }

  private static final Set<String> KEYS = Set.of("name", "input", "type", "fill");

  private TableColumns() {}

  /** The {@code columns} setting: a name (a number column) or {name, input, type, fill} each. */
  static List<Column> parse(PluginConfig config, int maxLength) {
    String who = config.component();
    Object v = config.get("columns").orElse(null);
    if (!(v instanceof List<?> list) || list.isEmpty()) {
      throw new IllegalArgumentException(
          who + ": 'columns' must be a list of columns (a name, or {name, input, type, fill})");
    }
    List<Column> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> inputs = new HashSet<>();
    for (Object o : list) {
      String at = who + ": 'columns' entry " + out.size();
      Column c = column(o, at, maxLength);
      if (!names.add(c.name()) || !inputs.add(c.input())) {
        throw new IllegalArgumentException(at + ": its name or input is another column's too");
      }
      out.add(c);
    }
    return List.copyOf(out);
  }

  private static Column column(Object o, String at, int maxLength) {
    if (o instanceof String s && !s.isBlank()) {
      return new Column(s, s, Type.NUMBER, null);
    }
    if (!(o instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(
          at + " must be a name or {name, input, type, fill}, found " + JsonValues.describe(o));
    }
    for (Object k : m.keySet()) {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException(at + ": unknown key '" + k + "'; keys: " + KEYS);
      }
    }
    if (!(m.get("name") instanceof String name) || name.isBlank()) {
      throw new IllegalArgumentException(at + ": 'name' must be a non-empty string");
    }
    Object in = m.containsKey("input") ? m.get("input") : name;
    if (!(in instanceof String input) || input.isBlank()) {
      throw new IllegalArgumentException(at + ": 'input' must be a non-empty string");
    }
    Object t = m.containsKey("type") ? m.get("type") : "number";
    Type type =
        switch (String.valueOf(t)) {
          case "number" -> Type.NUMBER;
          case "integer" -> Type.INTEGER;
          case "category" -> Type.CATEGORY;
          default ->
              throw new IllegalArgumentException(
                  at + ": 'type' is '" + t + "'; allowed: number, integer, category");
        };
    Object fill = m.get("fill");
    if (fill != null) {
      try {
        fill = value(new Column(name, input, type, null), fill, maxLength);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + ": 'fill' " + e.getMessage(), e);
      }
    }
    return new Column(name, input, type, fill);
  }

  /**
   * A record's values, from an object keyed by column names or an array in column order.
   *
   * @throws InputException naming the record, the modality and the column
   */
  static List<Object> read(
      String modality, List<Column> columns, Object field, String recordId, int maxLength) {
    List<Object> raw = new ArrayList<>();
    if (field instanceof Map<?, ?> map) {
      for (Column c : columns) {
        if (!map.containsKey(c.name())) {
          throw new InputException(
              recordId, "modality '" + modality + "' column '" + c.name() + "' is missing");
        }
        raw.add(map.get(c.name()));
      }
      Map<Object, Boolean> known = new HashMap<>();
      columns.forEach(c -> known.put(c.name(), true));
      for (Object k : map.keySet()) {
        if (!known.containsKey(k)) {
          throw new InputException(
              recordId,
              "modality '"
                  + modality
                  + "' has no column '"
                  + k
                  + "'; its columns: "
                  + columns.stream().map(Column::name).toList());
        }
      }
    } else if (field instanceof List<?> list) {
      if (list.size() != columns.size()) {
        throw new InputException(
            recordId,
            "modality '"
                + modality
                + "' has "
                + list.size()
                + " values; expected "
                + columns.size()
                + " (one a column)");
      }
      raw.addAll(list);
    } else {
      throw new InputException(
          recordId,
          "modality '"
              + modality
              + "' expects an object keyed by its columns or an array in their order, found "
              + JsonValues.describe(field));
    }
    return check(modality, columns, raw, recordId, maxLength);
  }

  /** The values checked against the columns: Double, Long or String each. */
  static List<Object> check(
      String modality, List<Column> columns, List<?> raw, String recordId, int maxLength) {
    List<Object> out = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      try {
        out.add(value(c, raw.get(i), maxLength));
      } catch (IllegalArgumentException e) {
        throw new InputException(
            recordId, "modality '" + modality + "' column '" + c.name() + "' " + e.getMessage());
      }
    }
    return List.copyOf(out);
  }

  /** One value for column c: a finite Double, a Long, or a String of at most maxLength chars. */
  private static Object value(Column c, Object v, int maxLength) {
    switch (c.type()) {
      case NUMBER -> {
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
          throw new IllegalArgumentException("must be a finite number, found " + describe(v));
        }
        return n.doubleValue();
      }
      case INTEGER -> {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
          return ((Number) v).longValue(); // exact: 2^63 - 1 is no double below 2^63
        }
        if (v instanceof java.math.BigInteger b && b.bitLength() < 64) {
          return b.longValue();
        }
        if (v instanceof Number n) {
          double d = n.doubleValue();
          if (d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63) {
            return n.longValue();
          }
          if (Double.isFinite(d) && d == Math.rint(d)) { // 1e19: whole, beyond int64
            throw new IllegalArgumentException(
                "must be a whole number from -2^63 to 2^63 - 1, found " + describe(v));
          }
        }
        throw new IllegalArgumentException("must be a whole number, found " + describe(v));
      }
      default -> {
        if (!(v instanceof String s)) {
          throw new IllegalArgumentException("must be a string (a category), found " + describe(v));
        }
        if (s.length() > maxLength) {
          throw new IllegalArgumentException(
              "has " + s.length() + " characters; at most maxLength (" + maxLength + ")");
        }
        return s;
      }
    }
  }

  private static String describe(Object v) {
    return v instanceof Double || v instanceof Long ? "a number " + v : JsonValues.describe(v);
  }
}
