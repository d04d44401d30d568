package io.dime.modality.timeseries;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.InputException;
import io.dime.api.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The setting {@code layout}: a series goes to the model as [channels, length] ({@code nct}, the
 * default), time-major [length, channels] ({@code ntc}, as recurrent networks and Keras take it) or
 * [length] ({@code nt}, one channel), normalised the same way in each.
 */
class SeriesLayoutTest {
  private static final Series TWO_BY_THREE = Series.of(new double[][] {{1, 2, 3}, {10, 20, 30}});

  @Test
  void timeMajorInterleavesTheChannelsOfEachStep() {
    TimeseriesModality m =
        TimeseriesModalityTest.modality(
            "layout", "ntc", "channels", 2, "length", 3, "mean", List.of(0, 10), "std", 1);
    assertEquals("s:FLOAT32[3, 2]", m.encoder().outputs().get(0).toString());
    Tensor t = m.encoder().encode(TWO_BY_THREE).get(0);
    assertArrayEquals(new long[] {3, 2}, t.shape());
    assertArrayEquals(new float[] {1, 0, 2, 10, 3, 20}, t.floats());
    // any length and channels: the spec says so, and each series keeps its own shape
    m = TimeseriesModalityTest.modality("layout", "ntc");
    assertEquals("s:FLOAT32[?, ?]", m.encoder().outputs().get(0).toString());
    assertArrayEquals(
        new long[] {2, 1}, m.encoder().encode(Series.of(new double[][] {{4, 5}})).get(0).shape());
  }

  @Test
  void channelsFirstIsTheDefault() {
    Tensor t = TimeseriesModalityTest.modality().encoder().encode(TWO_BY_THREE).get(0);
    assertArrayEquals(new long[] {2, 3}, t.shape());
    assertArrayEquals(new float[] {1, 2, 3, 10, 20, 30}, t.floats());
  }

  @Test
  void flatTakesOneChannelAndSaysSoForMore() {
    TimeseriesModality m =
        TimeseriesModalityTest.modality("layout", "nt", "length", 3, "mean", 1, "std", 2);
    assertEquals("s:FLOAT32[3]", m.encoder().outputs().get(0).toString());
    Tensor t = m.encoder().encode(Series.of(1, 5, -1)).get(0);
    assertArrayEquals(new long[] {3}, t.shape());
    assertArrayEquals(new float[] {0, 2, -1}, t.floats());
    InputException e = assertThrows(InputException.class, () -> m.encoder().encode(TWO_BY_THREE));
    assertTrue(
        e.getMessage().contains("has 2 channels; layout 'nt' ([batch, length]) takes one"),
        e.getMessage());
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> TimeseriesModalityTest.modality("layout", "nt", "channels", 3));
    assertTrue(bad.getMessage().contains("layout 'nt' ([batch, length]) takes series of one"));
    bad =
        assertThrows(
            IllegalArgumentException.class, () -> TimeseriesModalityTest.modality("layout", "tnc"));
    assertTrue(bad.getMessage().contains("layout"), bad.getMessage());
  }
}
