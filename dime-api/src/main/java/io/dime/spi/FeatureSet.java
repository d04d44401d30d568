package io.dime.spi;

import io.dime.api.FeatureMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The interpretable features of one modality value, and the perturber that hides them. Created by
 * {@link Modality#featurize}; one instance per explained value. Must be safe to call from several
 * threads.
 *
 * @param <V> the modality's value type
 * @since 0.1
 */
public interface FeatureSet<V> {
  /** The value that was featurized. Never null. */
  V value();

  /** Number of features d (at least 1). */
  int size();

  /** One distinct, non-blank name per feature, for reports ("s12", "man@12", "x3"). Never null. */
  List<String> names();

  /**
   * The value with the features where {@code keep[i]} is false hidden. {@code keep} of all true
   * must give a value equal to {@link #value()}. Must be deterministic: the same mask gives the
   * same value.
   *
   * @param keep length {@link #size()}, not null, not changed
   * @return the value with hidden features; never null
   * @throws IllegalArgumentException when {@code keep} has another length
   */
  V apply(boolean[] keep);

  /**
   * What a view needs besides the weights: segment maps, token offsets, window bounds. Plain data
   * (numbers, strings, lists, maps, arrays); empty by default, never null.
   */
  default Map<String, Object> layout() {
    return Map.of();
  }

  /**
   * Where each feature lies in {@link #value()}, as {@code explanations.jsonl} writes it once per
   * datapoint so that users draw weights on the input without plugin code: a label map for images,
   * code-point offsets for texts, sample bounds for series, entry indices for vectors. The map's
   * {@link FeatureMap#size()} is {@link #size()} and every feature holds at least one element.
   * Empty by default (the explanation then has no map for the modality); never null.
   *
   * @since 0.2
   */
  default Optional<FeatureMap> featureMap() {
    return Optional.empty();
  }
}
