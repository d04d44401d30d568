package io.dime.modality.timeseries;

import static io.dime.modality.timeseries.TimeseriesModalityTest.featurize;
import static io.dime.modality.timeseries.TimeseriesModalityTest.modality;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.api.InputException;
import io.dime.spi.FeatureSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A series that perturber {@code mean} or {@code interpolate} cannot change at all fails its record
 * by name, instead of an explanation whose weights are all 0 ("the model ignores it").
 */
class SeriesNothingHiddenTest {
  static String refusal(TimeseriesModality m, Series s) {
    return assertThrows(InputException.class, () -> featurize(m, s)).getMessage();
  }

  @Test
  void aSeriesOfOneStepCannotBeHidden() {
    assertEquals(
        "modality 's': perturber 'interpolate' hides nothing in this series of 1 step (windows of"
            + " 1): every hidden feature equals the feature itself, so every weight would be 0; a"
            + " single step has no other value; use perturber 'baseline' or 'reference'",
        refusal(modality(), Series.of(5.0)));
    refusal(modality("perturber", "mean", "features", "channels"), Series.of(5.0));
  }

  @Test
  void theMeanOfWindowsOfOneStepIsTheSeries() {
    // the default window of a series of 10 steps or fewer is 1
    assertEquals(
        "modality 's': perturber 'mean' hides nothing in this series of 5 steps (windows of 1):"
            + " every hidden feature equals the feature itself, so every weight would be 0;"
            + " windows of one step are their own means; set 'window' to 2 or more, or use"
            + " perturber 'baseline' or 'reference'",
        refusal(modality("perturber", "mean"), Series.of(1, 2, 3, 4, 5)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> modality("perturber", "mean", "window", 1));
    assertEquals(
        "modality 's': perturber 'mean' with setting 'window' 1 hides nothing (a window of one step"
            + " is its own mean); set 'window' to 2 or more, or use 'interpolate' or 'baseline'",
        e.getMessage());
  }

  /**
   * Under {@code mean} a last window of one step would be its own mean, a feature whose weight is 0
   * whatever the model reads there: it joins the window before it. The other perturbers hide a step
   * of its own (interpolate: the neighbour's value), so their windows stay as the setting says.
   */
  @Test
  void underMeanALastWindowOfOneStepJoinsTheOneBefore() {
    Series eleven = Series.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11); // default window 2
    FeatureSet<Series> mean = featurize(modality("perturber", "mean"), eleven);
    assertEquals(List.of("c0[0:2)", "c0[2:4)", "c0[4:6)", "c0[6:8)", "c0[8:11)"), mean.names());
    assertArrayEquals(
        new double[] {1.5, 1.5, 3.5, 3.5, 5.5, 5.5, 7.5, 7.5, 10, 10, 10},
        mean.apply(new boolean[5]).values());
    // every feature hidden alone changes the series
    for (int j = 0; j < 5; j++) {
      boolean[] keep = new boolean[5];
      java.util.Arrays.fill(keep, true);
      keep[j] = false;
      assertNotEquals(
          java.util.Arrays.toString(eleven.values()),
          java.util.Arrays.toString(mean.apply(keep).values()),
          "feature " + j);
    }
    // two channels, window 4 of 9 steps: [0:4), [4:9) in each
    FeatureSet<Series> two =
        featurize(
            modality("perturber", "mean", "window", 4),
            Series.of(new double[][] {{1, 2, 3, 4, 5, 6, 7, 8, 9}, {9, 8, 7, 6, 5, 4, 3, 2, 1}}));
    assertEquals(List.of("c0[0:4)", "c0[4:9)", "c1[0:4)", "c1[4:9)"), two.names());
    // a rest of two steps stays a window of its own; interpolate keeps a one-step rest
    assertEquals(
        List.of("c0[0:4)", "c0[4:8)", "c0[8:10)"),
        featurize(
                modality("perturber", "mean", "window", 4),
                Series.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))
            .names());
    assertEquals(6, featurize(modality(), eleven).size());
  }

  @Test
  void aConstantSeriesIsRefusedButABaselineMayEqualTheSeries() {
    refusal(modality(), Series.of(3, 3, 3, 3));
    refusal(modality("perturber", "mean", "window", 2), Series.of(3, 3, 3, 3));
    assertArrayEquals(
        new double[4],
        featurize(modality("perturber", "baseline"), Series.of(3, 3, 3, 3))
            .apply(new boolean[4])
            .values());
    // the series is the baseline: nothing hidden, and 0 is the right weight
    assertArrayEquals(
        new double[3],
        featurize(modality("perturber", "baseline"), Series.of(0, 0, 0))
            .apply(new boolean[3])
            .values());
    // one constant channel of two: the other still changes
    assertArrayEquals(
        new double[] {1.5, 1.5, 3, 3},
        featurize(
                modality("perturber", "mean", "features", "channels"),
                Series.of(new double[][] {{1, 2}, {3, 3}}))
            .apply(new boolean[2])
            .values());
  }
}
