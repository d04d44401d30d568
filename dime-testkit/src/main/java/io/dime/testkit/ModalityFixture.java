package io.dime.testkit;

import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the modality part contracts ({@link FeaturizerContract}, {@link HiderContract}, {@link
 * EncoderContract}, {@link ViewContract}) test: the modality under test, a sample value and its
 * features, and the plugin's answers to the questions the checks ask. {@link ModalityContract}
 * supplies one from the methods a plugin's test overrides, so a plugin author rarely implements
 * this interface; a test that wants only some parts may implement those part contracts and supply
 * its own fixture.
 *
 * <p>Values are made afresh for each test (JUnit makes a new test instance per test); the features
 * come from featurizing with a fixed seed, so two calls of {@link #featurize} give equal feature
 * sets.
 *
 * @param <V> the modality's value type
 * @since 0.1
 */
public interface ModalityFixture<V> {
  /** The modality under test. Never null. */
  Modality<V> modality();

  /** The sample value, read once per test. Never null. */
  V value();

  /** The sample value read again, a new value equal to {@link #value()}. Never null. */
  V readSample();

  /** The features of {@link #value()}, made once per test with {@link #featurize}. Never null. */
  FeatureSet<V> features();

  /**
   * Featurizes a value with the test's reference pool and a fixed seed.
   *
   * @param value a value of the modality, not null
   * @return never null
   */
  FeatureSet<V> featurize(V value);

  /**
   * Whether two values of the modality are equal ({@link Objects#deepEquals} unless the plugin says
   * otherwise).
   *
   * @param a a value, not null
   * @param b a value, not null
   */
  boolean valuesEqual(V a, V b);

  /** Whether hiding every feature of the sample changes it. */
  boolean emptyMaskChangesValue();

  /**
   * Whether showing feature {@code i} of the sample gives a value different from hiding it.
   *
   * @param i a feature index in [0, size)
   */
  boolean featureDiffersFromHidden(int i);

  /**
   * Whether the full mask gives back a value equal to the featurized one (else only one that
   * encodes to the same tensors).
   */
  boolean exactRoundTrip();

  /**
   * For each atomic element of {@code features.value()}, the index of the feature that owns it, or
   * -1; empty when the plugin does not say.
   *
   * @param features the featurized sample, not null
   */
  Optional<int[]> featureOwnership(FeatureSet<V> features);

  /**
   * The atomic elements of a value, in the order of {@link #featureOwnership}; empty when the
   * plugin does not give them.
   *
   * @param value a value of the modality, not null
   */
  Optional<List<?>> elements(V value);
}
