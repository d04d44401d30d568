package io.dime.spi;

import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The colour scales views use for feature weights, shared by every modality so that a report reads
 * the same across panels; the one place where a weight becomes a colour. A plugin picks a palette
 * with {@link #setting} (its {@code palette} setting) or {@link ViewOptions#palette(Palette)} (the
 * view's options) and colours weights with {@link #colour} or {@link #rgb}; it writes no colour
 * code of its own.
 *
 * <p>Colours are {@code #RRGGBB} strings (upper-case hex digits) or {@code 0xRRGGBB} ints. A scale
 * runs from -{@code scale} (the {@link #negative()} colour) through 0 ({@link #neutral()}) to
 * +{@code scale} ({@link #positive()}), linearly in each of red, green and blue.
 *
 * @since 0.1
 */
public enum Palette {
  /**
   * The default: colour-blind-safe blue (positive) and orange (negative) from the Okabe-Ito set,
   * distinguishable under the common colour-vision deficiencies.
   */
  DIVERGING("diverging", "#0072B2", "#E69F00", "#FFFFFF"),
  /** The DIME paper's green (positive) and red (negative). */
  GREEN_RED("green_red", "#1A9850", "#D73027", "#FFFFFF");

  /** The name of every palette, sorted: {@code [diverging, green_red]}. */
  private static final List<String> NAMES = List.of("diverging", "green_red");

  private final String id;
  private final String positive;
  private final String negative;
  private final String neutral;

  Palette(String id, String positive, String negative, String neutral) {
    this.id = id;
    this.positive = positive;
    this.negative = negative;
    this.neutral = neutral;
  }

  /**
   * The name used in settings and {@link ViewOptions#palette()}: {@code "diverging"} or {@code
   * "green_red"}. Never null.
   */
  public String id() {
    return id;
  }

  /** Colour of the largest positive weight, {@code #RRGGBB}. Never null. */
  public String positive() {
    return positive;
  }

  /** Colour of the most negative weight, {@code #RRGGBB}. Never null. */
  public String negative() {
    return negative;
  }

  /** Colour of a zero weight, {@code #RRGGBB}. Never null. */
  public String neutral() {
    return neutral;
  }

  /** {@link #positive()} as {@code 0xRRGGBB}. */
  public int positiveRgb() {
    return parse(positive);
  }

  /** {@link #negative()} as {@code 0xRRGGBB}. */
  public int negativeRgb() {
    return parse(negative);
  }

  /** {@link #neutral()} as {@code 0xRRGGBB}. */
  public int neutralRgb() {
    return parse(neutral);
  }

  /**
   * The colour of {@code weight} on a scale whose ends are -{@code scale} and +{@code scale}: the
   * neutral colour blended towards the end colour of the weight's sign by {@code min(1, |weight| /
   * scale)}, each channel rounded to the nearest integer (halves up). A weight of 0 or one that is
   * not finite, or a scale that is not positive, gives the neutral colour.
   *
   * @param weight the weight, in the units of {@code scale}
   * @param scale the weight that takes the full end colour, usually the largest absolute weight
   * @return {@code 0xRRGGBB}
   */
  public int rgb(double weight, double scale) {
    if (!(scale > 0) || !Double.isFinite(weight) || weight == 0) {
      return neutralRgb();
    }
    double t = Math.min(1, Math.abs(weight) / scale);
    return blend(neutralRgb(), weight > 0 ? positiveRgb() : negativeRgb(), t);
  }

  /**
   * {@link #rgb(double, double)} as {@code #RRGGBB}.
   *
   * @param weight the weight, in the units of {@code scale}
   * @param scale the weight that takes the full end colour
   * @return the colour, never null
   */
  public String colour(double weight, double scale) {
    return hex(rgb(weight, scale));
  }

  /**
   * The colour a fraction {@code t} of the way from {@code from} to {@code to}, each of red, green
   * and blue blended linearly and rounded to the nearest integer (halves up).
   *
   * @param from the colour at {@code t = 0}, {@code 0xRRGGBB}
   * @param to the colour at {@code t = 1}, {@code 0xRRGGBB}
   * @param t the fraction, from 0 to 1
   * @return {@code 0xRRGGBB}
   */
  public static int blend(int from, int to, double t) {
    int rgb = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
      int a = from >> shift & 0xFF;
      int b = to >> shift & 0xFF;
      rgb |= (int) Math.round(a + (b - a) * t) << shift;
    }
    return rgb;
  }

  /**
   * {@code #RRGGBB} to {@code 0xRRGGBB}.
   *
   * @param hex a colour such as {@code "#0072B2"}, not null
   * @throws NumberFormatException when it is not {@code #} and six hex digits, naming it
   */
  public static int parse(String hex) {
    boolean colour = hex.length() == 7 && hex.charAt(0) == '#';
    for (int i = 1; colour && i < 7; i++) {
      colour = HexFormat.isHexDigit(hex.charAt(i));
    }
    if (!colour) {
      throw new NumberFormatException("not a colour #RRGGBB: '" + hex + "'");
    }
    return HexFormat.fromHexDigits(hex, 1, 7);
  }

  /**
   * {@code 0xRRGGBB} to {@code #RRGGBB} with upper-case digits; bits above the lowest 24 are
   * ignored.
   *
   * @param rgb the colour
   * @return the colour, never null
   */
  public static String hex(int rgb) {
    return String.format(Locale.ROOT, "#%06X", rgb & 0xFFFFFF);
  }

  /** The name of every palette, sorted: {@code [diverging, green_red]}. */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * The palette of that name, case-insensitive; {@link #DIVERGING} for null.
   *
   * @param name a palette's {@link #id()}, or null
   * @throws IllegalArgumentException for any other name, naming it and the available ones: {@code
   *     no palette 'rainbow'; available: [diverging, green_red]}
   */
  public static Palette of(String name) {
    String n = name == null ? DIVERGING.id : name.toLowerCase(Locale.ROOT);
    for (Palette p : values()) {
      if (p.id.equals(n)) {
        return p;
      }
    }
    throw new IllegalArgumentException("no palette '" + name + "'; available: " + NAMES);
  }

  /**
   * The palette a plugin setting names (case-insensitive), {@link #DIVERGING} when it is not set.
   *
   * @param config the plugin's settings, not null
   * @param key the setting, e.g. {@code "palette"}, not null
   * @throws IllegalArgumentException for another name, naming the component, the setting and the
   *     available palettes, as {@link PluginConfig#getChoice} does
   */
  public static Palette setting(PluginConfig config, String key) {
    return of(config.getChoice(key, DIVERGING.id, Set.copyOf(NAMES)));
  }
}
