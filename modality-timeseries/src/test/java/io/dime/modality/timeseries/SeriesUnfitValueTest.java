package io.dime.modality.timeseries;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.api.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A finite value beyond FLOAT32's range once normalised would reach the model as an infinity (and
 * come back as NaN): the encoder refuses it as the record's bad input, naming value and input.
 */
class SeriesUnfitValueTest {
  @Test
  void aValueBeyondFloatsRangeIsTheRecordsBadInput() {
    TimeseriesModality m = TimeseriesModalityTest.modality();
    InputException e =
        assertThrows(
            InputException.class,
            () -> m.encoder().encode(Series.of(new double[][] {{1, 2}, {3, 1e300}})));
    assertEquals(
        "value 1.0E300 (channel 1, step 1) of input 's' does not fit the model's FLOAT32 input"
            + " (largest 3.4028235E38)",
        e.getMessage());
  }

  @Test
  void theNormalisedValueIsWhatMustFit() {
    // 1e30 fits a float, but not once divided by a std of 1e-10
    TimeseriesModality m = TimeseriesModalityTest.modality("std", 1e-10);
    InputException e =
        assertThrows(InputException.class, () -> m.encoder().encode(Series.of(0, 1e30)));
    assertEquals(
        "value 1.0E30 (channel 0, step 1, normalised 1.0E40) of input 's' does not fit the"
            + " model's FLOAT32 input (largest 3.4028235E38)",
        e.getMessage());
    // and 1e39 fits once normalised by a large std
    TimeseriesModality wide = TimeseriesModalityTest.modality("mean", List.of(0), "std", 1e10);
    assertArrayEquals(
        new float[] {0f, 1e29f}, wide.encoder().encode(Series.of(0, 1e39)).get(0).floats());
  }
}
