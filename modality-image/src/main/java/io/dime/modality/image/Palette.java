package io.dime.modality.image;

import java.util.Locale;
import java.util.Set;

/**
 * The heat map's two end colours. Weights between 0 and an end are drawn by blending the image
 * towards that end's colour.
 */
enum Palette {
  /**
   * Colour-blind-safe blue and orange from Okabe and Ito's palette: positive weights blue {@code
   * #0072B2}, negative weights orange {@code #E69F00}.
   */
  DIVERGING(io.dime.spi.Palette.DIVERGING),
  /** The DIME paper's green (positive) and red (negative), as in {@link io.dime.spi.Palette}. */
  GREEN_RED(io.dime.spi.Palette.GREEN_RED);

  static final Set<String> NAMES = Set.of("diverging", "green_red");

  /** Superpixel boundaries: a neutral mid grey. */
  static final int BOUNDARY = 0x808080;

  final String id;
  final int positive;
  final int negative;

  Palette(io.dime.spi.Palette shared) {
    this.id = shared.id();
    this.positive = io.dime.spi.Palette.parse(shared.positive());
    this.negative = io.dime.spi.Palette.parse(shared.negative());
  }

  /**
   * The palette of that name, case-insensitive.
   *
   * @throws IllegalArgumentException naming the available palettes
   */
  static Palette named(String name) {
    for (Palette p : values()) {
      if (p.id.equals(name.toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "no palette '" + name + "'; available: [diverging, green_red]");
  }

  /** {@code #RRGGBB}. */
  static String hex(int rgb) {
    return String.format(Locale.ROOT, "#%06X", rgb & 0xFFFFFF);
  }
}
