package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.ElementType;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.core.estimate.Estimators;
import io.dime.core.estimate.ReferenceSelection;
import io.dime.core.modality.VectorModality;
import io.dime.spi.Encoder;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.PoolStatistics;
import io.dime.spi.ReadContext;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** How the engine describes pool datapoints to the representative choice of exact references. */
class ExactReferenceSelectionTest {
  /** A vector modality whose encoder writes int64 tensors only (as token ids would be). */
  record LongEncoded(VectorModality inner) implements Modality<double[]> {
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
    public double[] read(Object field, ReadContext context) {
      return inner.read(field, context);
    }

    @Override
    public FeatureSet<double[]> featurize(
        double[] value, PoolStatistics pool, SplittableRandom rng) {
      return inner.featurize(value, pool, rng);
    }

    @Override
    public Encoder<double[]> encoder() {
      return new Encoder<>() {
        @Override
        public List<TensorSpec> outputs() {
          return List.of(new TensorSpec(inner.name(), ElementType.INT64, new long[] {-1}));
        }

        @Override
        public List<Tensor> encode(double[] value) {
          long[] ids = new long[value.length];
          for (int i = 0; i < ids.length; i++) {
            ids[i] = Math.round(value[i] * 100);
          }
          return List.of(Tensor.ofLongs(inner.name(), new long[] {ids.length}, ids));
        }
      };
    }

    @Override
    public View view(FeatureSet<double[]> features, double[] weights, ViewOptions options) {
      return inner.view(features, weights, options);
    }

    @Override
    public Map<String, Object> provenance() {
      return inner.provenance();
    }
  }

  private static Map<?, ?> estimatorProvenance(Modality<?> m1, Modality<?> m2, long seed) {
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 60, 2, 4, 9);
    Dime dime =
        Dime.builder()
            .modality(m1)
            .modality(m2)
            .model(Fixtures.model(1, p -> new double[] {p[0][0] * p[1][1]}))
            .referencePool(pool)
            .estimator(Estimators.exact(6))
            .seed(seed)
            .build();
    return (Map<?, ?>) dime.provenance().estimator();
  }

  @Test
  void exactChoosesRepresentativeReferencesByDefaultFromTheFloatEncodings() {
    Map<?, ?> e = estimatorProvenance(VectorModality.of("m1", 4), VectorModality.of("m2", 4), 0);
    assertEquals("representative", e.get("referenceSelection"));
    assertTrue(
        String.valueOf(e.get("standardErrors")).contains("not included"),
        "a representative set says its own error is left out: " + e);
    assertFalse(e.containsKey("jackknifeGroups"), "no jackknife for a representative set");
    assertEquals(6, ((int[]) e.get("referenceIndices")).length);
    Map<?, ?> other =
        estimatorProvenance(VectorModality.of("m1", 4), VectorModality.of("m2", 4), 1);
    assertFalse(
        Arrays.equals((int[]) e.get("referenceIndices"), (int[]) other.get("referenceIndices")));
  }

  @Test
  void integerEncodingsAreNotMatchedSoOnlyTheFloatModalityCounts() {
    Map<?, ?> both = estimatorProvenance(VectorModality.of("m1", 4), VectorModality.of("m2", 4), 0);
    Map<?, ?> oneFloat =
        estimatorProvenance(
            VectorModality.of("m1", 4), new LongEncoded(VectorModality.of("m2", 4)), 0);
    assertEquals("representative", oneFloat.get("referenceSelection"));
    assertFalse(
        Arrays.equals(
            (int[]) both.get("referenceIndices"), (int[]) oneFloat.get("referenceIndices")),
        "without m2's numbers the choice matches m1 alone");
    Map<?, ?> none =
        estimatorProvenance(
            new LongEncoded(VectorModality.of("m1", 4)),
            new LongEncoded(VectorModality.of("m2", 4)),
            0);
    assertEquals("random (no float encodings)", none.get("referenceSelection"));
    assertTrue(
        String.valueOf(none.get("standardErrors")).contains("jackknife"),
        "a random set's errors include its own, by the jackknife: " + none);
    assertEquals(6, none.get("jackknifeGroups"));
    List<Datapoint> pool = Fixtures.gaussianPoints("p", 60, 2, 4, 9);
    io.dime.core.estimate.Pool plain =
        new io.dime.core.estimate.Pool(
            pool.stream().map(Datapoint::id).toList(), new Object[60][0], 0);
    assertArrayEquals(
        ReferenceSelection.RANDOM.choose(plain, 6, 0).indices(),
        (int[]) none.get("referenceIndices"),
        "the fallback is the random choice of the same seed");
  }
}
