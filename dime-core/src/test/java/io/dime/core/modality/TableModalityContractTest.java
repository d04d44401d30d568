package io.dime.core.modality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ElementType;
import io.dime.api.InputException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.core.modality.TableModality.Row;
import io.dime.spi.FeatureSet;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import io.dime.spi.TextCodes;
import io.dime.testkit.ModalityContract;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The built-in table modality against the modality contract: a number, an integer and a category
 * column, each a model input of its own, hidden by the pool's mean or most frequent value.
 */
class TableModalityContractTest extends ModalityContract<Row> {
  private static final String WHO = "modality 'm' (plugin table)";

  private static final List<Object> COLUMNS =
      List.of(
          "age",
          Map.of("name", "rooms", "type", "integer"),
          Map.of("name", "color", "input", "colour_in", "type", "category"));

  @Override
  protected String pluginName() {
    return "table";
  }

  @Override
  protected PluginConfig config() {
    return PluginConfig.of(WHO, "columns", COLUMNS, "maxLength", 16);
  }

  @Override
  protected Object sampleField() {
    return Map.of("age", 31, "rooms", 3, "color", "r\u00e9d \uD83D\uDE00");
  }

  @Override
  protected PoolStatistics pool() {
    return new PoolStatistics(
        List.of(
            new Row(List.of(20.0, 2L, "blue")),
            new Row(List.of(40.0, 4L, "green")),
            new Row(List.of(60.0, 4L, "green"))));
  }

  @Override
  protected Map<String, Object> badFields() {
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("column 'color' is missing", Map.of("age", 1, "rooms", 2));
    bad.put("has no column 'colour'", Map.of("age", 1, "rooms", 2, "color", "x", "colour", "y"));
    bad.put("column 'rooms' must be a whole number, found a number 2.5", List.of(1, 2.5, "x"));
    // whole numbers that int64 cannot hold are said to be out of its range, not to be fractions
    bad.put(
        "column 'rooms' must be a whole number from -2^63 to 2^63 - 1, found a number 1.0E19",
        List.of(1, 1e19, "x"));
    bad.put(
        "column 'rooms' must be a whole number from -2^63 to 2^63 - 1, found a number"
            + " 12345678901234567890",
        List.of(1, new java.math.BigInteger("12345678901234567890"), "x"));
    bad.put("column 'age' must be a finite number, found a string \"old\"", List.of("old", 2, "x"));
    bad.put("column 'color' must be a string (a category), found a number 7", List.of(1, 2, 7));
    bad.put(
        "column 'color' has 17 characters; at most maxLength (16)", List.of(1, 2, "x".repeat(17)));
    bad.put("has 2 values; expected 3 (one a column)", List.of(1, 2));
    bad.put("expects an object keyed by its columns or an array in their order", "1,2,x");
    return bad;
  }

  @Override
  protected Optional<int[]> featureOwnership(FeatureSet<Row> features) {
    return Optional.of(IntStream.range(0, features.size()).toArray());
  }

  @Override
  protected Optional<List<?>> elements(Row value) {
    return Optional.of(value.values());
  }

  @Test
  void hiddenColumnsTakeThePoolsMeanOrMostFrequentValue() {
    FeatureSet<Row> fs = features();
    assertEquals(List.of("age", "rooms", "color"), fs.names());
    assertEquals(new Row(List.of(40.0, 4L, "green")), fs.apply(new boolean[3]));
    assertEquals(
        new Row(List.of(31.0, 4L, "r\u00e9d \uD83D\uDE00")),
        fs.apply(new boolean[] {true, false, true}));
  }

  @Test
  void eachColumnFillsItsOwnInput() {
    List<TensorSpec> outs = modality().encoder().outputs();
    int width = TextCodes.width(16);
    assertEquals(
        List.of(
            new TensorSpec("age", ElementType.FLOAT32, new long[] {1}),
            new TensorSpec("rooms", ElementType.INT64, new long[] {1}),
            new TensorSpec("colour_in", ElementType.INT64, new long[] {width})),
        outs);
    List<Tensor> t = modality().encoder().encode(value());
    assertArrayEquals(new float[] {31f}, t.get(0).floats());
    assertArrayEquals(new long[] {3L}, t.get(1).longs());
    assertEquals(
        "r\u00e9d \uD83D\uDE00", TextCodes.decode(t.get(2).longs(), 0, width, "", "colour_in", 0));
  }

  @Test
  void anArrayInColumnOrderReadsAsTheObjectDoes() {
    assertEquals(
        value(),
        modality()
            .read(
                List.of(31.0, 3, "r\u00e9d \uD83D\uDE00"),
                new io.dime.spi.ReadContext(java.nio.file.Path.of("."), "r")));
  }

  @Test
  void fillAndZeroBaselineAndAnEmptyPool() {
    TableModality t =
        new TableModality(
            "m",
            PluginConfig.of(
                WHO,
                "columns",
                List.of("age", Map.of("name", "color", "type", "category", "fill", "other")),
                "baseline",
                "zero"));
    Row row = new Row(List.of(5.0, "red"));
    assertEquals(
        new Row(List.of(0.0, "other")),
        t.featurize(row, PoolStatistics.empty(), new SplittableRandom(1)).apply(new boolean[2]));
    TableModality noFill =
        new TableModality(
            "m", PluginConfig.of(WHO, "columns", List.of(Map.of("name", "c", "type", "category"))));
    InputException e =
        assertThrows(
            InputException.class,
            () ->
                noFill.featurize(
                    new Row(List.of("x")), PoolStatistics.empty(), new SplittableRandom(1)));
    assertTrue(e.getMessage().contains("give the column a 'fill'"), e.getMessage());
  }

  @Test
  void badSettingsAreRefusedNamingTheEntry() {
    String[] expected = {
      "'columns' must be a list of columns",
      "'columns' entry 1: its name or input is another column's too",
      "'columns' entry 0: 'type' is 'text'; allowed: number, integer, category",
      "'columns' entry 0: unknown key 'kind'",
      "'columns' entry 0: 'fill' must be a whole number, found a number 1.5",
    };
    List<Object> settings =
        List.of(
            List.of(),
            List.of("a", "a"),
            List.of(Map.of("name", "a", "type", "text")),
            List.of(Map.of("name", "a", "kind", "x")),
            List.of(Map.of("name", "a", "type", "integer", "fill", 1.5)));
    for (int i = 0; i < expected.length; i++) {
      Object columns = settings.get(i);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new TableModality("m", PluginConfig.of(WHO, "columns", columns)));
      assertTrue(e.getMessage().startsWith(WHO + ": " + expected[i]), e.getMessage());
    }
  }

  /**
   * The ends of int64 are whole numbers the model's int64 input holds, as the JSON reader gives
   * them (a Long, or a BigInteger): they were refused as out of the range "-2^63 to 2^63 - 1",
   * since 2^63 - 1 rounds to the double 2^63 and -2^63 was compared as |d| < 2^63.
   */
  @Test
  void theEndsOfInt64AreReadExactly() {
    for (long v :
        new long[] {Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 100, (1L << 53) + 1}) {
      for (Object given : new Object[] {v, java.math.BigInteger.valueOf(v)}) {
        Row r = modality().read(List.of(1, given, "x"), readContext("r"));
        assertEquals(v, r.values().get(1), given.getClass().getSimpleName() + " " + v);
      }
    }
    assertEquals(
        -(1L << 62), modality().read(List.of(1, -0x1p62, "x"), readContext("r")).values().get(1));
  }
}
