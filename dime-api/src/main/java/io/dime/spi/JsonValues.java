package io.dime.spi;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Describes a manifest field's value for an error message, in the user's terms (JSON), never
 * Java's: {@code a string "cat"}, {@code a number 3}, {@code an array of 3 entries [1, 2, 3]},
 * {@code an object {"a": 1}}. A modality's {@link Modality#read} gets fields as Jackson maps them
 * (a {@code Map} for an object, a {@code List} for an array, {@code String}, {@code Number}, {@code
 * Boolean}, {@code null}); a message built with {@link #describe} says what the user wrote.
 *
 * <p>The rendering stops after {@value #MAX_CHARS} characters without visiting the rest, so a field
 * of a million entries costs no more to describe than a short one.
 *
 * @since 0.3
 */
public final class JsonValues {
  /** The most characters of a value's rendering that a description carries. */
  public static final int MAX_CHARS = 60;

  private JsonValues() {}

  /**
   * What {@code value} is, in JSON's terms, with its start: {@code null}, {@code a boolean true},
   * {@code a number 2.5}, {@code a string "..."}, {@code an array of N entries [...]}, {@code an
   * object {...}}, {@code N bytes} for a byte array; anything else by its class.
   */
  public static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof byte[] b) {
      return b.length + " bytes";
    }
    String kind;
    if (value instanceof Boolean) {
      kind = "a boolean";
    } else if (value instanceof Number) {
      kind = "a number";
    } else if (value instanceof CharSequence) {
      kind = "a string";
    } else if (value instanceof Map<?, ?>) {
      kind = "an object";
    } else if (value instanceof Collection<?> c) {
      kind = "an array of " + entries(c.size());
    } else if (value.getClass().isArray()) {
      kind = "an array of " + entries(Array.getLength(value));
    } else {
      return "a " + value.getClass().getSimpleName();
    }
    StringBuilder out = new StringBuilder();
    boolean whole = render(value, out);
    if (!whole || out.length() > MAX_CHARS) {
      int cut = Math.min(out.length(), MAX_CHARS - 3);
      if (Character.isHighSurrogate(out.charAt(cut - 1))) {
        cut--; // not half a character
      }
      out.setLength(cut);
      out.append("...");
    }
    return kind + " " + out;
  }

  private static String entries(int n) {
    return n == 1 ? "1 entry" : n + " entries";
  }

  /** Writes {@code v} as JSON into {@code out}; false once past {@link #MAX_CHARS} (cut short). */
  private static boolean render(Object v, StringBuilder out) {
    if (out.length() > MAX_CHARS) {
      return false;
    }
    if (v == null || v instanceof Boolean || v instanceof Number) {
      out.append(v);
    } else if (v instanceof CharSequence s) {
      quote(s, out);
    } else if (v instanceof Map<?, ?> m) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          out.append(", ");
        }
        first = false;
        quote(String.valueOf(e.getKey()), out);
        out.append(": ");
        if (!render(e.getValue(), out)) {
          return false;
        }
      }
      out.append('}');
    } else if (v instanceof Collection<?> c) {
      out.append('[');
      Iterator<?> it = c.iterator();
      for (int i = 0; it.hasNext(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        if (!render(it.next(), out)) {
          return false;
        }
      }
      out.append(']');
    } else if (v.getClass().isArray()) {
      out.append('[');
      int n = Array.getLength(v);
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          out.append(", ");
        }
        if (!render(Array.get(v, i), out)) {
          return false;
        }
      }
      out.append(']');
    } else {
      out.append(v.getClass().getSimpleName());
    }
    return out.length() <= MAX_CHARS;
  }

  private static void quote(CharSequence s, StringBuilder out) {
    out.append('"');
    int n = Math.min(s.length(), MAX_CHARS + 1); // no more of a long string than can be shown
    for (int i = 0; i < n; i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (ch < 0x20) {
            out.append(String.format("\\u%04x", (int) ch));
          } else {
            out.append(ch);
          }
        }
      }
    }
    if (n == s.length()) {
      out.append('"');
    }
  }
}
