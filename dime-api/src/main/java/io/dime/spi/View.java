package io.dime.spi;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An explanation made visible, as plain data: an image heat map as PNG bytes with its colour scale,
 * tokens with weights and offsets, a series with weighted bands. Never HTML: the report renders
 * views and is the one place that escapes text.
 *
 * @param kind what the renderer should draw: "heatmap", "tokens", "series", "bars"; not null
 * @param data plain data (numbers, strings, byte arrays, lists, maps), copied in its order; not
 *     null
 * @since 0.1
 */
public record View(String kind, Map<String, Object> data) {
  /**
   * Copies the data, keeping its order.
   *
   * @throws NullPointerException when {@code kind} or {@code data} is null
   */
  public View {
    requireNonNull(kind, "kind is null");
    data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
  }
}
