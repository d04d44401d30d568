package io.dime.spi;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings for one plugin component, as read from a pipeline file or given in code: plain JSON-like
 * values (String, Number, Boolean, List, Map). Typed getters fail with a message naming the
 * component, the key and what was found.
 *
 * @param component who the settings are for, used in messages ("modality 'image' (plugin image)");
 *     {@code "component"} when null
 * @param values the settings, copied in their order; empty when null
 * @since 0.1
 */
public record PluginConfig(String component, Map<String, Object> values) {
  /** Copies the settings, keeping their order; fills in the defaults for null arguments. */
  public PluginConfig {
    component = component == null ? "component" : component;
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values == null ? Map.of() : values));
  }

  /**
   * Empty settings.
   *
   * @param component who the settings are for, used in messages
   */
  public static PluginConfig empty(String component) {
    return new PluginConfig(component, Map.of());
  }

  /**
   * Settings from alternating keys and values: {@code of("c", "patches", 50, "method", "slic")}.
   *
   * @param component who the settings are for, used in messages
   * @param keysAndValues keys (strings) and their values, alternating
   * @throws IllegalArgumentException for an odd number of arguments
   * @throws ClassCastException for a key that is not a string
   */
  public static PluginConfig of(String component, Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must alternate");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return new PluginConfig(component, m);
  }

  /**
   * Fails when a key is not among the known ones, naming the unknown key and the known ones, so a
   * typo in a pipeline file is not silently ignored: {@code modality 'm': unknown setting 'sise';
   * known: [size]}.
   *
   * @param known the keys the component takes, not null
   * @return these settings
   * @throws IllegalArgumentException naming the first unknown key
   */
  public PluginConfig requireKnown(Set<String> known) {
    for (String k : values.keySet()) {
      if (!known.contains(k)) {
        throw new IllegalArgumentException(
            component + ": unknown setting '" + k + "'; known: " + new TreeSet<>(known));
      }
    }
    return this;
  }

  /**
   * A setting as given.
   *
   * @param key the setting
   * @return its value, or empty when it is not set
   */
  public Optional<Object> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /**
   * A setting as a string: a string as it is, a whole number ({@link Integer}, {@link Long}, {@link
   * Short}, {@link Byte}, {@link BigInteger}) as its decimal digits. Any other value is refused
   * rather than turned into its Java rendering, which may differ from what the pipeline file says:
   * a list or a map (a YAML sequence or mapping: {@code maskToken: [a, b]} is not the mask string
   * {@code "[a, b]"}), another number ({@code input: 1e3} would name a tensor "1000.0") and a
   * boolean ({@code input: yes} one "true"); the message says to write it in quotes.
   *
   * @param key the setting
   * @param dflt the value when it is not set; may be null
   * @return the value, or {@code dflt}
   * @throws IllegalArgumentException for another value, naming the component, the setting and what
   *     was found
   */
  public String getString(String key, String dflt) {
    Object v = values.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Collection<?> || v instanceof Map<?, ?> || v.getClass().isArray()) {
      throw new IllegalArgumentException(
          component
              + ": setting '"
              + key
              + "' must be one value (a string), found "
              + JsonValues.describe(v));
    }
    if (v instanceof Boolean) {
      throw new IllegalArgumentException(
          component
              + ": setting '"
              + key
              + "' must be a string, found "
              + v
              + ": YAML reads true, yes and on (false, no, off) as true (false); write a name in"
              + " quotes");
    }
    if (v instanceof Number
        && !(v instanceof Integer
            || v instanceof Long
            || v instanceof Short
            || v instanceof Byte
            || v instanceof BigInteger)) {
      throw new IllegalArgumentException(
          component
              + ": setting '"
              + key
              + "' must be a string, found the number "
              + v
              + ": a number with a fraction or an exponent (1e3, 1.50, .inf) is not read as"
              + " written; write a name in quotes");
    }
    return v.toString();
  }

  /**
   * A whole-number setting: a number without a fraction, or a string of one.
   *
   * @param key the setting
   * @param dflt the value when it is not set
   * @throws IllegalArgumentException for another value, naming the component and the setting
   */
  public int getInt(String key, int dflt) {
    Object v = values.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      // a whole number beyond int (3000000000, 1e20) would wrap around silently
      if (n.doubleValue() < Integer.MIN_VALUE || n.doubleValue() > Integer.MAX_VALUE) {
        throw bad(key, "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE, v);
      }
      return n.intValue();
    }
    if (v instanceof String s) {
      try {
        return Integer.parseInt(s.trim());
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw bad(key, "an integer", v);
  }

  /**
   * A number setting: a number, or a string of one.
   *
   * @param key the setting
   * @param dflt the value when it is not set
   * @throws IllegalArgumentException for another value, naming the component and the setting
   */
  public double getDouble(String key, double dflt) {
    Object v = values.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw bad(key, "a number", v);
  }

  /**
   * A true-or-false setting: a boolean, or the string {@code "true"} or {@code "false"}.
   *
   * @param key the setting
   * @param dflt the value when it is not set
   * @throws IllegalArgumentException for another value, naming the component and the setting
   */
  public boolean getBoolean(String key, boolean dflt) {
    Object v = values.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if ("true".equals(v) || "false".equals(v)) {
      return Boolean.parseBoolean((String) v);
    }
    throw bad(key, "true or false", v);
  }

  /**
   * A list of numbers, e.g. per-channel means.
   *
   * @param key the setting
   * @return a copy of the numbers, or empty when it is not set
   * @throws IllegalArgumentException for another value, naming the component and the setting
   */
  public Optional<double[]> getDoubles(String key) {
    Object v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof List<?> list) {
      double[] out = new double[list.size()];
      for (int i = 0; i < out.length; i++) {
        if (!(list.get(i) instanceof Number n)) {
          throw bad(key, "a list of numbers", v);
        }
        out[i] = n.doubleValue();
      }
      return Optional.of(out);
    }
    if (v instanceof double[] d) {
      return Optional.of(d.clone());
    }
    throw bad(key, "a list of numbers", v);
  }

  /**
   * One of the allowed words, case-insensitive, returned in lower case; a boolean is the word
   * {@code true} or {@code false} (a choice of {@code header: auto | true | false} takes {@code
   * header: false}); any other value is read as {@link #getString} reads it.
   *
   * @param key the setting
   * @param dflt the value when it is not set, not null
   * @param allowed the allowed words in lower case, not null
   * @throws IllegalArgumentException for another word, naming the component, the setting and the
   *     allowed words: {@code setting 'palette' is 'x'; allowed: [diverging, green_red]}
   */
  public String getChoice(String key, String dflt, Set<String> allowed) {
    Object v = values.get(key);
    String s =
        (v instanceof Boolean ? v.toString() : getString(key, dflt)).toLowerCase(Locale.ROOT);
    if (!allowed.contains(s)) {
      throw new IllegalArgumentException(
          component + ": setting '" + key + "' is '" + s + "'; allowed: " + new TreeSet<>(allowed));
    }
    return s;
  }

  private IllegalArgumentException bad(String key, String wanted, Object found) {
    return new IllegalArgumentException(
        component + ": setting '" + key + "' must be " + wanted + ", found '" + found + "'");
  }
}
