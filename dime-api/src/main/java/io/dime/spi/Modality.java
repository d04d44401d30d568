package io.dime.spi;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * One configured modality of a pipeline: reads its value from a manifest field, splits it into
 * features, hides features for a mask (through the {@link FeatureSet}), encodes values into model
 * tensors, and draws explanations as views.
 *
 * <p>Implementations are immutable and thread-safe.
 *
 * @param <V> the value type (e.g. {@code double[]} for vectors, {@code String} for text)
 * @since 0.1
 */
public interface Modality<V> {
  /** The modality's name in the pipeline (and the manifest field it reads). Never null. */
  String name();

  /** The plugin factory name that made it ("image", "text", "vector"). Never null. */
  String kind();

  /** The value class, for checks on values built in code. Never null. */
  Class<V> valueType();

  /**
   * Reads a value from a manifest field.
   *
   * @param field the JSON value as plain Java (String, Number, Boolean, List, Map), not null
   * @param context where relative paths resolve and which record is read, not null
   * @return the value, never null
   * @throws io.dime.api.InputException naming the record and the problem (unreadable file, empty
   *     text, NaN in a series)
   */
  V read(Object field, ReadContext context);

  /**
   * Checks a value built in code (not read from a manifest) and returns it typed.
   *
   * @param value the value, may be null (which fails)
   * @param recordId the record it belongs to, for the message; may be null when not known
   * @return the value, never null
   * @throws io.dime.api.InputException naming the problem
   */
  default V check(Object value, String recordId) {
    if (!valueType().isInstance(value)) {
      throw new io.dime.api.InputException(
          recordId,
          "modality '"
              + name()
              + "' expects "
              + valueType().getSimpleName()
              + ", found "
              + (value == null ? "null" : value.getClass().getSimpleName()));
    }
    return valueType().cast(value);
  }

  /**
   * Splits a value into features.
   *
   * @param value a value read or checked by this modality
   * @param pool summary statistics of the reference pool some perturbers need (e.g. entry means);
   *     may be empty
   * @param rng for featurizers with randomness; seeded per datapoint and modality
   * @return the features, never null
   * @throws io.dime.api.InputException when the value has no features
   */
  FeatureSet<V> featurize(V value, PoolStatistics pool, SplittableRandom rng);

  /** The encoder into model-input tensors. Never null. */
  Encoder<V> encoder();

  /**
   * About how many bytes of heap a value this modality read or checked holds (its arrays and
   * strings), so that a reference pool's values, which stay in memory for the whole run, are
   * counted beside their encodings against the pool's share of the heap. The default, 0, means
   * unknown: the values are not counted. A negative count is taken as 0, and the pool's sum stops
   * at {@link Long#MAX_VALUE} (such a pool is refused).
   *
   * @param value a value read or checked by this modality
   * @since 0.3
   */
  default long valueBytes(V value) {
    return 0;
  }

  /** LIME's sampling defaults for this modality; {@link SamplingHints#DENSE} by default. */
  default SamplingHints samplingHints() {
    return SamplingHints.DENSE;
  }

  /**
   * Draws feature weights as a view, with colours from {@link Palette} (see {@link ViewKit}).
   *
   * @param features the featurized value, not null
   * @param weights one weight per feature, in the units of the explained target; not null, not
   *     changed
   * @param options palette, top-n, title; not null
   * @return plain data, never HTML; never null
   * @throws IllegalArgumentException for a weight count other than the feature count, or an unknown
   *     palette
   */
  View view(FeatureSet<V> features, double[] weights, ViewOptions options);

  /** Every setting in effect (defaults included), as plain data, for provenance. Never null. */
  Map<String, Object> provenance();
}
