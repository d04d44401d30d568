package io.dime.spi;

import java.util.Locale;

/**
 * The colour scales views use for feature weights, shared by every modality so that a report reads
 * the same across panels. Colours are {@code #RRGGBB} strings; 0 maps to {@link #neutral()}.
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

  /** The name used in settings and {@link ViewOptions#palette()}. */
  public String id() {
    return id;
  }

  /** Colour of the largest positive weight. */
  public String positive() {
    return positive;
  }

  /** Colour of the most negative weight. */
  public String negative() {
    return negative;
  }

  /** Colour of a zero weight. */
  public String neutral() {
    return neutral;
  }

  /**
   * The colour of {@code weight} on a scale whose ends are -{@code max} and +{@code max}: linear
   * between the neutral colour and the end colour.
   */
  public int rgb(double weight, double max) {
    if (!(max > 0) || weight == 0 || Double.isNaN(weight)) {
      return parse(neutral);
    }
    double t = Math.min(1, Math.abs(weight) / max);
    int end = parse(weight > 0 ? positive : negative);
    int base = parse(neutral);
    int r = mix(base >> 16 & 0xff, end >> 16 & 0xff, t);
    int g = mix(base >> 8 & 0xff, end >> 8 & 0xff, t);
    int b = mix(base & 0xff, end & 0xff, t);
    return r << 16 | g << 8 | b;
  }

  private static int mix(int a, int b, double t) {
    return (int) Math.round(a + (b - a) * t);
  }

  /** {@code #RRGGBB} to 0xRRGGBB. */
  public static int parse(String hex) {
    return Integer.parseInt(hex.substring(1), 16);
  }

  /** By name ("diverging", "green_red"), naming the available ones when unknown. */
  public static Palette of(String name) {
    String n = name == null ? "diverging" : name.toLowerCase(Locale.ROOT);
    for (Palette p : values()) {
      if (p.id.equals(n)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "no palette '" + name + "'; available: [diverging, green_red]");
  }
}
