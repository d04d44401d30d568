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
 * @param kind what the renderer should draw: "heatmap", "tokens", "series", "bars"
 * @param data plain data (numbers, strings, byte arrays, lists, maps)
 */
public record View(String kind, Map<String, Object> data) {
  public View {
    requireNonNull(kind, "kind is null");
    data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
  }
}
