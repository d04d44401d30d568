package io.dime.modality.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.spi.PluginConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Settings whose combination or size no image could run with are refused when read. */
class ImageSettingsBoundsTest {
  private static String rejects(Object... settings) {
    return assertThrows(
            IllegalArgumentException.class,
            () -> new ImageSettings(PluginConfig.of("modality 'photo' (plugin image)", settings)))
        .getMessage();
  }

  @Test
  void aCropLargerThanEveryImageResizedByItsShorterSideIsRefused() {
    assertEquals(
        "modality 'photo' (plugin image): centerCrop 30x30 is larger than any image resized to a"
            + " shorter side of 10 (setting 'resize')",
        rejects("resize", 10, "centerCrop", 30));
    assertEquals(
        "modality 'photo' (plugin image): centerCrop 12x11 is larger than any image resized to a"
            + " shorter side of 10 (setting 'resize')",
        rejects("resize", 10, "centerCrop", List.of(12, 11)));
    // a crop with one side within the shorter side fits images long enough the other way
    ImageModality tall = ImageModalityTest.modality("resize", 10, "centerCrop", List.of(10, 30));
    assertArrayEquals(
        new long[] {3, 30, 10},
        tall.encoder().encode(ImageModalityTest.ramp(20, 70)).get(0).shape());
  }
}
