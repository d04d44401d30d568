package io.dime.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared palettes: names, end colours and the colour of a weight on a scale. */
class PaletteTest {
  @Test
  void palettesHaveTheirNamesAndEndColours() {
    assertEquals(List.of("diverging", "green_red"), Palette.names());
    assertEquals("#0072B2", Palette.DIVERGING.positive());
    assertEquals("#E69F00", Palette.DIVERGING.negative());
    assertEquals("#1A9850", Palette.GREEN_RED.positive());
    assertEquals("#D73027", Palette.GREEN_RED.negative());
    assertEquals("#FFFFFF", Palette.GREEN_RED.neutral());
    assertEquals(0x0072B2, Palette.DIVERGING.positiveRgb());
    assertEquals(0xE69F00, Palette.DIVERGING.negativeRgb());
    assertEquals(0xFFFFFF, Palette.DIVERGING.neutralRgb());
  }

  @Test
  void hexAndParseRoundTrip() {
    assertEquals("#0072B2", Palette.hex(0x0072B2));
    assertEquals("#00000A", Palette.hex(0xFF00000A));
    assertEquals(0x1A9850, Palette.parse("#1A9850"));
    assertEquals(0x1A9850, Palette.parse("#1a9850"));
  }

  /**
   * parse's documented failure: anything but '#' and six hex digits (it read "0072B2" as 0x72B2).
   */
  @Test
  void parseRefusesWhatIsNotAHashAndSixHexDigits() {
    for (String bad :
        List.of("0072B2", "X0072B2", "#-72B2", "#+072B2", "#0072B2FF", "#72B2", "", "#")) {
      NumberFormatException e =
          assertThrows(NumberFormatException.class, () -> Palette.parse(bad), bad);
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void colourBlendsFromNeutralToTheEndColourOfTheSign() {
    Palette p = Palette.DIVERGING;
    assertEquals("#FFFFFF", p.colour(0, 1));
    assertEquals("#0072B2", p.colour(2, 2));
    assertEquals("#0072B2", p.colour(5, 2), "beyond the scale: the end colour");
    assertEquals("#E69F00", p.colour(-2, 2));
    assertEquals("#80B9D9", p.colour(1, 2));
    assertEquals("#FFFFFF", p.colour(Double.NaN, 3));
    assertEquals("#FFFFFF", p.colour(Double.POSITIVE_INFINITY, 3));
    assertEquals("#FFFFFF", p.colour(1, 0), "no scale: neutral");
    assertEquals(0x80B9D9, p.rgb(1, 2));
  }

  @Test
  void blendMixesEachChannelRoundingHalvesUp() {
    assertEquals(0xFFFFFF, Palette.blend(0xFFFFFF, 0x0000FF, 0));
    assertEquals(0x0000FF, Palette.blend(0xFFFFFF, 0x0000FF, 1));
    assertEquals(0x8080FF, Palette.blend(0xFFFFFF, 0x0000FF, 0.5));
    assertEquals(0x000000, Palette.blend(0xFFFFFF, 0x000000, 1));
    assertEquals(0xEAAF80, Palette.blend(0xFFFFFF, 0xD55E00, 0.5), "halves round up");
  }

  @Test
  void ofFindsAPaletteByNameAndNamesTheAvailableOnes() {
    assertEquals(Palette.DIVERGING, Palette.of(null));
    assertEquals(Palette.GREEN_RED, Palette.of("GREEN_red"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Palette.of("rainbow"));
    assertEquals("no palette 'rainbow'; available: [diverging, green_red]", e.getMessage());
  }

  @Test
  void settingNamesTheComponentAndTheAvailablePalettes() {
    assertEquals(Palette.DIVERGING, Palette.setting(PluginConfig.empty("c"), "palette"));
    assertEquals(
        Palette.GREEN_RED,
        Palette.setting(PluginConfig.of("c", "palette", "Green_Red"), "palette"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Palette.setting(PluginConfig.of("c", "palette", "rainbow"), "palette"));
    assertEquals(
        "c: setting 'palette' is 'rainbow'; allowed: [diverging, green_red]", e.getMessage());
  }

  @Test
  void viewOptionsNameThePaletteOrLeaveItToTheModality() {
    assertEquals(Palette.GREEN_RED, ViewOptions.defaults("t").palette(Palette.GREEN_RED));
    assertEquals(Palette.GREEN_RED, new ViewOptions(" ", 0, "t").palette(Palette.GREEN_RED));
    assertEquals(
        Palette.DIVERGING, new ViewOptions("diverging", 0, "t").palette(Palette.GREEN_RED));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ViewOptions("rainbow", 0, "t").palette(Palette.DIVERGING));
    assertTrue(e.getMessage().contains("available: [diverging, green_red]"), e.getMessage());
  }
}
