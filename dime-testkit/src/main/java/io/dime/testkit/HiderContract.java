package io.dime.testkit;

import static io.dime.testkit.Checks.LOCALITY_MASKS;
import static io.dime.testkit.Checks.SEED;
import static io.dime.testkit.Checks.THREADS;
import static io.dime.testkit.Checks.allOf;
import static io.dime.testkit.Checks.assertUnchanged;
import static io.dime.testkit.Checks.describe;
import static io.dime.testkit.Checks.encode;
import static io.dime.testkit.Checks.maskString;
import static io.dime.testkit.Checks.randomMask;
import static io.dime.testkit.Checks.randomMasks;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ElementType;
import io.dime.api.Tensor;
import io.dime.spi.FeatureSet;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Contract tests of a modality's perturber, {@link FeatureSet#apply}: how masks hide features. Part
 * of {@link ModalityContract}, which a plugin's test extends.
 *
 * <ul>
 *   <li>The full mask gives back the value (or, when {@link ModalityFixture#exactRoundTrip()} is
 *       false, a value with the same encoding); the empty mask changes it; revealing any single
 *       feature changes the empty mask's value; flipping any one feature of a random mask changes
 *       the result.
 *   <li>The same mask gives equal values, also from several threads at once and from a second
 *       featurization with the same seed; {@code apply} changes neither its mask nor the featurized
 *       value.
 * </ul>
 *
 * @param <V> the modality's value type
 * @since 0.1
 */
public interface HiderContract<V> {
  /** The modality, its sample and the plugin's hooks. */
  ModalityFixture<V> fixture();

  @Test
  default void fullMaskGivesBackTheValue() {
    ModalityFixture<V> f = fixture();
    FeatureSet<V> fs = f.features();
    boolean[] keep = allOf(fs.size(), true);
    V full = fs.apply(keep);
    assertNotNull(full, "apply(all true) returned null");
    assertArrayEquals(allOf(fs.size(), true), keep, "apply changed its mask");
    if (f.exactRoundTrip()) {
      assertTrue(
          f.valuesEqual(full, fs.value()),
          "apply(all true) must give back the value; expected "
              + describe(fs.value())
              + ", got "
              + describe(full));
    } else {
      List<Tensor> expected = encode(f, fs.value());
      List<Tensor> actual = encode(f, full);
      String what = "encoding of apply(all true) vs of the value";
      for (int k = 0; k < expected.size(); k++) {
        Tensor a = expected.get(k);
        Tensor b = actual.get(k);
        assertArrayEquals(a.shape(), b.shape(), what + ": shape of '" + a.name() + "'");
        if (a.type() == ElementType.FLOAT32) {
          assertArrayEquals(a.floats(), b.floats(), what + ": values of '" + a.name() + "'");
        } else {
          assertArrayEquals(a.longs(), b.longs(), what + ": values of '" + a.name() + "'");
        }
      }
    }
    assertUnchanged(f, fs);
  }

  @Test
  default void emptyMaskHidesEveryFeature() {
    ModalityFixture<V> f = fixture();
    FeatureSet<V> fs = f.features();
    int d = fs.size();
    boolean[] none = allOf(d, false);
    V hidden = fs.apply(none);
    assertNotNull(hidden, "apply(all false) returned null");
    assertArrayEquals(allOf(d, false), none, "apply changed its mask");
    if (f.emptyMaskChangesValue()) {
      assertFalse(
          f.valuesEqual(hidden, fs.value()),
          "apply(all false) must hide the features, but gives back the value "
              + describe(hidden)
              + " (override emptyMaskChangesValue() if the sample equals its hidden version)");
    }
    for (int i = 0; i < d; i++) {
      if (!f.featureDiffersFromHidden(i)) {
        continue;
      }
      boolean[] only = allOf(d, false);
      only[i] = true;
      V shown = fs.apply(only);
      assertFalse(
          f.valuesEqual(shown, hidden),
          "revealing only feature "
              + i
              + " ('"
              + fs.names().get(i)
              + "') gives the same value as hiding all: "
              + describe(shown)
              + " (override featureDiffersFromHidden("
              + i
              + ") if it equals its hidden form)");
    }
    assertUnchanged(f, fs);
  }

  @Test
  default void flippingOneFeatureOfAMaskChangesTheValue() {
    ModalityFixture<V> f = fixture();
    FeatureSet<V> fs = f.features();
    int d = fs.size();
    SplittableRandom rng = new SplittableRandom(SEED + 1);
    for (int r = 0; r < LOCALITY_MASKS; r++) {
      boolean[] mask = randomMask(rng, d);
      V base = fs.apply(mask);
      for (int i = 0; i < d; i++) {
        if (!f.featureDiffersFromHidden(i)) {
          continue;
        }
        boolean[] flipped = mask.clone();
        flipped[i] = !flipped[i];
        V other = fs.apply(flipped);
        assertFalse(
            f.valuesEqual(base, other),
            "masks "
                + maskString(mask)
                + " and "
                + maskString(flipped)
                + " differ only in feature "
                + i
                + " ('"
                + fs.names().get(i)
                + "') but give the same value "
                + describe(base));
      }
    }
  }

  @Test
  default void perturbationIsDeterministic() {
    ModalityFixture<V> f = fixture();
    FeatureSet<V> first = f.features();
    FeatureSet<V> second = f.featurize(f.readSample());
    assertEquals(
        first.size(), second.size(), "featurizing twice with the same seed gave different sizes");
    assertEquals(
        first.names(), second.names(), "featurizing twice with the same seed gave different names");
    for (boolean[] mask : randomMasks(first.size())) {
      V a = first.apply(mask);
      V again = first.apply(mask);
      V b = second.apply(mask);
      assertTrue(
          f.valuesEqual(a, again),
          "the same mask " + maskString(mask) + " applied twice gave different values");
      assertTrue(
          f.valuesEqual(a, b),
          "mask "
              + maskString(mask)
              + " gave different values after featurizing twice with the same seed: "
              + describe(a)
              + " and "
              + describe(b));
    }
  }

  @Test
  default void concurrentApplyGivesTheSameValuesAsSerialApply() throws Exception {
    ModalityFixture<V> f = fixture();
    FeatureSet<V> fs = f.features();
    List<boolean[]> masks = randomMasks(fs.size());
    List<V> serial = new ArrayList<>();
    for (boolean[] mask : masks) {
      serial.add(fs.apply(mask));
    }
    List<String> problems =
        ConcurrentCheck.run(
            THREADS,
            masks.size(),
            7,
            k ->
                f.valuesEqual(serial.get(k), fs.apply(masks.get(k)))
                    ? null
                    : "mask " + maskString(masks.get(k)));
    assertTrue(
        problems.isEmpty(),
        THREADS + " threads applying masks at once disagree with serial apply: " + problems);
  }
}
