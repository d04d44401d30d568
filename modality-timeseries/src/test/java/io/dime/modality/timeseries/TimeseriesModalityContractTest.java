package io.dime.modality.timeseries;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.api.Tensor;
import io.dime.spi.FeatureSet;
import io.dime.spi.PluginConfig;
import io.dime.testkit.ModalityContract;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The timeseries modality against the modality contract: two channels of 23 steps in windows of 5
 * (the last one 3 long) hidden by their means, with normalisation; in {@link InterpolatedCsv} a
 * three-channel CSV file with a header hidden by interpolation; in {@link ChannelsWithBaseline}
 * whole channels hidden by a baseline value.
 */
class TimeseriesModalityContractTest extends ModalityContract<Series> {
  static final int LENGTH = 23;
  static final int WINDOW = 5;

  /** Two channels that zigzag, so no window is constant. */
  static List<Object> sample() {
    List<Object> channels = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      List<Object> row = new ArrayList<>();
      for (int i = 0; i < LENGTH; i++) {
        row.add(((i * 7 + c * 3) % 11) * 0.5 - c + (i % 2 == 0 ? 0.25 : -0.25));
      }
      channels.add(row);
    }
    return channels;
  }

  @Override
  protected String pluginName() {
    return "timeseries";
  }

  @Override
  protected PluginConfig config() {
    return PluginConfig.of(
        "modality 'm' (plugin timeseries)",
        "features",
        "windows",
        "window",
        WINDOW,
        "perturber",
        "mean",
        "input",
        "sensor",
        "length",
        LENGTH,
        "mean",
        List.of(0.5, -1),
        "std",
        List.of(2, 4));
  }

  @Override
  protected Object sampleField() {
    return sample();
  }

  @Override
  protected Map<String, Object> badFields() {
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("NaN at channel 1 index 2", List.of(List.of(1, 2, 3), List.of(4, 5, Double.NaN)));
    bad.put("gap (missing value) at channel 0 index 1", Arrays.asList(1.0, null, 3.0));
    bad.put("ragged channels", List.of(List.of(1, 2, 3), List.of(1, 2)));
    bad.put("empty series", List.of());
    bad.put("cannot read CSV file 'missing.csv'", "missing.csv");
    bad.put("not a number at channel 0 index 1: a string \"two\"", List.of(1, "two", 3));
    bad.put("expects an array of numbers", Boolean.TRUE);
    bad.put("10 values per channel; expected 23", List.of(ramp(10, 0), ramp(10, 1)));
    bad.put("3 channels; expected 2", List.of(ramp(23, 0), ramp(23, 1), ramp(23, 2)));
    return bad;
  }

  @Override
  protected Optional<int[]> featureOwnership(FeatureSet<Series> features) {
    return Optional.of(windowOwnership(features.value(), WINDOW));
  }

  @Override
  protected Optional<List<?>> elements(Series value) {
    return Optional.of(flatten(value));
  }

  @Test
  void windowsHideToTheirMeansAndEncodeNormalised() {
    FeatureSet<Series> fs = features();
    assertEquals(10, fs.size());
    assertEquals("c0[0:5)", fs.names().get(0));
    assertEquals("c1[20:23)", fs.names().get(9));
    Series hidden = fs.apply(new boolean[10]);
    double[] c1 = value().channel(1);
    double lastMean = (c1[20] + c1[21] + c1[22]) / 3;
    for (int i = 20; i < 23; i++) {
      assertEquals(lastMean, hidden.get(1, i));
    }
    Tensor t = modality().encoder().encode(value()).get(0);
    assertEquals("sensor", t.name());
    assertArrayEquals(new long[] {2, LENGTH}, t.shape());
    assertEquals((float) ((value().get(1, 4) + 1) / 4), t.floats()[LENGTH + 4]);
  }

  static List<Object> ramp(int n, int channel) {
    List<Object> row = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      row.add(i * (channel + 1.5));
    }
    return row;
  }

  /** Owner of each element (channel-major) under windows of {@code window} steps. */
  static int[] windowOwnership(Series s, int window) {
    int perChannel = (s.length() + window - 1) / window;
    int[] owner = new int[s.channels() * s.length()];
    for (int c = 0; c < s.channels(); c++) {
      for (int i = 0; i < s.length(); i++) {
        owner[c * s.length() + i] = c * perChannel + i / window;
      }
    }
    return owner;
  }

  static List<Double> flatten(Series s) {
    List<Double> out = new ArrayList<>();
    for (int c = 0; c < s.channels(); c++) {
      for (double x : s.channel(c)) {
        out.add(x);
      }
    }
    return out;
  }

  static Path resourceFolder() {
    try {
      return Path.of(TimeseriesModalityContractTest.class.getResource("/series").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A CSV file with a header, three channels of 12 steps, windows of 4, interpolation. */
  @Nested
  class InterpolatedCsv extends ModalityContract<Series> {
    @Override
    protected String pluginName() {
      return "timeseries";
    }

    @Override
    protected PluginConfig config() {
      return PluginConfig.of(
          "modality 'm' (plugin timeseries)", "window", 4, "perturber", "interpolate");
    }

    @Override
    protected Path baseDirectory() {
      return resourceFolder();
    }

    @Override
    protected Object sampleField() {
      return "three_channels.csv";
    }

    @Override
    protected Map<String, Object> badFields() {
      Map<String, Object> bad = new LinkedHashMap<>();
      bad.put("ragged CSV file 'ragged.csv': row 3 has 1 column,", "ragged.csv");
      bad.put("not a number at row 4, column 2 of 'text_cell.csv'", "text_cell.csv");
      bad.put("NaN at channel 1 index 1", "nan_cell.csv");
      bad.put("gap (empty cell) at channel 0 index 2", "gap_cell.csv");
      bad.put("has a header but no values", "header_only.csv");
      bad.put("unclosed quote at row 2, column 2", "unclosed_quote.csv");
      bad.put("cannot read CSV file 'nowhere/missing.csv': no such file", "nowhere/missing.csv");
      bad.put("it is a directory", ".");
      return bad;
    }

    @Override
    protected Optional<int[]> featureOwnership(FeatureSet<Series> features) {
      return Optional.of(windowOwnership(features.value(), 4));
    }

    @Override
    protected Optional<List<?>> elements(Series value) {
      return Optional.of(flatten(value));
    }

    @Test
    void headerNamesTheChannelsAndTheFeatures() {
      assertEquals(Optional.of(List.of("temp", "humidity, %", "pressure")), value().channelNames());
      assertEquals(9, features().size());
      assertEquals("humidity, %[4:8)", features().names().get(4));
      assertEquals(1016.5, value().get(2, 5));
    }
  }

  /** Whole channels as features, hidden by a baseline of 0.5. */
  @Nested
  class ChannelsWithBaseline extends ModalityContract<Series> {
    @Override
    protected String pluginName() {
      return "timeseries";
    }

    @Override
    protected String modalityName() {
      return "ecg";
    }

    @Override
    protected PluginConfig config() {
      return PluginConfig.of(
          "modality 'ecg' (plugin timeseries)",
          "features",
          "channels",
          "perturber",
          "baseline",
          "baseline",
          0.5,
          "channels",
          3);
    }

    @Override
    protected Object sampleField() {
      return List.of(List.of(1, 2, 3, 4), List.of(-1, 0.5, 2, 0), List.of(7, 7, 7, 7.5));
    }

    @Override
    protected Map<String, Object> badFields() {
      Map<String, Object> bad = new LinkedHashMap<>();
      bad.put("2 channels; expected 3", List.of(List.of(1, 2), List.of(3, 4)));
      bad.put("empty series (channels without values)", List.of(List.of(), List.of(), List.of()));
      bad.put("element 1 is a number 2", List.of(List.of(1), 2));
      return bad;
    }

    @Override
    protected Optional<int[]> featureOwnership(FeatureSet<Series> features) {
      return Optional.of(new int[] {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2});
    }

    @Override
    protected Optional<List<?>> elements(Series value) {
      return Optional.of(flatten(value));
    }

    @Test
    void hiddenChannelsTakeTheBaseline() {
      assertEquals(List.of("c0", "c1", "c2"), features().names());
      Series s = features().apply(new boolean[] {true, false, true});
      assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5}, s.channel(1));
      assertArrayEquals(new double[] {1, 2, 3, 4}, s.channel(0));
    }
  }
}
