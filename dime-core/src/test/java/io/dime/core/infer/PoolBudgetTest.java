package io.dime.core.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.core.modality.VectorModality;
import io.dime.spi.Modality;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pool's bytes a datapoint are every modality's encodings and values as read together: here 10
 * datapoints of a 3-vector (12 bytes encoded, 40 as read) and a 2-vector (8 and 32), 92 bytes each.
 */
class PoolBudgetTest {
  private static List<List<Object>> columns(int n) {
    List<Object> a = new ArrayList<>();
    List<Object> b = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      a.add(new double[] {i, 1, 2});
      b.add(new double[] {i, 3});
    }
    return List.of(a, b);
  }

  private static final List<Modality<?>> MODS =
      List.of(VectorModality.of("a", 3), VectorModality.of("b", 2));

  @Test
  void aPoolOverItsBudgetIsRefusedWithThePoolSizeThatFitsEveryModality() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> PoolBudget.check(MODS, columns(10), 919));
    assertEquals(
        "the reference pool's values and encodings would need 1 MB (10 datapoints of 1 KB encoded"
            + " and 1 KB as read, most of it modality 'a'), and they stay in memory for the whole"
            + " run: at most 9 fit in the 0 MB the pool may take (half of the JVM's heap); take a"
            + " smaller pool (dime explain --pool-size 9) or "
            + HeapAdvice.MORE_HEAP,
        e.getMessage());
    PoolBudget.check(MODS, columns(10), 920);
    PoolBudget.check(MODS, columns(0), 0);
  }

  @Test
  void aModalityThatDoesNotSayItsValuesBytesCountsItsEncodingsAlone() {
    Modality<double[]> quiet = new Counted(VectorModality.of("a", 3), null);
    List<Modality<?>> mods = List.of(quiet, VectorModality.of("b", 2));
    assertThrows(IllegalArgumentException.class, () -> PoolBudget.check(mods, columns(10), 519));
    PoolBudget.check(mods, columns(10), 520); // 10 x (12 + 8 + 32)
  }

  /**
   * A vector modality whose plugin counts its values' bytes its own way, or (bytes null) leaves
   * {@link Modality#valueBytes} at the SPI's default, 0.
   */
  private record Counted(VectorModality inner, java.util.function.ToLongFunction<double[]> bytes)
      implements Modality<double[]> {
    @Override
    public long valueBytes(double[] value) {
      return bytes == null ? Modality.super.valueBytes(value) : bytes.applyAsLong(value);
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public String kind() {
      return inner.kind();
    }

    @Override
    public Class<double[]> valueType() {
      return inner.valueType();
    }

    @Override
    public double[] read(Object field, io.dime.spi.ReadContext context) {
      return inner.read(field, context);
    }

    @Override
    public io.dime.spi.FeatureSet<double[]> featurize(
        double[] value, io.dime.spi.PoolStatistics pool, java.util.SplittableRandom rng) {
      return inner.featurize(value, pool, rng);
    }

    @Override
    public io.dime.spi.Encoder<double[]> encoder() {
      return inner.encoder();
    }

    @Override
    public io.dime.spi.View view(
        io.dime.spi.FeatureSet<double[]> features, double[] weights, io.dime.spi.ViewOptions o) {
      return inner.view(features, weights, o);
    }

    @Override
    public java.util.Map<String, Object> provenance() {
      return inner.provenance();
    }
  }

  /**
   * Values of different sizes (texts, series of several lengths) are counted to the byte when the
   * pool is packed, as {@link PoolBudget#check} counts them: two values of 40 and 41 bytes and
   * their 12-byte encodings need 105 bytes, and fit in 105. The packing rounded the values' mean up
   * to 41 bytes and refused the pool at 105 ("at most 1 fit"), which the pool's check had let
   * through.
   */
  @Test
  void valuesOfDifferentSizesAreCountedToTheByteWhenPacked() {
    Modality<double[]> m = new Counted(VectorModality.of("a", 3), v -> 40 + (long) v[0]);
    List<Object> values = columns(2).get(0); // v[0] = 0 and 1
    PoolBudget.check(List.of(m), List.of(values), 105);
    assertEquals(2, Packed.append(Packed.EMPTY, values, null, m, 105).keys().length);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Packed.append(Packed.EMPTY, values, null, m, 104));
    assertEquals(
        "the reference pool's values and encodings of modality 'a' would need 1 MB (2 datapoints"
            + " of 1 KB encoded and 1 KB as read), and they stay in memory for the whole run: at"
            + " most 1 fit in the 0 MB",
        e.getMessage().substring(0, e.getMessage().indexOf(" MB", 150) + 3));
  }

  @Test
  void valuesOfMoreBytesThanALongCountsAreRefusedNotWrappedIntoAFit() {
    // two values of Long.MAX_VALUE bytes summed to -2 in a long: the pool "fit" any budget; the
    // count now stops at the largest long (so half of it a datapoint)
    List<Modality<?>> mods = List.of(new Counted(VectorModality.of("a", 3), v -> Long.MAX_VALUE));
    List<List<Object>> one = List.of(columns(2).get(0));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PoolBudget.check(mods, one, 1L << 30));
    assertEquals(
        "the reference pool's values and encodings would need 8,796,093,022,207 MB (2 datapoints"
            + " of 1 KB encoded and 4,503,599,627,370,495 KB as read, most of it modality 'a'),"
            + " and they stay in memory for the whole run: at most 0 fit in the 1,024 MB the pool"
            + " may take (half of the JVM's heap); "
            + HeapAdvice.MORE_HEAP,
        e.getMessage());
    Modality<double[]> huge = new Counted(VectorModality.of("a", 3), v -> Long.MAX_VALUE);
    IllegalArgumentException packed =
        assertThrows(
            IllegalArgumentException.class,
            () -> Packed.append(Packed.EMPTY, one.get(0), null, huge, 1L << 30));
    assertEquals(
        "the reference pool's values and encodings of modality 'a' would need"
            + " 8,796,093,022,207 MB (2 datapoints of 1 KB encoded and 4,503,599,627,370,496 KB as"
            + " read), and they stay in memory for the whole run: at most 0 fit in the 1,024 MB",
        packed.getMessage().substring(0, packed.getMessage().indexOf(" MB", 200) + 3));
  }

  @Test
  void aPluginWhoseValueBytesThrowsIsNamed() {
    Modality<double[]> broken =
        new Counted(
            VectorModality.of("a", 3),
            v -> {
              throw new NullPointerException("no size");
            });
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> PoolBudget.check(List.of(broken), List.of(columns(2).get(0)), 1L << 30));
    assertEquals(
        "modality 'a' (plugin vector) failed counting the bytes of a reference pool value"
            + " (Modality#valueBytes): java.lang.NullPointerException: no size",
        e.getMessage().substring(0, e.getMessage().indexOf(" (at ")));
  }
}
