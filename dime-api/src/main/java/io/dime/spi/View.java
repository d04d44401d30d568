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
 * <p>What the report reads for each kind (other keys are ignored; a missing key takes the default
 * shown or leaves its part out; colours are {@code #RRGGBB}, from {@link Palette#colour}):
 *
 * <ul>
 *   <li>every kind: {@code title} (string), the caption.
 *   <li>{@code "heatmap"}: {@code png} (the PNG file's bytes, a {@code byte[]}), {@code width} and
 *       {@code height} (pixels, as drawn), and for the colour scale {@code scaleMin}, {@code
 *       scaleMax}, {@code negativeColor}, {@code positiveColor}.
 *   <li>{@code "tokens"}: {@code text} (the whole text) and {@code features}, a list of maps with
 *       {@code name}, {@code weight}, {@code colour} (the token's shade), {@code top} (true to mark
 *       it) and {@code begin}/{@code end} (offsets of the token in {@code text}, in {@code char}s;
 *       without valid offsets the tokens' {@code text} or {@code name} are drawn one after the
 *       other); for the colour scale {@code maxAbsWeight}, {@code negativeColour}, {@code
 *       positiveColour}.
 *   <li>{@code "series"}: {@code channels}, a list of maps with {@code name} and {@code values}
 *       (numbers; non-finite ones are gaps); {@code length} (samples on the time axis; default the
 *       longest channel); {@code features}, a list of bands with {@code channel} (index into {@code
 *       channels}), {@code start} and {@code end} (samples, end exclusive), {@code name}, {@code
 *       weight}, {@code colour} and {@code shaded} (false leaves the band out; bands of weight 0
 *       are left out too); for the colour scale {@code scale} (the largest |weight|) and {@code
 *       palette}, a map with {@code negative} and {@code positive} colours.
 *   <li>{@code "bars"}: {@code bars}, a list of maps with {@code name} (or {@code field}), {@code
 *       weight}, optionally {@code value} (the input's value, shown beside it) and {@code shown}
 *       (false greys the bar out); {@code palette}, a {@link Palette} name (default {@code
 *       "diverging"}). At most 40 bars are drawn, those of the largest |weight|.
 *   <li>any other kind: the data as an escaped table.
 * </ul>
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
