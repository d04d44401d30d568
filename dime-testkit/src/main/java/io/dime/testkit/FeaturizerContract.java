package io.dime.testkit;

import static io.dime.testkit.Checks.RANDOM_MASKS;
import static io.dime.testkit.Checks.SEED;
import static io.dime.testkit.Checks.allOf;
import static io.dime.testkit.Checks.assertPlainData;
import static io.dime.testkit.Checks.describe;
import static io.dime.testkit.Checks.maskString;
import static io.dime.testkit.Checks.randomMask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dime.api.FeatureMap;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Contract tests of a modality's featurizer, {@link Modality#featurize}: the features it makes and
 * how they divide the value. Part of {@link ModalityContract}, which a plugin's test extends.
 *
 * <ul>
 *   <li>{@link Modality#featurize} gives at least one feature, one distinct non-blank name per
 *       feature, a {@link FeatureSet#value()} equal to the value it was given, and a {@link
 *       FeatureSet#layout()} of plain data.
 *   <li>{@link FeatureSet#featureMap()} says where the features lie: the map places exactly the
 *       features (as many, each on at least one element of the value), is the same for the same
 *       value, and, with {@link ModalityFixture#featureOwnership}, gives every element the same
 *       owner as the plugin's test does.
 *   <li>With {@link ModalityFixture#featureOwnership}, every element has at most one owning feature
 *       and every feature owns an element; with {@link ModalityFixture#elements} too, hiding a
 *       feature changes only the elements it owns.
 * </ul>
 *
 * @param <V> the modality's value type
 * @since 0.1
 */
public interface FeaturizerContract<V> {
  /** The modality, its sample and the plugin's hooks. */
  ModalityFixture<V> fixture();

  @Test
  default void featurizeGivesNamedFeatures() {
    ModalityFixture<V> f = fixture();
    FeatureSet<V> fs = f.features();
    int d = fs.size();
    assertTrue(d >= 1, "featurize gave " + d + " features; at least 1 expected");
    List<String> names = fs.names();
    assertNotNull(names, "names() is null");
    assertEquals(d, names.size(), "names() must give one name per feature: " + names);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < d; i++) {
      String n = names.get(i);
      assertTrue(n != null && !n.isBlank(), "feature " + i + " has a blank name: '" + n + "'");
      assertTrue(seen.add(n), "feature name '" + n + "' is used twice: " + names);
    }
    assertNotNull(fs.value(), "FeatureSet.value() is null");
    assertTrue(
        f.valuesEqual(f.value(), fs.value()),
        "FeatureSet.value() must be the featurized value; got " + describe(fs.value()));
    Map<String, Object> layout = fs.layout();
    assertNotNull(layout, "layout() is null; return Map.of() when a view needs nothing");
    assertPlainData(layout, "layout", false);
  }

  @Test
  default void featureMapPlacesExactlyTheFeatures() {
    ModalityFixture<V> f = fixture();
    FeatureSet<V> fs = f.features();
    Optional<FeatureMap> given = fs.featureMap();
    assertNotNull(given, "featureMap() is null");
    assertTrue(
        given.isPresent(),
        "featureMap() is empty: every modality says where its features lie (a label map, offsets,"
            + " bounds or entry indices) so that explanations.jsonl can be drawn on the input");
    FeatureMap map = given.get();
    int d = fs.size();
    assertEquals(d, map.size(), "the feature map places " + map.size() + " features, not " + d);
    int[] owners = map.owners();
    assertEquals(
        map.elementCount(), owners.length, "owners() has one entry per element of the map");
    int[] held = new int[d];
    for (int o : owners) {
      assertTrue(o >= -1 && o < d, "the feature map gives an element to feature " + o);
      if (o >= 0) {
        held[o]++;
      }
    }
    for (int i = 0; i < d; i++) {
      assertTrue(
          held[i] > 0,
          "feature " + i + " ('" + fs.names().get(i) + "') holds no element of the feature map");
    }
    assertEquals(
        map,
        f.featurize(f.readSample()).featureMap().orElseThrow(),
        "the same value featurized again gives another feature map");
    Optional<int[]> ownership = f.featureOwnership(fs);
    if (ownership.isPresent()) {
      int[] want = ownership.get();
      assertEquals(
          want.length,
          owners.length,
          "the feature map has "
              + owners.length
              + " elements, featureOwnership() "
              + want.length
              + "; they must number the value's elements alike");
      for (int j = 0; j < want.length; j++) {
        if (want[j] != owners[j]) {
          fail(
              "element "
                  + j
                  + " belongs to feature "
                  + want[j]
                  + " by featureOwnership() but to "
                  + owners[j]
                  + " by the feature map "
                  + map);
        }
      }
    }
  }

  @Test
  default void featuresPartitionTheElements() {
    ModalityFixture<V> f = fixture();
    FeatureSet<V> fs = f.features();
    Optional<int[]> ownership = f.featureOwnership(fs);
    assumeTrue(ownership.isPresent(), "featureOwnership() is not given");
    int d = fs.size();
    int[] owner = ownership.get();
    int[] owned = new int[d];
    for (int j = 0; j < owner.length; j++) {
      int o = owner[j];
      assertTrue(
          o >= -1 && o < d,
          "element " + j + " is owned by feature " + o + "; expected -1 or [0, " + d + ")");
      if (o >= 0) {
        owned[o]++;
      }
    }
    for (int i = 0; i < d; i++) {
      assertTrue(owned[i] > 0, "feature " + i + " ('" + fs.names().get(i) + "') owns no element");
    }
    Optional<List<?>> shownElements = f.elements(fs.value());
    if (shownElements.isPresent()) {
      assertHidingChangesOnlyOwnedElements(f, fs, owner, shownElements.get());
    }
  }

  private void assertHidingChangesOnlyOwnedElements(
      ModalityFixture<V> f, FeatureSet<V> fs, int[] owner, List<?> shown) {
    assertEquals(
        owner.length,
        shown.size(),
        "featureOwnership() and elements(value) must have one entry per element");
    List<?> hidden = elementsOf(f, fs.apply(allOf(fs.size(), false)), owner.length, "all false");
    SplittableRandom rng = new SplittableRandom(SEED + 2);
    for (int r = 0; r < RANDOM_MASKS; r++) {
      boolean[] mask = randomMask(rng, fs.size());
      List<?> got = elementsOf(f, fs.apply(mask), owner.length, maskString(mask));
      for (int j = 0; j < owner.length; j++) {
        int o = owner[j];
        boolean kept = o < 0 || mask[o];
        Object expected = kept ? shown.get(j) : hidden.get(j);
        if (!Objects.deepEquals(expected, got.get(j))) {
          fail(
              "mask "
                  + maskString(mask)
                  + ": element "
                  + j
                  + (o < 0 ? " (owned by no feature)" : " of feature " + o)
                  + " is "
                  + describe(got.get(j))
                  + ", expected its "
                  + (kept ? "shown" : "hidden")
                  + " form "
                  + describe(expected)
                  + "; hiding a feature must change only the elements it owns");
        }
      }
    }
  }

  private List<?> elementsOf(ModalityFixture<V> f, V v, int count, String mask) {
    List<?> e =
        f.elements(v)
            .orElseThrow(() -> new AssertionError("elements() is empty for apply(" + mask + ")"));
    assertEquals(
        count,
        e.size(),
        "apply("
            + mask
            + ") has "
            + e.size()
            + " elements; the value has "
            + count
            + ". Return Optional.empty() from elements() when perturbation changes the elements");
    return e;
  }
}
