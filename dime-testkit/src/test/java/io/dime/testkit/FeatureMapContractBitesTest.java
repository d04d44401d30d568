package io.dime.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.FeatureMap;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * {@link FeaturizerContract#featureMapPlacesExactlyTheFeatures} fails on a plugin whose feature map
 * is missing, places another number of features, leaves a feature without elements or disagrees
 * with the plugin's own ownership, and passes on a right one.
 */
class FeatureMapContractBitesTest {
  /** Three features over the 4 entries of a vector: entries 0, 1 and 3 (entry 2 is no one's). */
  private static final int[] OWNERS = {0, 1, -1, 2};

  @Test
  void aRightMapPasses() {
    assertDoesNotThrow(
        () ->
            contract(Optional.of(new FeatureMap.Entries(4, new int[] {0, 1, 3})), OWNERS)
                .featureMapPlacesExactlyTheFeatures());
  }

  @Test
  void aMissingMapFails() {
    bites(Optional.empty(), OWNERS, "featureMap() is empty");
  }

  @Test
  void aMapOfAnotherFeatureCountFails() {
    bites(
        Optional.of(new FeatureMap.Entries(4, new int[] {0, 1})),
        OWNERS,
        "places 2 features, not 3");
  }

  @Test
  void aFeatureWithoutElementsFails() {
    // feature 1 is given no pixel: labels 0 and 2 only
    bites(
        Optional.of(FeatureMap.Pixels.of(2, 2, new int[] {0, 0, 2, 2})),
        new int[] {0, 0, 2, 2},
        "feature 1 ('f1') holds no element");
  }

  @Test
  void aMapThatDisagreesWithTheOwnershipFails() {
    bites(
        Optional.of(new FeatureMap.Entries(4, new int[] {0, 2, 3})),
        OWNERS,
        "element 1 belongs to feature 1 by featureOwnership() but to -1 by the feature map");
  }

  private static void bites(Optional<FeatureMap> map, int[] owners, String message) {
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class,
            () -> contract(map, owners).featureMapPlacesExactlyTheFeatures());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  private static FeaturizerContract<int[]> contract(Optional<FeatureMap> map, int[] owners) {
    ModalityFixture<int[]> fixture = new Fixture(map, owners);
    return () -> fixture;
  }

  private record Fixture(Optional<FeatureMap> map, int[] owners) implements ModalityFixture<int[]> {
    @Override
    public Modality<int[]> modality() {
      throw new UnsupportedOperationException("not needed by the feature-map check");
    }

    @Override
    public int[] value() {
      return new int[] {5, 6, 7, 8};
    }

    @Override
    public int[] readSample() {
      return value();
    }

    @Override
    public FeatureSet<int[]> features() {
      return featurize(value());
    }

    @Override
    public FeatureSet<int[]> featurize(int[] value) {
      return new FeatureSet<>() {
        @Override
        public int[] value() {
          return value;
        }

        @Override
        public int size() {
          return 3;
        }

        @Override
        public List<String> names() {
          return List.of("f0", "f1", "f2");
        }

        @Override
        public int[] apply(boolean[] keep) {
          return value;
        }

        @Override
        public Optional<FeatureMap> featureMap() {
          return map;
        }
      };
    }

    @Override
    public boolean valuesEqual(int[] a, int[] b) {
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
    public Optional<int[]> featureOwnership(FeatureSet<int[]> features) {
      return Optional.of(owners.clone());
    }

    @Override
    public Optional<List<?>> elements(int[] value) {
      return Optional.empty();
    }
  }
}
