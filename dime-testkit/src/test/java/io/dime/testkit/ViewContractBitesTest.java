package io.dime.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.Encoder;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.PoolStatistics;
import io.dime.spi.ReadContext;
import io.dime.spi.View;
import io.dime.spi.ViewKit;
import io.dime.spi.ViewOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * {@link ViewContract#viewRejectsAWeightCountOtherThanTheFeatureCount} fails on a view that draws
 * whatever number of weights it is given (one bar per weight, so 5 weights for 4 features draw a
 * bar that belongs to no feature, and 3 leave a feature out), and passes on one that checks the
 * count with {@link ViewKit#checkWeights}.
 */
class ViewContractBitesTest {
  @Test
  void aViewThatChecksTheWeightCountPasses() {
    assertDoesNotThrow(() -> contract(true).viewRejectsAWeightCountOtherThanTheFeatureCount());
  }

  @Test
  void aViewThatDrawsAnyWeightCountFails() {
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class,
            () -> contract(false).viewRejectsAWeightCountOtherThanTheFeatureCount());
    assertTrue(
        e.getMessage().contains("view(features, 5 weights) for 4 features must fail"),
        e.getMessage());
  }

  @Test
  void bothViewsPassThePlainDataCheck() {
    assertDoesNotThrow(() -> contract(false).viewsArePlainDataWithoutMarkup("mixed"));
    assertDoesNotThrow(() -> contract(true).viewsArePlainDataWithoutMarkup("mixed"));
  }

  private static ViewContract<double[]> contract(boolean checks) {
    ModalityFixture<double[]> fixture = new Fixture(new Bars(checks));
    return () -> fixture;
  }

  /** Four entries, one feature each; the view draws one bar per weight. */
  private record Bars(boolean checks) implements Modality<double[]> {
    @Override
    public String name() {
      return "m";
    }

    @Override
    public String kind() {
      return "bars_test";
    }

    @Override
    public Class<double[]> valueType() {
      return double[].class;
    }

    @Override
    public double[] read(Object field, ReadContext context) {
      throw new UnsupportedOperationException("not needed by the view checks");
    }

    @Override
    public FeatureSet<double[]> featurize(
        double[] value, PoolStatistics pool, SplittableRandom rng) {
      return new FeatureSet<>() {
        @Override
        public double[] value() {
          return value;
        }

        @Override
        public int size() {
          return value.length;
        }

        @Override
        public List<String> names() {
          return List.of("e0", "e1", "e2", "e3");
        }

        @Override
        public double[] apply(boolean[] keep) {
          return value.clone();
        }
      };
    }

    @Override
    public Encoder<double[]> encoder() {
      return new Encoder<>() {
        @Override
        public List<TensorSpec> outputs() {
          return List.of(new TensorSpec("m", io.dime.api.ElementType.FLOAT32, new long[] {4}));
        }

        @Override
        public List<Tensor> encode(double[] v) {
          throw new UnsupportedOperationException("not needed by the view checks");
        }
      };
    }

    @Override
    public View view(FeatureSet<double[]> features, double[] weights, ViewOptions options) {
      if (checks) {
        ViewKit.checkWeights(name(), features, weights, options);
      }
      List<Object> bars = new ArrayList<>();
      for (double w : weights) {
        bars.add(Map.of("weight", w));
      }
      return new View("bars", Map.of("bars", bars));
    }

    @Override
    public Map<String, Object> provenance() {
      return Map.of();
    }
  }

  private record Fixture(Modality<double[]> modality) implements ModalityFixture<double[]> {
    @Override
    public double[] value() {
      return new double[] {1, 2, 3, 4};
    }

    @Override
    public double[] readSample() {
      return value();
    }

    @Override
    public FeatureSet<double[]> features() {
      return featurize(value());
    }

    @Override
    public FeatureSet<double[]> featurize(double[] value) {
      return modality.featurize(value, PoolStatistics.empty(), new SplittableRandom(1));
    }

    @Override
    public boolean valuesEqual(double[] a, double[] b) {
      return java.util.Arrays.equals(a, b);
    }

    @Override
    public boolean emptyMaskChangesValue() {
      return true;
    }

    @Override
    public boolean featureDiffersFromHidden(int i) {
      return true;
    }

    @Override
    public boolean exactRoundTrip() {
      return true;
    }

    @Override
    public Optional<int[]> featureOwnership(FeatureSet<double[]> features) {
      return Optional.empty();
    }

    @Override
    public Optional<List<?>> elements(double[] value) {
      return Optional.empty();
    }
  }
}
