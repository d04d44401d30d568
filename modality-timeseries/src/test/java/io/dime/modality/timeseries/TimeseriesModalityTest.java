package io.dime.modality.timeseries;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.InputException;
import io.dime.api.Tensor;
import io.dime.spi.FeatureSet;
import io.dime.spi.Palette;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import io.dime.spi.ReadContext;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Acceptance tests: tiling, hiding, reading, bad input, encoding and views. */
class TimeseriesModalityTest {
  @TempDir Path dir;

  static TimeseriesModality modality(Object... settings) {
    return new TimeseriesModality("s", PluginConfig.of("modality 's'", settings));
  }

  static FeatureSet<Series> featurize(TimeseriesModality m, Series s) {
    return m.featurize(s, PoolStatistics.empty(), new SplittableRandom(1));
  }

  static boolean[] allBut(int d, int hidden) {
    boolean[] keep = new boolean[d];
    Arrays.fill(keep, true);
    keep[hidden] = false;
    return keep;
  }

  ReadContext context() {
    return new ReadContext(dir, "r1");
  }

  Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  // ---- windows tile the series ---------------------------------------------------------------

  static Stream<Arguments> tilings() {
    // length, window setting (0 = default), expected window
    return Stream.of(
        Arguments.of(20, 5, 5),
        Arguments.of(23, 5, 5),
        Arguments.of(23, 0, 3),
        Arguments.of(100, 0, 10),
        Arguments.of(101, 0, 11),
        Arguments.of(7, 1, 1),
        Arguments.of(1, 0, 1),
        Arguments.of(6, 6, 6),
        Arguments.of(6, 50, 50));
  }

  /**
   * Hides each window alone (baseline 0 on a series with no zero) and reads off the indices it
   * changed: every index of every channel is hidden by exactly one window, windows come in order,
   * each is contiguous, all have the window's length but the last, which may be shorter.
   */
  @ParameterizedTest(name = "length {0}, window setting {1}")
  @MethodSource("tilings")
  void windowsTileTheSeriesExactly(int length, int windowSetting, int window) {
    TimeseriesModality m =
        windowSetting > 0
            ? modality("window", windowSetting, "perturber", "baseline")
            : modality("perturber", "baseline");
    double[][] data = new double[2][length];
    for (int c = 0; c < 2; c++) {
      for (int i = 0; i < length; i++) {
        data[c][i] = 1 + i + 100 * c;
      }
    }
    Series s = Series.of(data);
    FeatureSet<Series> fs = featurize(m, s);
    int perChannel = (length + window - 1) / window;
    assertEquals(2 * perChannel, fs.size());
    int[][] hits = new int[2][length];
    int f = 0;
    for (int c = 0; c < 2; c++) {
      int expectedStart = 0;
      for (int k = 0; k < perChannel; k++, f++) {
        Series hidden = fs.apply(allBut(fs.size(), f));
        List<Integer> changed = new ArrayList<>();
        for (int cc = 0; cc < 2; cc++) {
          for (int i = 0; i < length; i++) {
            if (hidden.get(cc, i) != s.get(cc, i)) {
              assertEquals(c, cc, "feature " + f + " changed channel " + cc);
              assertEquals(0.0, hidden.get(cc, i));
              changed.add(i);
              hits[cc][i]++;
            }
          }
        }
        int end = Math.min(length, expectedStart + window);
        List<Integer> expected = new ArrayList<>();
        for (int i = expectedStart; i < end; i++) {
          expected.add(i);
        }
        assertEquals(expected, changed, "feature " + f + " (" + fs.names().get(f) + ")");
        assertEquals("c" + c + "[" + expectedStart + ":" + end + ")", fs.names().get(f));
        expectedStart = end;
      }
      assertEquals(length, expectedStart, "windows of channel " + c + " end at the series end");
    }
    for (int[] row : hits) {
      for (int h : row) {
        assertEquals(1, h, "every index is in exactly one window");
      }
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> bounds = (List<Map<String, Object>>) fs.layout().get("bounds");
    assertEquals(
        Map.of("channel", 1, "start", 0, "end", Math.min(window, length)), bounds.get(perChannel));
    assertEquals(window, fs.layout().get("window"));
  }

  // ---- hiding --------------------------------------------------------------------------------

  @Test
  void referenceTakesTheHiddenStepsFromOnePoolSeriesChosenByTheSeed() {
    Series s = Series.of(0, 10, 3, 7, 20, 5, 1, 8);
    List<Series> refs =
        List.of(
            Series.of(1, 1, 1, 1, 1, 1, 1, 1),
            Series.of(2, 3, 4, 5, 6, 7, 8, 9),
            Series.of(0, 10, 3, 7, 20, 5, 1, 8)); // equal to the explained series: never drawn
    PoolStatistics pool = new PoolStatistics(List.copyOf(refs));
    TimeseriesModality m = modality("window", 3, "perturber", "reference");
    java.util.Set<Series> seen = new java.util.HashSet<>();
    for (long seed = 0; seed < 30; seed++) {
      FeatureSet<Series> fs = m.featurize(s, pool, new SplittableRandom(seed));
      Series hidden = fs.apply(new boolean[3]);
      assertTrue(hidden.equals(refs.get(0)) || hidden.equals(refs.get(1)), hidden.toString());
      assertEquals(hidden, m.featurize(s, pool, new SplittableRandom(seed)).apply(new boolean[3]));
      seen.add(hidden);
      if (hidden.equals(refs.get(1))) {
        // only the hidden window [3:6) takes the reference's values at those steps
        assertEquals(
            Series.of(0, 10, 3, 5, 6, 7, 1, 8), fs.apply(new boolean[] {true, false, true}));
      }
    }
    assertEquals(2, seen.size());
  }

  @Test
  void referenceRejectsAnEmptyPoolOrAnotherShapeNamingIt() {
    TimeseriesModality m = modality("perturber", "reference");
    Series s = Series.of(1, 2, 3);
    InputException empty =
        assertThrows(
            InputException.class,
            () -> m.featurize(s, PoolStatistics.empty(), new SplittableRandom(1)));
    assertTrue(empty.getMessage().contains("reference pool, which is empty"), empty.getMessage());
    InputException shape =
        assertThrows(
            InputException.class,
            () ->
                m.featurize(
                    s,
                    new PoolStatistics(List.of(Series.of(1, 2, 3), Series.of(1, 2))),
                    new SplittableRandom(1)));
    assertTrue(shape.getMessage().contains("pool series 1 has 1 x 2"), shape.getMessage());
    InputException alone =
        assertThrows(
            InputException.class,
            () ->
                m.featurize(
                    s,
                    new PoolStatistics(List.of(Series.of(1, 2, 3), Series.of(1, 2, 3))),
                    new SplittableRandom(1)));
    assertTrue(alone.getMessage().contains("other than the explained one"), alone.getMessage());
  }

  @Test
  void interpolationReplacesTheWindowInsideAndKeepsItsNeighbours() {
    Series s = Series.of(0, 10, 3, 7, 20, 5, 1, 8);
    FeatureSet<Series> fs = featurize(modality("window", 3, "perturber", "interpolate"), s);
    assertEquals(List.of("c0[0:3)", "c0[3:6)", "c0[6:8)"), fs.names());
    // [3:6) between x[2] = 3 and x[6] = 1: 3 - 2 * k / 4 for k = 1, 2, 3
    assertEquals(
        Series.of(0, 10, 3, 2.5, 2, 1.5, 1, 8), fs.apply(new boolean[] {true, false, true}));
    // at the edges, the one neighbour there is
    assertEquals(Series.of(7, 7, 7, 7, 20, 5, 1, 8), fs.apply(new boolean[] {false, true, true}));
    assertEquals(Series.of(0, 10, 3, 7, 20, 5, 5, 5), fs.apply(new boolean[] {true, true, false}));
    // each window from the original values, whatever else is hidden
    assertEquals(Series.of(7, 7, 7, 2.5, 2, 1.5, 5, 5), fs.apply(new boolean[3]));
  }

  @Test
  void interpolatedWindowsLieOnTheLineBetweenUnchangedNeighbours() {
    SplittableRandom rng = new SplittableRandom(7);
    double[][] data = new double[2][47];
    for (double[] row : data) {
      for (int i = 0; i < row.length; i++) {
        row[i] = rng.nextDouble(-5, 5);
      }
    }
    Series s = Series.of(data);
    FeatureSet<Series> fs = featurize(modality("window", 6, "perturber", "interpolate"), s);
    for (int f = 0; f < fs.size(); f++) {
      int c = f / 8;
      int start = (f % 8) * 6;
      int end = Math.min(47, start + 6);
      Series h = fs.apply(allBut(fs.size(), f));
      for (int i = 0; i < 47; i++) {
        if (i < start || i >= end) {
          assertEquals(s.get(c, i), h.get(c, i), "outside the window, feature " + f);
        }
      }
      if (start > 0 && end < 47) {
        double a = s.get(c, start - 1);
        double b = s.get(c, end);
        for (int i = start; i < end; i++) {
          double line = a + (b - a) * (i - start + 1) / (end - start + 1);
          assertEquals(line, h.get(c, i), 1e-12, "feature " + f + " index " + i);
        }
      }
    }
  }

  @Test
  void aWindowAsLongAsTheSeriesInterpolatesToItsMean() {
    FeatureSet<Series> fs =
        featurize(modality("window", 10, "perturber", "interpolate"), Series.of(1, 2, 6));
    assertEquals(Series.of(3, 3, 3), fs.apply(new boolean[1]));
  }

  @Test
  void meanHidingGivesEachWindowItsOwnMean() {
    Series s = Series.of(new double[][] {{1, 2, 3, 4, 5, 6, 7}, {0, 0, 3, 1, 1, 10, -2}});
    FeatureSet<Series> fs = featurize(modality("window", 3, "perturber", "mean"), s);
    // windows [0:3) and [3:7): the last step joins the window before it (alone, it would be its
    // own mean)
    assertEquals(List.of("c0[0:3)", "c0[3:7)", "c1[0:3)", "c1[3:7)"), fs.names());
    assertEquals(
        Series.of(new double[][] {{2, 2, 2, 5.5, 5.5, 5.5, 5.5}, {1, 1, 1, 2.5, 2.5, 2.5, 2.5}}),
        fs.apply(new boolean[4]));
    assertEquals(
        Series.of(new double[][] {{1, 2, 3, 5.5, 5.5, 5.5, 5.5}, {1, 1, 1, 1, 1, 10, -2}}),
        fs.apply(new boolean[] {true, false, false, true}));
  }

  @Test
  void byDefaultWindowsAreInterpolatedAndChannelsSetToTheBaseline() {
    // A model that reads window averages sees its input change when a window is hidden: the
    // default must not keep each window's mean.
    Series s = Series.of(new double[][] {{1, 5, 0, 8, 2, 2}, {4, 4, 4, 4, 4, 4}});
    FeatureSet<Series> windows = featurize(modality("window", 2), s);
    Series hidden = windows.apply(new boolean[] {true, false, true, true, true, true});
    // the line from 5 (step 1) to 2 (step 4)
    assertEquals(Series.of(new double[][] {{1, 5, 4, 3, 2, 2}, {4, 4, 4, 4, 4, 4}}), hidden);
    assertNotEquals(
        (0 + 8) / 2.0, (hidden.get(0, 2) + hidden.get(0, 3)) / 2, 1e-9, "the window's mean kept");
    FeatureSet<Series> channels = featurize(modality("features", "channels"), s);
    assertEquals(
        Series.of(new double[][] {{0, 0, 0, 0, 0, 0}, {4, 4, 4, 4, 4, 4}}),
        channels.apply(new boolean[] {false, true}));
  }

  @Test
  void baselineHidingGivesTheBaselineValue() {
    Series s = Series.of(1, 2, 3, 4, 5);
    FeatureSet<Series> zero = featurize(modality("window", 2, "perturber", "baseline"), s);
    assertEquals(Series.of(0, 0, 3, 4, 0), zero.apply(new boolean[] {false, true, false}));
    FeatureSet<Series> other =
        featurize(modality("window", 2, "perturber", "baseline", "baseline", -1.5), s);
    assertEquals(Series.of(1, 2, -1.5, -1.5, 5), other.apply(new boolean[] {true, false, true}));
  }

  @Test
  void channelFeaturesHideWholeChannels() {
    Series s = Series.of(new double[][] {{1, 3}, {2, 8}, {5, 5}}, List.of("hr", "spo2", "resp"));
    FeatureSet<Series> fs = featurize(modality("features", "channels", "perturber", "mean"), s);
    assertEquals(List.of("hr", "spo2", "resp"), fs.names());
    assertEquals(
        Series.of(new double[][] {{1, 3}, {5, 5}, {5, 5}}, List.of("hr", "spo2", "resp")),
        fs.apply(new boolean[] {true, false, true}));
  }

  @Test
  void theFullMaskGivesBackTheSameValueAndApplyCopiesOtherwise() {
    Series s = Series.of(1, 2, 3, 4);
    FeatureSet<Series> fs = featurize(modality("window", 2), s);
    assertTrue(s.equals(fs.apply(new boolean[] {true, true})));
    Series hidden = fs.apply(new boolean[] {false, true});
    // the default hides a window by interpolation: at the edge, its one neighbour repeated
    assertEquals(Series.of(3, 3, 3, 4), hidden);
    assertEquals(Series.of(1, 2, 3, 4), s, "the featurized value is unchanged");
    assertThrows(IllegalArgumentException.class, () -> fs.apply(new boolean[3]));
  }

  // ---- reading -------------------------------------------------------------------------------

  @Test
  void readsJsonArraysOfOneAndSeveralChannels() {
    TimeseriesModality m = modality();
    assertEquals(Series.of(1, 2.5, -3), m.read(List.of(1, 2.5, -3L), context()));
    assertEquals(
        Series.of(new double[][] {{1, 2}, {3, 4}}),
        m.read(List.of(List.of(1, 2), List.of(3.0, 4)), context()));
  }

  @Test
  void readsCsvWithHeader() throws IOException {
    write("h.csv", "\uFEFFtime_a, \"b \"\"x\"\"\"\r\n1,2\r\n3.5,-4e1\r\n\r\n");
    Series s = modality().read("h.csv", context());
    assertEquals(Series.of(new double[][] {{1, 3.5}, {2, -40}}, List.of("time_a", "b \"x\"")), s);
  }

  @Test
  void readsCsvWithoutHeader() throws IOException {
    write("n.csv", "1,2,3\n4,5,6\n7,8,9\n10,11,12\n");
    Series s = modality().read("n.csv", context());
    assertEquals(Series.of(new double[][] {{1, 4, 7, 10}, {2, 5, 8, 11}, {3, 6, 9, 12}}), s);
    assertEquals(Optional.empty(), s.channelNames());
    assertEquals("c2", s.channelLabel(2));
  }

  @Test
  void readsOneColumnCsvInASubfolder() throws IOException {
    Files.createDirectories(dir.resolve("data"));
    write("data/one.csv", "value\n0.5\n.25\n+3\n");
    assertEquals(
        Series.of(new double[][] {{0.5, 0.25, 3}}, List.of("value")),
        modality().read("data/one.csv", context()));
  }

  @Test
  void headerSettingForcesOrForbidsAHeader() throws IOException {
    write("years.csv", "2020,2021\n1,2\n");
    assertEquals(
        Series.of(new double[][] {{2020, 1}, {2021, 2}}), modality().read("years.csv", context()));
    assertEquals(
        Series.of(new double[][] {{1}, {2}}, List.of("2020", "2021")),
        modality("header", "true").read("years.csv", context()));
    write("named.csv", "a,b\n1,2\n");
    InputException e =
        assertThrows(
            InputException.class, () -> modality("header", "false").read("named.csv", context()));
    assertTrue(e.getMessage().contains("not a number at row 1, column 1"), e.getMessage());
  }

  /**
   * Spreadsheets in many locales write semicolons (and decimal commas), some tools tabs: the
   * delimiter is the one every one of the first rows holds equally often, the decimal mark is a
   * setting, and a decimal comma read with the default says which setting to change.
   */
  @Test
  void semicolonTabAndDecimalCommaFilesAreRead() throws IOException {
    Series want = Series.of(new double[][] {{1.5, -3}, {2, 4.25}}, List.of("a", "b"));
    write("semi.csv", "a;b\n1.5;2\n-3;4.25\n");
    write("tab.csv", "a\tb\n1.5\t2\n-3\t4.25\n");
    write("quoted.csv", "\"a;x\",b\n1.5,2\n-3,4.25\n"); // a quoted ';' is not a delimiter
    assertEquals(want, modality().read("semi.csv", context()));
    assertEquals(want, modality().read("tab.csv", context()));
    assertEquals(
        Series.of(new double[][] {{1.5, -3}, {2, 4.25}}, List.of("a;x", "b")),
        modality().read("quoted.csv", context()));
    // a header with unquoted semicolons in its names: the comma is the one every row has once
    write("units.csv", "speed;km/h,temp;C\n1.5,2\n-3,4.25\n");
    assertEquals(
        Series.of(new double[][] {{1.5, -3}, {2, 4.25}}, List.of("speed;km/h", "temp;C")),
        modality().read("units.csv", context()));
    write("euro.csv", "a;b\n1,5;2\n-3;4,25\n");
    assertEquals(want, modality("decimal", ",").read("euro.csv", context()));
    assertEquals(want, modality("decimal", ",", "delimiter", ";").read("euro.csv", context()));
    write("euro1.csv", "1,5\n-3\n"); // one column of decimal commas
    assertEquals(
        Series.of(new double[][] {{1.5, -3}}),
        modality("decimal", ",").read("euro1.csv", context()));
    InputException e = readFails("euro.csv");
    assertTrue(
        e.getMessage().contains("'1,5'; for decimal commas set decimal: ','"), e.getMessage());
    // an explicit delimiter is used as given
    assertTrue(
        readFails(modality("delimiter", ","), "semi.csv")
            .getMessage()
            .contains("not a number at row 2, column 1"));
  }

  // ---- bad input -----------------------------------------------------------------------------

  InputException readFails(Object field) {
    return readFails(modality(), field);
  }

  InputException readFails(TimeseriesModality m, Object field) {
    InputException e = assertThrows(InputException.class, () -> m.read(field, context()));
    assertEquals(Optional.of("r1"), e.recordId());
    assertTrue(e.getMessage().startsWith("record 'r1': modality 's'"), e.getMessage());
    return e;
  }

  @Test
  void aSeriesOverMaxValuesIsRefusedNamingTheSetting() {
    TimeseriesModality m = modality("maxValues", 5);
    InputException e =
        assertThrows(
            InputException.class,
            () -> m.read(List.of(List.of(1, 2, 3), List.of(4, 5, 6)), new ReadContext(dir, "r1")));
    assertTrue(
        e.getMessage()
            .contains("has 2 channels x 3 values = 6; the most is 5 (setting 'maxValues')"),
        e.getMessage());
    assertEquals(Optional.of("r1"), e.recordId());
  }

  /**
   * A CSV file over maxValues fails as the limit is passed, naming the setting, not after the whole
   * file is held in memory: 12 million one-value rows (24 MB) once ran a 2 GB heap out of memory
   * before the limit was checked, which ended the whole job. Here a file of 3 channels x 5,000 rows
   * against a limit of 3,000 values stops at row 1,002 (its header and 1,000 rows fit).
   */
  @Test
  void aCsvFileOverMaxValuesStopsBeingReadAtTheLimit() throws Exception {
    StringBuilder csv = new StringBuilder("a,b,c\n");
    for (int r = 0; r < 5000; r++) {
      csv.append(r).append(',').append(r * 0.5).append(',').append(-r).append('\n');
    }
    Files.writeString(dir.resolve("big.csv"), csv);
    TimeseriesModality m = modality("maxValues", 3000);
    InputException e =
        assertThrows(InputException.class, () -> m.read("big.csv", new ReadContext(dir, "r1")));
    assertEquals(
        "record 'r1': modality 's': CSV file 'big.csv' has more than 3000 values (3 channels;"
            + " reading stopped at row 1002); the most is 3000 (setting 'maxValues')",
        e.getMessage());
    // at the limit itself the file is read whole, and the trailing blank lines are no rows
    Files.writeString(dir.resolve("fits.csv"), csv.substring(0, csv.indexOf("1000,")) + "\n \r\n");
    Series s = m.read("fits.csv", new ReadContext(dir, "r1"));
    assertEquals(3, s.channels());
    assertEquals(1000, s.length());
    assertEquals(-999, s.channel(2)[999]);
  }

  @Test
  void nanInASeriesNamesChannelAndIndex() {
    InputException e = readFails(List.of(List.of(1, 2, 3), List.of(4, Double.NaN, 6)));
    assertEquals("record 'r1': modality 's': NaN at channel 1 index 1", e.getMessage());
  }

  @Test
  void nanAndGapsInCsvNameChannelIndexRowAndColumn() throws IOException {
    write("nan.csv", "1,2\n3,nan\n");
    assertTrue(
        readFails("nan.csv")
            .getMessage()
            .contains("NaN at channel 1 index 1 (row 2, column 2 of 'nan.csv')"));
    write("gap.csv", "1\n\n3\n");
    assertTrue(readFails("gap.csv").getMessage().contains("gap (empty cell) at channel 0 index 1"));
  }

  @Test
  void aGapInJsonNamesChannelAndIndex() {
    assertTrue(
        readFails(List.of(Arrays.asList(1, 2), Arrays.asList(3, null)))
            .getMessage()
            .endsWith("gap (missing value) at channel 1 index 1"));
  }

  @Test
  void raggedInputFails() throws IOException {
    assertTrue(
        readFails(List.of(List.of(1, 2, 3), List.of(1, 2)))
            .getMessage()
            .endsWith("ragged channels: channel 0 has 3 values, channel 1 has 2"));
    write("ragged.csv", "a,b,c\n1,2,3\n4,5\n");
    assertTrue(
        readFails("ragged.csv")
            .getMessage()
            .endsWith("ragged CSV file 'ragged.csv': row 3 has 2 columns, row 1 has 3"));
    write("ragged1.csv", "a,b\n1,2\n4\n");
    assertTrue(
        readFails("ragged1.csv")
            .getMessage()
            .endsWith("ragged CSV file 'ragged1.csv': row 3 has 1 column, row 1 has 2"));
  }

  @Test
  void nonNumericCellNamesRowAndColumn() throws IOException {
    write("text.csv", "a,b,c\n1,2,3\n4,five,6\n");
    assertTrue(
        readFails("text.csv")
            .getMessage()
            .endsWith("not a number at row 3, column 2 of 'text.csv' (channel 1 index 1): 'five'"));
    write("suffix.csv", "1,2f\n");
    assertTrue(readFails("suffix.csv").getMessage().contains("row 1, column 2"));
  }

  @Test
  void missingFileFails() {
    InputException e = readFails("absent.csv");
    assertTrue(e.getMessage().contains("cannot read CSV file 'absent.csv': no such file"));
  }

  @Test
  void emptyInputFails() throws IOException {
    assertTrue(readFails(List.of()).getMessage().endsWith("empty series (an empty array)"));
    assertTrue(readFails(List.of(List.of())).getMessage().contains("empty series"));
    write("empty.csv", "\n\n");
    assertTrue(readFails("empty.csv").getMessage().contains("empty series"));
    assertTrue(readFails("").getMessage().contains("empty file name"));
  }

  @Test
  void infiniteValuesAndBadHeadersFail() throws IOException {
    assertTrue(readFails(List.of(1, Double.POSITIVE_INFINITY)).getMessage().contains("not finite"));
    write("inf.csv", "1\n-Infinity\n");
    assertTrue(readFails("inf.csv").getMessage().contains("channel 0 index 1"));
    write("dup.csv", "a,a\n1,2\n");
    assertTrue(readFails("dup.csv").getMessage().contains("names channel 'a' twice"));
    write("blank.csv", "a,,c\n1,2,3\n");
    assertTrue(readFails("blank.csv").getMessage().contains("no channel name in column 2"));
    write("quote.csv", "\"a\"x,b\n1,2\n");
    assertTrue(readFails("quote.csv").getMessage().contains("text after a closing quote"));
  }

  @Test
  void mixedArraysFail() {
    assertTrue(readFails(List.of(1, List.of(2))).getMessage().contains("element 1 is an array"));
    assertTrue(readFails(List.of(List.of(1), 2)).getMessage().contains("element 1 is a number 2"));
  }

  @Test
  void checkAppliesTheFixedShape() {
    TimeseriesModality m = modality("length", 3, "channels", 1);
    assertEquals(Series.of(1, 2, 3), m.check(Series.of(1, 2, 3), "r2"));
    InputException e = assertThrows(InputException.class, () -> m.check(Series.of(1, 2), "r2"));
    assertTrue(e.getMessage().contains("2 values per channel; expected 3"), e.getMessage());
    assertThrows(
        InputException.class,
        () -> m.check(Series.of(new double[][] {{1, 2, 3}, {1, 2, 3}}), "r2"));
    assertThrows(InputException.class, () -> m.check(new double[] {1, 2, 3}, "r2"));
  }

  // ---- encoding ------------------------------------------------------------------------------

  @Test
  void encodesChannelsByLengthWithPerChannelNormalisation() {
    TimeseriesModality m =
        modality("input", "x", "length", 2, "mean", List.of(1, -1), "std", List.of(2, 0.5));
    assertEquals("x:FLOAT32[2, 2]", m.encoder().outputs().get(0).toString());
    Tensor t = m.encoder().encode(Series.of(new double[][] {{3, 1}, {0, -2}})).get(0);
    assertArrayEquals(new long[] {2, 2}, t.shape());
    assertArrayEquals(new float[] {1, 0, 2, -2}, t.floats());
    InputException e =
        assertThrows(
            InputException.class, () -> m.encoder().encode(Series.of(new double[][] {{1, 2, 3}})));
    assertTrue(e.getMessage().contains("1 channels; expected 2"), e.getMessage());
  }

  @Test
  void encodesAnyShapeByDefaultAndBroadcastsOneMean() {
    TimeseriesModality m = modality("mean", 2, "std", 4);
    assertEquals("s:FLOAT32[?, ?]", m.encoder().outputs().get(0).toString());
    Tensor t = m.encoder().encode(Series.of(new double[][] {{2, 6, 10}, {-2, 2, 4}})).get(0);
    assertArrayEquals(new long[] {2, 3}, t.shape());
    assertArrayEquals(new float[] {0, 1, 2, -1, 0, 0.5f}, t.floats());
  }

  // ---- views ---------------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> bands(View v) {
    return (List<Map<String, Object>>) v.data().get("features");
  }

  @Test
  void viewShowsValuesAndWeightedBandsInThePaletteEndColours() {
    TimeseriesModality m = modality("window", 2);
    FeatureSet<Series> fs =
        featurize(
            m, Series.of(new double[][] {{1, 2, 3, 4, 5}, {5, 4, 3, 2, 1}}, List.of("a", "b")));
    double[] w = {0.5, -2, 0, 1, 2, -0.5};
    View v = m.view(fs, w, ViewOptions.defaults("UC s"));
    assertEquals("series", v.kind());
    assertEquals("UC s", v.data().get("title"));
    assertEquals(2.0, v.data().get("scale"));
    Map<String, Object> palette = (Map<String, Object>) v.data().get("palette");
    assertEquals("diverging", palette.get("name"));
    List<Map<String, Object>> channels = (List<Map<String, Object>>) v.data().get("channels");
    assertEquals("b", channels.get(1).get("name"));
    assertArrayEquals(new double[] {5, 4, 3, 2, 1}, (double[]) channels.get(1).get("values"));
    List<Map<String, Object>> bands = bands(v);
    assertEquals(6, bands.size());
    assertEquals("a[2:4)", bands.get(1).get("name"));
    assertEquals(Map.of("channel", 0, "start", 4, "end", 5), bounds(bands.get(2)));
    assertEquals(Map.of("channel", 1, "start", 0, "end", 2), bounds(bands.get(3)));
    assertEquals(palette.get("positive"), bands.get(4).get("colour"));
    assertEquals(palette.get("negative"), bands.get(1).get("colour"));
    assertEquals(palette.get("neutral"), bands.get(2).get("colour"));
    assertNotEquals(palette.get("positive"), bands.get(3).get("colour"));
    assertEquals(-2.0, bands.get(1).get("weight"));
    assertTrue(bands.stream().allMatch(b -> (Boolean) b.get("shaded")));

    View gr = m.view(fs, w, new ViewOptions("green_red", 2, "top 2"));
    Map<String, Object> grPalette = (Map<String, Object>) gr.data().get("palette");
    assertEquals("green_red", grPalette.get("name"));
    assertEquals(Palette.GREEN_RED.positive(), bands(gr).get(4).get("colour"));
    assertEquals(Palette.GREEN_RED.negative(), bands(gr).get(1).get("colour"));
    List<Object> shaded = bands(gr).stream().map(b -> b.get("shaded")).toList();
    assertEquals(List.of(false, true, false, false, true, false), shaded);
  }

  static Map<String, Object> bounds(Map<String, Object> band) {
    return Map.of(
        "channel", band.get("channel"), "start", band.get("start"), "end", band.get("end"));
  }

  @Test
  void bandColoursAreTheSharedPalettesColoursOnTheLargestAbsoluteWeight() {
    TimeseriesModality m = modality("window", 2);
    FeatureSet<Series> fs = featurize(m, Series.of(1, 2, 3, 4, 5, 6));
    double[] w = {1.5, -3, Double.NaN};
    View v = m.view(fs, w, ViewOptions.defaults("t"));
    assertEquals(3.0, v.data().get("scale"));
    for (int f = 0; f < w.length; f++) {
      assertEquals(Palette.DIVERGING.colour(w[f], 3), bands(v).get(f).get("colour"));
    }
    assertEquals("#E69F00", bands(v).get(1).get("colour"));
    assertEquals("#FFFFFF", bands(v).get(2).get("colour"));
  }

  @Test
  void viewRejectsWrongWeightCountAndUnknownPalette() {
    TimeseriesModality m = modality();
    FeatureSet<Series> fs = featurize(m, Series.of(1, 2, 3));
    assertThrows(
        IllegalArgumentException.class, () -> m.view(fs, new double[2], ViewOptions.defaults("t")));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> m.view(fs, new double[3], new ViewOptions("rainbow", 0, "t")));
    assertTrue(e.getMessage().contains("available: [diverging, green_red]"), e.getMessage());
  }

  // ---- settings ------------------------------------------------------------------------------

  @Test
  void badSettingsFailNamingTheSetting() {
    assertSettingFails("'window' must be a positive", "window", 0);
    assertSettingFails("applies to features 'windows' only", "features", "channels", "window", 3);
    assertSettingFails(
        "perturber 'interpolate' needs features 'windows'",
        "features",
        "channels",
        "perturber",
        "interpolate");
    assertSettingFails("'baseline' applies to perturber 'baseline' only", "baseline", 1);
    assertSettingFails("allowed: [baseline, interpolate, mean, reference]", "perturber", "blur");
    assertSettingFails("allowed: [channels, windows]", "features", "pixels");
    assertSettingFails("'std' must be positive", "std", List.of(1, 0));
    assertSettingFails(
        "disagree on the number of channels", "channels", 2, "mean", List.of(0, 0, 0));
    assertSettingFails("'length' must be 0 (any) or positive", "length", -1);
    assertSettingFails("unknown setting 'windw'", "windw", 5);
    assertSettingFails("allowed: [auto, false, true]", "header", "maybe");
    assertSettingFails("allowed: [,, ;, auto, tab]", "delimiter", "|");
    assertSettingFails("allowed: [nct, nt, ntc]", "layout", "tnc");
  }

  static void assertSettingFails(String fragment, Object... settings) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> modality(settings));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertTrue(e.getMessage().startsWith("modality 's'"), e.getMessage());
  }

  @Test
  void provenanceListsEverySettingWithDefaults() {
    assertEquals(
        Map.ofEntries(
            Map.entry("features", "windows"),
            Map.entry("window", "auto (length / 10 rounded up)"),
            Map.entry("perturber", "interpolate"),
            Map.entry("input", "s"),
            Map.entry("layout", "nct"),
            Map.entry("length", 0),
            Map.entry("channels", 0),
            Map.entry("mean", List.of(0.0)),
            Map.entry("std", List.of(1.0)),
            Map.entry("header", "auto"),
            Map.entry("delimiter", "auto"),
            Map.entry("decimal", "."),
            Map.entry("maxValues", 10_000_000)),
        modality().provenance());
    Map<String, Object> p = modality("perturber", "baseline", "baseline", 2).provenance();
    assertEquals(2.0, p.get("baseline"));
  }

  @Test
  void samplingHintsAreDense() {
    assertEquals(io.dime.spi.SamplingHints.DENSE, modality().samplingHints());
  }

  // ---- the value type ------------------------------------------------------------------------

  @Test
  void seriesIsAnImmutableValue() {
    double[][] data = {{1, 2}, {3, 4}};
    Series s = Series.of(data, List.of("x", "y"));
    data[0][0] = 99;
    assertEquals(1, s.get(0, 0));
    s.channel(0)[1] = 99;
    s.toArray()[1][0] = 99;
    assertEquals(Series.of(new double[][] {{1, 2}, {3, 4}}, List.of("x", "y")), s);
    assertEquals(
        Series.of(new double[][] {{1, 2}, {3, 4}}, List.of("x", "y")).hashCode(), s.hashCode());
    assertNotEquals(Series.of(new double[][] {{1, 2}, {3, 4}}), s);
    assertNotEquals(Series.of(1, 2, 3, 4), Series.of(new double[][] {{1, 2}, {3, 4}}));
    assertFalse(s.toString().contains("99"));
    assertEquals("Series[2 x 2: x=[1.0, 2.0]; y=[3.0, 4.0]]", s.toString());
  }

  @Test
  void seriesRejectsBadShapesAndValues() {
    assertThrows(IllegalArgumentException.class, () -> Series.of(new double[0][]));
    assertThrows(IllegalArgumentException.class, () -> Series.of(new double[0]));
    assertThrows(IllegalArgumentException.class, () -> Series.of(new double[][] {{1}, {1, 2}}));
    assertThrows(IllegalArgumentException.class, () -> Series.of(1, Double.NaN));
    assertThrows(
        IllegalArgumentException.class, () -> Series.of(new double[][] {{1}}, List.of("a", "b")));
    assertThrows(
        IllegalArgumentException.class,
        () -> Series.of(new double[][] {{1}, {2}}, List.of("a", "a")));
    assertThrows(IndexOutOfBoundsException.class, () -> Series.of(1, 2).get(0, 2));
  }
}
