package io.dime.modality.timeseries;

import static io.dime.modality.timeseries.TimeseriesModalityTest.featurize;
import static io.dime.modality.timeseries.TimeseriesModalityTest.modality;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.dime.spi.FeatureSet;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * What the README says of a constant channel among others, and of a straight stretch under {@code
 * interpolate}: not refused (the series as a whole can be hidden), but hiding those features gives
 * the series back unchanged, so their weights are 0 wherever the model reads them; {@code baseline}
 * hides them.
 */
class SeriesConstantChannelTest {
  private static final Series SERIES =
      Series.of(new double[][] {{5, 5, 5, 5, 5, 5}, {1, 2, 3, 4, 9, 0}});

  private static boolean[] hiding(int size, int... hidden) {
    boolean[] keep = new boolean[size];
    Arrays.fill(keep, true);
    for (int h : hidden) {
      keep[h] = false;
    }
    return keep;
  }

  @Test
  void aConstantChannelAndAStraightStretchHideAsThemselves() {
    FeatureSet<Series> fs = featurize(modality("window", 2), SERIES);
    assertEquals("[c0[0:2), c0[2:4), c0[4:6), c1[0:2), c1[2:4), c1[4:6)]", fs.names().toString());
    assertEquals(SERIES, fs.apply(hiding(6, 0, 1, 2)), "channel 0 is constant");
    // c1[2:4) is off the line from 2 (step 1) to 9 (step 4): 3, 4 against 4.33, 6.67
    assertNotEquals(SERIES, fs.apply(hiding(6, 4)));
    Series ramp = Series.of(1, 2, 3, 4, 5, 6);
    assertEquals(
        ramp, featurize(modality("window", 2), ramp).apply(hiding(3, 1)), "a straight run");
    FeatureSet<Series> baseline = featurize(modality("window", 2, "perturber", "baseline"), SERIES);
    assertNotEquals(SERIES, baseline.apply(hiding(6, 0)));
  }
}
