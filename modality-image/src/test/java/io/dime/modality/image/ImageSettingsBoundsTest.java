package io.dime.modality.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import java.util.List;
import java.util.SplittableRandom;
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

  @Test
  void aWholeNumberBeyondIntIsRefusedWithTheSettingsRange() {
    // it said "an integer from -2147483648 to 2147483647", not the setting's own range
    assertEquals(
        "modality 'photo' (plugin image): setting 'segments' must be from 1 to 1000000, found"
            + " 1.0E12",
        rejects("segments", 1e12));
    assertEquals(
        "modality 'photo' (plugin image): setting 'segments' must be from 1 to 1000000, found"
            + " 3000000000",
        rejects("segments", 3_000_000_000L));
    assertEquals(
        "modality 'photo' (plugin image): setting 'segments' must be from 1 to 1000000, found 0",
        rejects("segments", 0));
  }

  @Test
  void aGaussianSigmaBeyondAThousandPixelsIsRefusedNamingTheSetting() {
    // 1e9 was accepted and failed every record inside OpenCV ("Assertion failed) ksize.width > 0")
    assertEquals(
        "modality 'photo' (plugin image): setting 'blurSigma' must be at most 1000 (pixels),"
            + " found 1.0E9",
        rejects("perturber", "blur", "blurSigma", 1e9));
    assertEquals(
        "modality 'photo' (plugin image): setting 'sigma' must be at most 1000 (pixels), found"
            + " 1000.5",
        rejects("featurizer", "felzenszwalb", "sigma", 1000.5));
    // the largest allowed runs, and blurs a small image flat
    Image img = ImageModalityTest.ramp(6, 4);
    ImageModality blur =
        ImageModalityTest.modality(
            "featurizer", "grid", "rows", 1, "perturber", "blur", "blurSigma", 1000);
    Image hidden =
        blur.featurize(img, PoolStatistics.empty(), new SplittableRandom(1))
            .apply(new boolean[] {false});
    int min = 255;
    int max = 0;
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 6; x++) {
        min = Math.min(min, hidden.sample(x, y, 0));
        max = Math.max(max, hidden.sample(x, y, 0));
      }
    }
    // the ramp's red runs from 0 to 53; blurred it is nearly flat (25 to 28: OpenCV's 8-bit
    // kernel of 6001 taps is not exact)
    assertTrue(max - min <= 5, "red from " + min + " to " + max);
    ImageModality smooth =
        ImageModalityTest.modality("featurizer", "felzenszwalb", "sigma", 1000, "minSize", 0);
    assertTrue(smooth.featurize(img, PoolStatistics.empty(), new SplittableRandom(1)).size() >= 1);
  }

  @Test
  void meanStdOrFillGivenAsTextSaysWhatItNeeds() {
    // it said "must be a list of numbers", though one number is fine too
    assertEquals(
        "modality 'photo' (plugin image): setting 'mean' needs one number per channel (3) or one"
            + " for all, found '0.5'",
        rejects("mean", "0.5"));
    assertEquals(
        "modality 'photo' (plugin image): setting 'std' needs one number, found 'wide'",
        rejects("channelOrder", "grey", "std", "wide"));
    assertEquals(
        "modality 'photo' (plugin image): setting 'fill' needs [red, green, blue] or one grey"
            + " level, found 'red'",
        rejects("perturber", "constant", "fill", "red"));
  }
}
