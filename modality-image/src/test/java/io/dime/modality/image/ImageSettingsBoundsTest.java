package io.dime.modality.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.InputException;
import io.dime.api.Tensor;
import io.dime.spi.FeatureSet;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Settings whose combination or size no image could run with are refused when read. */
class ImageSettingsBoundsTest {
  private static String rejects(Object... settings) {
    return assertThrows(
            IllegalArgumentException.class,
            () -> new ImageSettings(PluginConfig.of("modality 'photo' (plugin image)", settings)))
        .getMessage();
  }

  private static final String WHO = "modality 'photo' (plugin image): ";

  private static Arguments refused(String message, Object... settings) {
    return Arguments.of(Arrays.asList(settings), message);
  }

  private static Arguments accepted(Object... settings) {
    return Arguments.of(Arrays.asList(settings), null);
  }

  /**
   * Hostile values for every setting, as a pipeline file can give them (a YAML list, mapping, text,
   * boolean, .nan, .inf, a whole number beyond int): each is refused when the settings are read,
   * naming the setting, the value and what is allowed, or accepted and then runs.
   */
  static Stream<Arguments> hostileSettings() {
    return Stream.of(
        refused(
            "unknown setting 'segmets'; known: " + new java.util.TreeSet<>(ImageSettings.KEYS),
            "segmets",
            10),
        refused(
            "setting 'featurizer' is 'watershed'; allowed: [felzenszwalb, grid, slic]",
            "featurizer",
            "watershed"),
        refused(
            "setting 'featurizer' must be one value (a string), found an array of 1 entry"
                + " [\"grid\"]",
            "featurizer",
            List.of("grid")),
        refused(
            "setting 'perturber' is 'true'; allowed: [blur, constant, mean, pool-mean,"
                + " reference]",
            "perturber",
            true),
        refused("setting 'segments' must be an integer, found '[1, 2]'", "segments", List.of(1, 2)),
        refused("setting 'segments' must be an integer, found '{a=1}'", "segments", Map.of("a", 1)),
        refused("setting 'segments' must be an integer, found 'true'", "segments", true),
        refused("setting 'segments' must be an integer, found '2.5'", "segments", 2.5),
        refused("setting 'segments' must be an integer, found 'NaN'", "segments", Double.NaN),
        refused(
            "setting 'segments' must be from 1 to 1000000, found Infinity",
            "segments",
            Double.POSITIVE_INFINITY),
        refused("setting 'segments' must be from 1 to 1000000, found -1", "segments", -1),
        refused("give 'segments' or 'regionSize', not both", "segments", 10, "regionSize", 4),
        refused(
            "give 'segments' or 'rows'/'cols', not both",
            "featurizer",
            "grid",
            "segments",
            10,
            "cols",
            4),
        refused(
            "setting 'segments' applies to featurizers 'slic' and 'grid'; Felzenszwalb's count"
                + " follows from 'k', 'sigma' and 'minSize'",
            "featurizer",
            "felzenszwalb",
            "segments",
            10),
        refused(
            "setting 'rows' applies to featurizer 'grid' only; this modality uses featurizer"
                + " 'slic' and perturber 'mean'",
            "rows",
            3),
        refused("setting 'regionSize' must be at least 1, found 0", "regionSize", 0),
        refused("setting 'regionSize' must be an integer, found ''", "regionSize", ""),
        refused("setting 'iterations' must be from 1 to 1000, found 1001", "iterations", 1001),
        refused("setting 'minSizePercent' must be from 0 to 100, found 101", "minSizePercent", 101),
        refused("setting 'compactness' must be a positive number, found 0.0", "compactness", 0),
        refused(
            "setting 'compactness' must be a positive number, found NaN",
            "compactness",
            Double.NaN),
        refused("setting 'compactness' must be a number, found 'dense'", "compactness", "dense"),
        refused(
            "setting 'sigma' must be a number of at least 0, found -1.0",
            "featurizer",
            "felzenszwalb",
            "sigma",
            -1),
        refused(
            "setting 'k' must be a positive number, found Infinity",
            "featurizer",
            "felzenszwalb",
            "k",
            Double.POSITIVE_INFINITY),
        refused(
            "setting 'minSize' must be at least 0, found -1",
            "featurizer",
            "felzenszwalb",
            "minSize",
            -1),
        refused("setting 'rows' must be at least 1, found 0", "featurizer", "grid", "rows", 0),
        refused(
            "setting 'cols' must be an integer, found '2.5'", "featurizer", "grid", "cols", 2.5),
        refused(
            "setting 'fill' needs whole numbers from 0 to 255, found 256",
            "perturber",
            "constant",
            "fill",
            256),
        refused(
            "setting 'fill' needs whole numbers from 0 to 255, found [0, 0, 2.5]",
            "perturber",
            "constant",
            "fill",
            List.of(0, 0, 2.5)),
        refused(
            "setting 'fill' needs whole numbers from 0 to 255, found NaN",
            "perturber",
            "constant",
            "fill",
            Double.NaN),
        refused(
            "setting 'fill' needs [red, green, blue] or one grey level, found [1, 2]",
            "perturber",
            "constant",
            "fill",
            List.of(1, 2)),
        refused(
            "setting 'fill' must be a list of numbers, found '[a, b, c]'",
            "perturber",
            "constant",
            "fill",
            List.of("a", "b", "c")),
        refused(
            "setting 'blurSigma' must be a positive number, found 0.0",
            "perturber",
            "blur",
            "blurSigma",
            0),
        refused("setting 'input' is blank", "input", " "),
        refused(
            "setting 'input' must be one value (a string), found an object {\"a\": 1}",
            "input",
            Map.of("a", 1)),
        refused(
            "setting 'resize' needs whole numbers from 1 to 65536, found '[0, 5]'",
            "resize",
            List.of(0, 5)),
        refused(
            "setting 'resize' needs whole numbers from 1 to 65536, found '[-3, 5]'",
            "resize",
            List.of(-3, 5)),
        refused(
            "setting 'resize' must be [width, height] or one number (the shorter side), found"
                + " '[1, 2, 3]'",
            "resize",
            List.of(1, 2, 3)),
        refused(
            "setting 'resize' must be [width, height] or one number (the shorter side), found"
                + " '224'",
            "resize",
            "224"),
        refused("setting 'resize' must be from 1 to 65536, found -1", "resize", -1),
        refused("setting 'resize' must be an integer, found '2.5'", "resize", 2.5),
        refused(
            "setting 'centerCrop' needs whole numbers from 1 to 65536, found '0'", "centerCrop", 0),
        refused(
            "setting 'centerCrop' needs whole numbers from 1 to 65536, found '65537'",
            "centerCrop",
            65537),
        refused(
            "setting 'centerCrop' must be [width, height] or one number (a square), found"
                + " '[]'",
            "centerCrop",
            List.of()),
        refused(
            "centerCrop 30x10 is larger than resize 20x20",
            "resize",
            List.of(20, 20),
            "centerCrop",
            List.of(30, 10)),
        refused("setting 'interpolation' applies only with 'resize'", "interpolation", "area"),
        refused(
            "setting 'interpolation' is 'cubic'; allowed: [area, bicubic, bilinear, nearest]",
            "resize",
            8,
            "interpolation",
            "cubic"),
        refused(
            "setting 'channelOrder' is 'hsv'; allowed: [bgr, gray, grey, rgb]",
            "channelOrder",
            "hsv"),
        refused("setting 'scale' must be a finite positive number, found 0.0", "scale", 0),
        refused(
            "setting 'scale' must be a finite positive number, found Infinity",
            "scale",
            Double.POSITIVE_INFINITY),
        refused(
            "setting 'mean' needs one number per channel (3) or one for all, found 2: [1.0,"
                + " 2.0]",
            "mean",
            List.of(1, 2)),
        refused("setting 'mean' must be finite: [NaN, NaN, NaN]", "mean", Double.NaN),
        refused(
            "setting 'mean' needs one number with channelOrder grey (one channel), found 3",
            "channelOrder",
            "grey",
            "mean",
            List.of(1, 2, 3)),
        refused(
            "setting 'std' of channel 1 is 0.0; a standard deviation must be positive",
            "std",
            List.of(1, 0, 1)),
        // a negative std (or scale) was accepted and flipped the sign of every encoded pixel
        refused(
            "setting 'std' of channel 2 is -0.5; a standard deviation must be positive",
            "std",
            List.of(1, 1, -0.5)),
        refused(
            "setting 'std' of channel 0 is -1.0E-300; a standard deviation must be positive",
            "channelOrder",
            "grey",
            "std",
            -1e-300),
        refused("setting 'scale' must be a finite positive number, found -1.0", "scale", -1),
        refused(
            "setting 'scale' must be a finite positive number, found -0.00392156862745098",
            "scale",
            -1.0 / 255,
            "std",
            -1),
        refused("setting 'layout' is 'chw'; allowed: [nchw, nhwc]", "layout", "chw"),
        refused(
            "setting 'palette' is 'rainbow'; allowed: [diverging, green_red]",
            "palette",
            "rainbow"),
        refused(
            "setting 'colorScale' is 'log'; allowed: [symmetric, two_sided]", "colorScale", "log"),
        refused("setting 'maxPixels' must be from 1 to 715827879, found 0", "maxPixels", 0),
        refused("setting 'maxPixels' must be an integer, found '1e6'", "maxPixels", "1e6"),
        // resize 65537 (one number) was accepted and failed every record inside OpenCV, asked for
        // 17 GB ("Insufficient memory"), or got the JVM killed where memory overcommits; so did
        // any resize or crop larger than maxPixels
        refused("setting 'resize' must be from 1 to 65536, found 65537", "resize", 65537),
        refused(
            "setting 'resize' must be from 1 to 65536, found 2147483647",
            "resize",
            Integer.MAX_VALUE),
        refused(
            "resize 65536x65536 is 4294967296 pixels; the most is 16777216 (setting 'maxPixels')",
            "resize",
            List.of(65536, 65536)),
        refused(
            "resize 4097 makes every image at least 4097x4097 = 16785409 pixels; the most is"
                + " 16777216 (setting 'maxPixels')",
            "resize",
            4097),
        refused(
            "centerCrop 100x100 is 10000 pixels, more than any image may have: the most is 9999"
                + " (setting 'maxPixels')",
            "centerCrop",
            100,
            "maxPixels",
            9999),
        refused(
            "setting 'maxPixels' must be from 1 to 715827879, found 715827880",
            "maxPixels",
            715_827_880),
        refused(
            "setting 'maxPixels' must be from 1 to 715827879, found 2147483648",
            "maxPixels",
            2_147_483_648L),
        accepted("resize", 16, "maxPixels", 21 * 16), // 12 x 9 becomes 21 x 16
        accepted("maxPixels", ImageSettings.MAX_MAX_PIXELS),
        // a whole number beyond int said "must be at least 1, found 2147483648"
        refused(
            "setting 'regionSize' must be from 1 to 2147483647, found 2147483648",
            "regionSize",
            2_147_483_648L),
        refused(
            "setting 'rows' must be from 1 to 2147483647, found 1.0E300",
            "featurizer",
            "grid",
            "rows",
            1e300),
        refused(
            "setting 'cols' must be from 1 to 2147483647, found Infinity",
            "featurizer",
            "grid",
            "cols",
            Double.POSITIVE_INFINITY),
        refused(
            "setting 'minSize' must be from 0 to 2147483647, found 100000000000000000000",
            "featurizer",
            "felzenszwalb",
            "minSize",
            BigInteger.TEN.pow(20)),
        refused(
            "setting 'regionSize' must be at least 1, found -Infinity",
            "regionSize",
            Double.NEGATIVE_INFINITY),
        // accepted, and every pixel reached the model as an infinity (its answers NaN)
        refused(
            "settings 'scale' 1.0E300, 'mean' 0.0 and 'std' 1.0 make sample 255 of channel 0"
                + " 2.55E302, beyond the model's FLOAT32 input (largest 3.4028235E38)",
            "scale",
            1e300),
        refused(
            "settings 'scale' 0.00392156862745098, 'mean' 1.0E300 and 'std' 1.0 make sample 0 of"
                + " channel 0 -1.0E300, beyond the model's FLOAT32 input (largest 3.4028235E38)",
            "mean",
            1e300),
        refused(
            "settings 'scale' 1.0, 'mean' 0.0 and 'std' 1.0E-37 make sample 255 of channel 2"
                + " 2.55E39, beyond the model's FLOAT32 input (largest 3.4028235E38)",
            "scale",
            1,
            "std",
            List.of(1, 1, 1e-37)),
        refused(
            "settings 'scale' 1.0, 'mean' 0.0 and 'std' 1.0E-300 make sample 255 of channel 0"
                + " 2.55E302, beyond the model's FLOAT32 input (largest 3.4028235E38)",
            "channelOrder",
            "grey",
            "scale",
            1,
            "std",
            1e-300),
        accepted("scale", 1, "std", 1e-36), // 255e36 fits
        // accepted, and every image reached the model as the same tensor (all weights 0)
        refused(
            "settings 'scale' 1.0E-300, 'mean' 0.0 and 'std' 1.0 encode every sample of channel 0,"
                + " 0 to 255, as the same FLOAT32 value 0.0; the model could not tell any two"
                + " images apart",
            "scale",
            1e-300),
        refused(
            "settings 'scale' 1.0E-11, 'mean' 0.5 and 'std' 1.0 encode every sample of channel 1,"
                + " 0 to 255, as the same FLOAT32 value -0.5; the model could not tell any two"
                + " images apart",
            "scale",
            1e-11,
            "mean",
            List.of(0, 0.5, 0)),
        accepted("scale", 1e-6, "mean", 0.5), // 255e-6 still moves 0.5
        // 1e20 was accepted and SLIC silently gave one segment (its float distances overflow)
        refused(
            "setting 'compactness' must be at most 1.0E9 (OpenCV's SLIC computes in single"
                + " precision; from about 1e19 it gives one segment), found 1.0E20",
            "compactness",
            1e20),
        accepted("compactness", 1e9),
        // accepted, and then every record failed with "image 224x224 is smaller than the grid"
        refused(
            "the grid of 300 rows and 2 columns does not fit the 224x224 image the model takes"
                + " (setting 'centerCrop'): at most 224 rows and 224 columns",
            "featurizer",
            "grid",
            "rows",
            300,
            "cols",
            2,
            "resize",
            256,
            "centerCrop",
            224),
        refused(
            "the grid of 1000 rows and 1000 columns (setting 'segments' 1000000) does not fit the"
                + " 100x20 image the model takes (setting 'resize'): at most 20 rows and 100"
                + " columns",
            "featurizer",
            "grid",
            "segments",
            1_000_000,
            "resize",
            List.of(100, 20)),
        refused(
            "the grid of 9 rows and 9 columns does not fit any image resized to a shorter side of 8"
                + " (setting 'resize')",
            "featurizer",
            "grid",
            "rows",
            9,
            "resize",
            8),
        accepted("featurizer", "grid", "rows", 4, "cols", 9, "resize", 8), // 12 x 9 becomes 10 x 8
        accepted("featurizer", "grid", "rows", 1, "cols", 12, "resize", List.of(12, 1)),
        accepted(),
        accepted("regionSize", Integer.MAX_VALUE), // capped at the image's shorter side
        accepted("segments", 1_000_000),
        accepted("segments", "20"),
        accepted("featurizer", "grid", "rows", 3, "cols", 4),
        accepted("featurizer", "FELZENSZWALB", "sigma", 0, "k", 1e9, "minSize", 0),
        // 1e300 was accepted and reached OpenCV as a single-precision infinity
        refused(
            "setting 'k' must be at most 1.0E9 (OpenCV's graph segmentation takes it in single"
                + " precision, infinite from about 3.4e38; from about 1e6 a 64 x 48 image is one"
                + " segment), found 1.0E300",
            "featurizer",
            "felzenszwalb",
            "k",
            1e300),
        refused(
            "setting 'k' must be at most 1.0E9 (OpenCV's graph segmentation takes it in single"
                + " precision, infinite from about 3.4e38; from about 1e6 a 64 x 48 image is one"
                + " segment), found 1.000000001E9",
            "featurizer",
            "felzenszwalb",
            "k",
            1e9 + 1),
        accepted("perturber", "constant", "fill", List.of(1, 2, 3)),
        accepted("perturber", "blur", "blurSigma", 1e-300),
        accepted("resize", List.of(1, 2)),
        accepted("resize", 16, "centerCrop", List.of(16, 16), "interpolation", "nearest"),
        accepted("channelOrder", "GRAY", "mean", List.of(0.5), "std", 0.25),
        accepted("scale", 1, "std", List.of(0.5, 0.25, 2)),
        accepted("input", 5),
        accepted("maxPixels", 108));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileSettings")
  void hostileSettingsAreRefusedNamingTheSettingOrRun(List<Object> settings, String message) {
    if (message != null) {
      assertEquals(WHO + message, rejects(settings.toArray()));
      return;
    }
    ImageModality m = ImageModalityTest.modality(settings.toArray());
    Image img = m.check(ImageModalityTest.ramp(12, 9), "r");
    FeatureSet<Image> fs = m.featurize(img, PoolStatistics.empty(), new SplittableRandom(1));
    assertTrue(fs.size() >= 1);
    Tensor t = m.encoder().encode(fs.apply(new boolean[fs.size()])).get(0);
    for (float f : t.floats()) {
      assertTrue(Float.isFinite(f), settings + " gave " + f);
    }
  }

  @Test
  void anImageThatResizingToItsShorterSideMakesLargerThanMaxPixelsIsItsRecordsInputError() {
    // 2 x 200 resized to a shorter side of 50 would be 50 x 5000 = 250000 pixels
    ImageModality m = ImageModalityTest.modality("resize", 50, "maxPixels", 10_000);
    InputException e =
        assertThrows(InputException.class, () -> m.check(ImageModalityTest.ramp(2, 200), "r7"));
    assertEquals(
        "record 'r7': modality 'photo': image 2x200 resized to a shorter side of 50 (setting"
            + " 'resize') would have 250000 pixels; the most is 10000 (setting 'maxPixels')",
        e.getMessage());
    // the other way round too, and one that fits is resized
    assertThrows(InputException.class, () -> m.check(ImageModalityTest.ramp(200, 2), "r8"));
    Image fits = m.check(ImageModalityTest.ramp(3, 6), "r9");
    assertEquals(List.of(50, 100), List.of(fits.width(), fits.height()));
  }

  @Test
  void theLargestCompactnessStillSegmentsTheImage() {
    // 48 regions of 8 x 8, as at any large compactness; 1e20, no longer allowed, gave one segment
    Image img = ImageModalityTest.ramp(64, 48);
    ImageModality m = ImageModalityTest.modality("regionSize", 8, "compactness", 1e9);
    assertEquals(48, m.featurize(img, PoolStatistics.empty(), new SplittableRandom(1)).size());
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
