package io.dime.core.modality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.InputException;
import io.dime.spi.FeatureSet;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import io.dime.testkit.ModalityContract;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built-in vector modality against the modality contract: length 4 with a zero baseline and
 * named features here, with the pool-mean baseline in {@link PoolMeanBaseline}.
 */
class VectorModalityContractTest extends ModalityContract<double[]> {
  static final List<Object> SAMPLE = List.of(1.5, -2, 3.25, 0.5);

  @Override
  protected String pluginName() {
    return "vector";
  }

  @Override
  protected PluginConfig config() {
    return PluginConfig.of(
        "modality 'm' (plugin vector)",
        "length",
        4,
        "baseline",
        "zero",
        "names",
        List.of("age", "dose", "weight", "height"));
  }

  @Override
  protected Object sampleField() {
    return SAMPLE;
  }

  @Override
  protected Map<String, Object> badFields() {
    return vectorBadFields();
  }

  @Override
  protected Optional<int[]> featureOwnership(FeatureSet<double[]> features) {
    return Optional.of(IntStream.range(0, features.size()).toArray());
  }

  @Override
  protected Optional<List<?>> elements(double[] value) {
    return Optional.of(boxed(value));
  }

  @Test
  void hiddenEntriesAreZeroAndFeaturesCarryTheConfiguredNames() {
    FeatureSet<double[]> fs = features();
    assertEquals(List.of("age", "dose", "weight", "height"), fs.names());
    assertArrayEquals(new double[4], fs.apply(new boolean[4]));
    assertArrayEquals(
        new double[] {1.5, 0, 0, 0.5}, fs.apply(new boolean[] {true, false, false, true}));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void checkRejectsNonFiniteEntriesBuiltInCode(double bad) {
    InputException e =
        assertThrows(
            InputException.class, () -> modality().check(new double[] {1, 2, bad, 4}, "r9"));
    assertTrue(e.getMessage().contains("entry 2"), e.getMessage());
    assertTrue(e.getMessage().contains("not finite"), e.getMessage());
    assertEquals(Optional.of("r9"), e.recordId());
  }

  static Map<String, Object> vectorBadFields() {
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("entry 1 is not a number: a string \"two\"", List.of(1, "two", 3, 4));
    // the user's terms, and a bounded message for a huge field
    bad.put(
        "expects an array of numbers, found an object {\"x\": [0, 0, 0",
        Map.of("x", java.util.Collections.nCopies(1_000_000, 0)));
    bad.put("empty", List.of());
    bad.put("expected 4", List.of(1, 2, 3));
    bad.put("array", "1, 2, 3, 4");
    bad.put("not finite", List.of(1, 2, new BigDecimal("1e400"), 4));
    return bad;
  }

  static List<Double> boxed(double[] value) {
    List<Double> out = new ArrayList<>();
    for (double x : value) {
      out.add(x);
    }
    return out;
  }

  /** Hidden entries take their mean over the reference pool. */
  @Nested
  class PoolMeanBaseline extends ModalityContract<double[]> {
    @Override
    protected String pluginName() {
      return "vector";
    }

    @Override
    protected PluginConfig config() {
      return PluginConfig.of("modality 'm' (plugin vector)", "length", 4, "baseline", "pool_mean");
    }

    @Override
    protected Object sampleField() {
      return SAMPLE;
    }

    @Override
    protected Map<String, Object> badFields() {
      return vectorBadFields();
    }

    @Override
    protected PoolStatistics pool() {
      return new PoolStatistics(List.of(new double[] {0, 0, 0, 0}, new double[] {2, 4, 6, 8}));
    }

    @Override
    protected Optional<int[]> featureOwnership(FeatureSet<double[]> features) {
      return Optional.of(IntStream.range(0, features.size()).toArray());
    }

    @Override
    protected Optional<List<?>> elements(double[] value) {
      return Optional.of(boxed(value));
    }

    @Test
    void theImageModalitysSpellingIsTheSameSetting() {
      VectorModality dash =
          new VectorModality(
              "m",
              PluginConfig.of(
                  "modality 'm' (plugin vector)", "length", 4, "baseline", "pool-mean"));
      assertEquals(modality().provenance(), dash.provenance());
      assertEquals("pool_mean", dash.provenance().get("baseline"));
    }

    @Test
    void hiddenEntriesTakeThePoolMean() {
      FeatureSet<double[]> fs = features();
      assertEquals(List.of("x0", "x1", "x2", "x3"), fs.names());
      assertArrayEquals(new double[] {1, 2, 3, 4}, fs.apply(new boolean[4]));
      assertArrayEquals(
          new double[] {1, -2, 3.25, 4}, fs.apply(new boolean[] {false, true, true, false}));
    }

    @Test
    void anotherPoolGivesItsOwnMean() {
      features();
      FeatureSet<double[]> other =
          modality()
              .featurize(
                  value(),
                  new PoolStatistics(List.of(new double[] {10, 10, 10, 10})),
                  new SplittableRandom(1));
      assertArrayEquals(new double[] {10, 10, 10, 10}, other.apply(new boolean[4]));
    }
  }
}
