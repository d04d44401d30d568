package io.dime.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The view helpers: argument checks and the weight scale. */
class ViewKitTest {
  private static final FeatureSet<String> THREE =
      new FeatureSet<>() {
        @Override
        public String value() {
          return "abc";
        }

        @Override
        public int size() {
          return 3;
        }

        @Override
        public List<String> names() {
          return List.of("a", "b", "c");
        }

        @Override
        public String apply(boolean[] keep) {
          return "abc";
        }
      };

  @Test
  void checkWeightsNamesTheNullArgumentAndTheCounts() {
    ViewOptions o = ViewOptions.defaults("t");
    ViewKit.checkWeights("m", THREE, new double[3], o);
    assertEquals(
        "features is null",
        assertThrows(
                NullPointerException.class, () -> ViewKit.checkWeights("m", null, new double[3], o))
            .getMessage());
    assertEquals(
        "weights is null",
        assertThrows(NullPointerException.class, () -> ViewKit.checkWeights("m", THREE, null, o))
            .getMessage());
    assertEquals(
        "options is null",
        assertThrows(
                NullPointerException.class,
                () -> ViewKit.checkWeights("m", THREE, new double[3], null))
            .getMessage());
    assertEquals(
        "modality 'm': 2 weights for 3 features",
        assertThrows(
                IllegalArgumentException.class,
                () -> ViewKit.checkWeights("m", THREE, new double[2], o))
            .getMessage());
  }

  @Test
  void maxAbsIgnoresWeightsThatAreNotFinite() {
    assertEquals(0.0, ViewKit.maxAbs(new double[0]));
    assertEquals(0.0, ViewKit.maxAbs(new double[] {Double.NaN, 0}));
    assertEquals(3.0, ViewKit.maxAbs(new double[] {1, -3, Double.NEGATIVE_INFINITY, 2}));
  }
}
