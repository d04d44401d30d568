package io.dime.examples.tabular;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable tabular record: field names in a fixed order, each with a numeric value (a finite
 * {@link Double}) or a categorical one (a {@link String}). Two records are equal when they have the
 * same fields in the same order with equal values.
 *
 * <p>The name shadows {@link java.lang.Record} inside this package only; callers import it as
 * {@code io.dime.examples.tabular.Record}.
 */
public final class Record {
  private final Map<String, Object> values;
  private final List<String> fields;

  private Record(LinkedHashMap<String, Object> values) {
    this.values = Collections.unmodifiableMap(values);
    this.fields = List.copyOf(values.keySet());
  }

  /**
   * A record from its fields, in the map's iteration order (copied).
   *
   * @param fields field name to value: a finite number (any {@link Number}, stored as a {@link
   *     Double}) or a category ({@link String}); not null
   * @throws IllegalArgumentException for a blank name, a null value, a value of another type, or a
   *     number that is not finite
   */
  public static Record of(Map<String, ?> fields) {
    requireNonNull(fields, "fields is null");
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : fields.entrySet()) {
      copy.put(checkName(e.getKey()), checkValue(e.getKey(), e.getValue()));
    }
    return new Record(copy);
  }

  /** A builder that keeps the order in which fields are added. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Wraps a map this package built and checked, without copying it; the caller no longer changes
   * it.
   */
  static Record trusted(LinkedHashMap<String, Object> values) {
    return new Record(values);
  }

  private static String checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a field name is blank or null");
    }
    return name;
  }

  private static Object checkValue(String name, Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("field '" + name + "' is " + d + " (not finite)");
      }
      return d;
    }
    throw new IllegalArgumentException(
        "field '"
            + name
            + "' must be a number or a category (String), found "
            + (value == null ? "null" : value.getClass().getSimpleName()));
  }

  /** The field names, in order. */
  public List<String> fields() {
    return fields;
  }

  /** Number of fields. */
  public int size() {
    return fields.size();
  }

  /** The value of a field ({@link Double} or {@link String}), if the record has it. */
  public Optional<Object> get(String field) {
    return Optional.ofNullable(values.get(field));
  }

  /**
   * A numeric field's value.
   *
   * @throws IllegalArgumentException if the record has no such field or it is categorical
   */
  public double number(String field) {
    if (values.get(field) instanceof Double d) {
      return d;
    }
    throw new IllegalArgumentException("field '" + field + "' is not a numeric field of " + this);
  }

  /**
   * A categorical field's value.
   *
   * @throws IllegalArgumentException if the record has no such field or it is numeric
   */
  public String category(String field) {
    if (values.get(field) instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException(
        "field '" + field + "' is not a categorical field of " + this);
  }

  /** The fields and values, in order, as an unmodifiable map. */
  public Map<String, Object> asMap() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Record r && fields.equals(r.fields) && values.equals(r.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>(fields.size());
    values.forEach((k, v) -> parts.add(k + "=" + v));
    return "Record" + parts;
  }

  /** Builds a {@link Record} field by field. Not thread-safe. */
  public static final class Builder {
    private final LinkedHashMap<String, Object> values = new LinkedHashMap<>();

    private Builder() {}

    /** Adds a numeric field; fails on a duplicate name or a value that is not finite. */
    public Builder number(String field, double value) {
      return put(field, value);
    }

    /** Adds a categorical field; fails on a duplicate name or a null category. */
    public Builder category(String field, String value) {
      return put(field, requireNonNull(value, "category of '" + field + "' is null"));
    }

    private Builder put(String field, Object value) {
      checkName(field);
      if (values.containsKey(field)) {
        throw new IllegalArgumentException("field '" + field + "' is added twice");
      }
      values.put(field, checkValue(field, value));
      return this;
    }

    /** The record; the builder may go on to build others. */
    public Record build() {
      return new Record(new LinkedHashMap<>(values));
    }
  }
}
