package io.dime.modality.timeseries;

import static io.dime.modality.timeseries.TimeseriesModalityTest.featurize;
import static io.dime.modality.timeseries.TimeseriesModalityTest.modality;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.api.InputException;
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
    // 11 steps: windows of 2, the last of 1
    assertArrayEquals(
        new double[] {1.5, 1.5, 3.5, 3.5, 5.5, 5.5, 7.5, 7.5, 9.5, 9.5, 11},
        featurize(modality("perturber", "mean"), Series.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11))
            .apply(new boolean[6])
            .values());
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
