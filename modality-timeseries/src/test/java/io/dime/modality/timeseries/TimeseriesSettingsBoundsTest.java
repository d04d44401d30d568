package io.dime.modality.timeseries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.spi.FeatureSet;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile values for every time series setting, as a pipeline file can give them (a YAML list,
 * mapping, text, boolean, .nan, .inf, a whole number beyond int): each is refused when the settings
 * are read, naming the setting, the value and what is allowed, or accepted and then runs.
 */
class TimeseriesSettingsBoundsTest {
  private static final String WHO = "modality 's': ";

  /** Two channels of 12 steps, no two neighbours equal. */
  private static final Series SERIES =
      Series.of(
          new double[][] {
            {1, 4, 2, 8, 5, 7, 1, 3, 9, 2, 6, 4}, {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8}
          });

  private static Arguments refused(String message, Object... settings) {
    return Arguments.of(Arrays.asList(settings), message);
  }

  private static Arguments accepted(Object... settings) {
    return Arguments.of(Arrays.asList(settings), null);
  }

  static Stream<Arguments> hostileSettings() {
    return Stream.of(
        refused(
            "unknown setting 'windows'; known: " + new TreeSet<>(TimeseriesSettings.KEYS),
            "windows",
            3),
        refused("setting 'features' is 'steps'; allowed: [channels, windows]", "features", "steps"),
        refused(
            "setting 'features' must be one value (a string), found an array of 1 entry"
                + " [\"windows\"]",
            "features",
            List.of("windows")),
        refused("setting 'window' must be an integer, found '[1, 2]'", "window", List.of(1, 2)),
        refused("setting 'window' must be an integer, found '{a=1}'", "window", Map.of("a", 1)),
        refused("setting 'window' must be an integer, found 'true'", "window", true),
        refused("setting 'window' must be an integer, found '2.5'", "window", 2.5),
        refused("setting 'window' must be an integer, found 'NaN'", "window", Double.NaN),
        refused("setting 'window' must be an integer, found ''", "window", ""),
        refused("setting 'window' must be a positive number of time steps, found 0", "window", 0),
        refused("setting 'window' must be a positive number of time steps, found -1", "window", -1),
        refused(
            "setting 'window' applies to features 'windows' only, not 'channels'",
            "features",
            "channels",
            "window",
            4),
        refused(
            "setting 'perturber' is 'zero'; allowed: [baseline, interpolate, mean, reference]",
            "perturber",
            "zero"),
        refused(
            "perturber 'interpolate' needs features 'windows' (a whole channel has no neighbouring"
                + " values to interpolate between); use 'mean' or 'baseline'",
            "features",
            "channels",
            "perturber",
            "interpolate"),
        refused(
            "perturber 'mean' with setting 'window' 1 hides nothing (a window of one step is its"
                + " own mean); set 'window' to 2 or more, or use 'interpolate' or 'baseline'",
            "perturber",
            "mean",
            "window",
            1),
        refused(
            "setting 'baseline' applies to perturber 'baseline' only, not 'interpolate'",
            "baseline",
            1),
        refused(
            "setting 'baseline' must be finite, found NaN",
            "perturber",
            "baseline",
            "baseline",
            Double.NaN),
        refused(
            "setting 'baseline' must be finite, found -Infinity",
            "perturber",
            "baseline",
            "baseline",
            Double.NEGATIVE_INFINITY),
        refused(
            "setting 'baseline' must be a number, found '[1, 2]'",
            "perturber",
            "baseline",
            "baseline",
            List.of(1, 2)),
        refused(
            "setting 'baseline' must be a number, found 'zero'",
            "perturber",
            "baseline",
            "baseline",
            "zero"),
        refused("setting 'input' is blank", "input", ""),
        refused(
            "setting 'input' must be one value (a string), found an array of 2 entries [\"a\","
                + " \"b\"]",
            "input",
            List.of("a", "b")),
        refused("setting 'layout' is 'tnc'; allowed: [nct, nt, ntc]", "layout", "tnc"),
        refused(
            "layout 'nt' ([batch, length]) takes series of one channel; the settings fix 2"
                + " (settings 'channels', 'mean', 'std')",
            "layout",
            "nt",
            "mean",
            List.of(0, 1)),
        refused("setting 'length' must be 0 (any) or positive, found -1", "length", -1),
        refused("setting 'length' must be an integer, found '2.5'", "length", 2.5),
        refused("setting 'channels' must be 0 (any) or positive, found -1", "channels", -1),
        refused(
            "settings disagree on the number of channels: channels 3, mean [0.0, 1.0], std [1.0]",
            "channels",
            3,
            "mean",
            List.of(0, 1)),
        refused("setting 'mean' must be finite, found [NaN]", "mean", Double.NaN),
        refused("setting 'mean' is an empty list", "mean", List.of()),
        refused(
            "setting 'std' must be positive and finite, found [0.0, 5.0]", "std", List.of(0, 5)),
        refused("setting 'std' must be positive and finite, found [-1.0]", "std", -1),
        refused(
            "setting 'std' must be positive and finite, found [Infinity]",
            "std",
            Double.POSITIVE_INFINITY),
        refused("setting 'header' is 'yes'; allowed: [auto, false, true]", "header", "yes"),
        refused("setting 'delimiter' is '|'; allowed: [,, ;, auto, tab]", "delimiter", "|"),
        refused("setting 'decimal' is ';'; allowed: [,, .]", "decimal", ";"),
        refused("setting 'maxValues' must be at least 1, found 0", "maxValues", 0),
        // accepted, and every perturbed series failed to encode: "value 1.0E300 (channel 0,
        // step 0) of input 's' does not fit the model's FLOAT32 input", a value not in the data
        refused(
            "setting 'baseline' 1.0E300 is 1.0E300 once normalised (mean 0.0, std 1.0), beyond the"
                + " model's FLOAT32 input (largest 3.4028235E38)",
            "perturber",
            "baseline",
            "baseline",
            1e300),
        refused(
            "setting 'baseline' 1.0 is 1.0E40 once normalised (channel 1, mean 0.0, std 1.0E-40),"
                + " beyond the model's FLOAT32 input (largest 3.4028235E38)",
            "perturber",
            "baseline",
            "baseline",
            1,
            "std",
            List.of(1, 1e-40)),
        accepted("perturber", "baseline", "baseline", 3e38), // the largest float is 3.4028235E38
        // a whole number beyond int said "must be an integer from -2147483648 to 2147483647"
        refused(
            "setting 'window' must be a positive number of time steps, at most 2147483647, found"
                + " 2147483648",
            "window",
            2_147_483_648L),
        refused(
            "setting 'window' must be a positive number of time steps, at most 2147483647, found"
                + " -1.0E300",
            "window",
            -1e300),
        refused(
            "setting 'length' must be 0 (any) or positive, at most 2147483647, found Infinity",
            "length",
            Double.POSITIVE_INFINITY),
        refused(
            "setting 'channels' must be 0 (any) or positive, at most 2147483647, found"
                + " 1000000000000000000000000000000",
            "channels",
            BigInteger.TEN.pow(30)),
        refused(
            "setting 'maxValues' must be from 1 to 2147483647, found 1.0E300", "maxValues", 1e300),
        // said "must be a list of numbers", though one number for every channel is fine too
        refused(
            "setting 'mean' needs one number for every channel or a list of one per channel,"
                + " found '0.5'",
            "mean",
            "0.5"),
        refused(
            "setting 'std' needs one number for every channel or a list of one per channel, found"
                + " '{a=1}'",
            "std",
            Map.of("a", 1)),
        refused(
            "setting 'std' needs one number for every channel or a list of one per channel, found"
                + " 'true'",
            "std",
            true),
        refused(
            "setting 'mean' must be a list of numbers, found '[0, a]'", "mean", List.of(0, "a")),
        accepted("mean", new double[] {0, 0.5}), // as code may give it
        // accepted, and then every series of that shape failed its record as too large
        refused(
            "settings 'length' 12 and 'channels' 2 (0: any) fix series of at least 24 values;"
                + " 'maxValues' 23 allows fewer, so every series would be refused",
            "length",
            12,
            "channels",
            2,
            "maxValues",
            23),
        refused(
            "settings 'length' 20000000 and 'channels' 0 (0: any) fix series of at least 20000000"
                + " values; 'maxValues' 10000000 allows fewer, so every series would be refused",
            "length",
            20_000_000),
        refused(
            "settings 'length' 0 and 'channels' 3 (0: any) fix series of at least 3 values;"
                + " 'maxValues' 2 allows fewer, so every series would be refused",
            "mean",
            List.of(0, 0, 0),
            "maxValues",
            2),
        accepted("length", 12, "channels", 2, "maxValues", 24),
        accepted(),
        accepted("window", Integer.MAX_VALUE), // one window per channel
        accepted("window", "5"),
        accepted("features", "CHANNELS", "perturber", "mean"),
        accepted("perturber", "baseline", "baseline", 1e30),
        accepted("input", 5),
        accepted("length", 12, "channels", 2, "mean", List.of(0, 5), "std", List.of(1e300, 1e-3)),
        accepted("header", true, "delimiter", ",", "decimal", ","),
        accepted("maxValues", 24));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileSettings")
  void hostileSettingsAreRefusedNamingTheSettingOrRun(List<Object> settings, String message) {
    if (message != null) {
      assertEquals(
          WHO + message,
          assertThrows(
                  IllegalArgumentException.class,
                  () -> TimeseriesModalityTest.modality(settings.toArray()))
              .getMessage());
      return;
    }
    TimeseriesModality m = TimeseriesModalityTest.modality(settings.toArray());
    FeatureSet<Series> fs = TimeseriesModalityTest.featurize(m, m.check(SERIES, "r"));
    assertTrue(fs.size() >= 1);
    for (float f : m.encoder().encode(fs.apply(new boolean[fs.size()])).get(0).floats()) {
      assertTrue(Float.isFinite(f), settings + " gave " + f);
    }
  }
}
