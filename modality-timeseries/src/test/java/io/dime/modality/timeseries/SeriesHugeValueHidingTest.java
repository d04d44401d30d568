package io.dime.modality.timeseries;

import static io.dime.modality.timeseries.TimeseriesModalityTest.featurize;
import static io.dime.modality.timeseries.TimeseriesModalityTest.modality;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.InputException;
import io.dime.spi.FeatureSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Values near double's range, which a normalisation (std 1e300) brings into FLOAT32's: hiding them
 * gives finite values, and the encoder never feeds an infinity or NaN to the model.
 */
class SeriesHugeValueHidingTest {
  @Test
  void interpolatingBetweenOppositeHugeValuesGivesTheMidpoint() {
    TimeseriesModality m = modality("std", 1e300);
    FeatureSet<Series> fs = featurize(m, Series.of(-1e308, 0, 1e308));
    // was Infinity: (1e308 - -1e308) overflows
    Series hidden = fs.apply(new boolean[] {true, false, true});
    assertArrayEquals(new double[] {-1e308, 0, 1e308}, hidden.values());
    assertArrayEquals(
        new float[] {-1e8f, 0f, 1e8f}, m.encoder().encode(hidden).get(0).floats(), 1f);
    Series three =
        featurize(
                modality("std", 1e300, "window", 3),
                Series.of(1e308, 1e308, 1e308, 0, 0, 0, -1e308))
            .apply(new boolean[] {true, false, true});
    assertArrayEquals(
        new double[] {1e308, 1e308, 1e308, 5e307, 0, -5e307, -1e308}, three.values(), 1e293);
    Series quarter =
        featurize(m, Series.of(-1e308, 0, 1e308)).apply(new boolean[] {true, true, false});
    assertArrayEquals(new double[] {-1e308, 0, 0}, quarter.values());
  }

  @Test
  void theMeanOfHugeValuesIsFinite() {
    TimeseriesModality m = modality("std", 1e300, "perturber", "mean", "window", 2);
    FeatureSet<Series> fs = featurize(m, Series.of(1e308, 1e308, 1, 3));
    // was Infinity: the sum overflows
    Series hidden = fs.apply(new boolean[] {false, false});
    assertArrayEquals(new double[] {1e308, 1e308, 2, 2}, hidden.values());
    assertArrayEquals(new float[] {1e8f, 1e8f, 0f, 0f}, m.encoder().encode(hidden).get(0).floats());
  }

  @Test
  void theEncoderRefusesAnInfinityItIsHanded() {
    TimeseriesModality m = modality();
    Series bad = Series.trusted(1, 2, new double[] {1, Double.POSITIVE_INFINITY}, List.of());
    InputException e = assertThrows(InputException.class, () -> m.encoder().encode(bad));
    assertTrue(e.getMessage().contains("Infinity (channel 0, step 1)"), e.getMessage());
    Series nan = Series.trusted(1, 2, new double[] {Double.NaN, 1}, List.of());
    assertThrows(InputException.class, () -> m.encoder().encode(nan));
  }
}
