package io.dime.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one record may cost the engine, so that one odd record cannot hold a job for hours or run it
 * out of memory: beyond a limit the record gets an error (stage {@code "limit"}) naming the limit,
 * and the job goes on.
 *
 * @param maxFeatures the most features one modality of a record may have (a surrogate fit over d
 *     features solves a d x d system)
 * @param maxPassesPerPoint the most model passes one record's explanation may need by the
 *     estimator's formula, replicates included
 * @param maxSecondsPerPoint the most wall-clock seconds one record's explanation may take, finite;
 *     0 for no limit
 */
public record EngineLimits(int maxFeatures, long maxPassesPerPoint, double maxSecondsPerPoint) {
  /** The defaults: 4096 features, 100 million passes, one hour. */
  public static final EngineLimits DEFAULTS = new EngineLimits(4096, 100_000_000L, 3600);

  public EngineLimits {
    // an infinite limit was taken and written to the run's provenance as the string "Infinity"
    if (maxFeatures < 1
        || maxPassesPerPoint < 1
        || !(maxSecondsPerPoint >= 0)
        || maxSecondsPerPoint == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException(
          "limits must be positive and finite (maxSecondsPerPoint 0 for none), found maxFeatures "
              + maxFeatures
              + ", maxPassesPerPoint "
              + maxPassesPerPoint
              + ", maxSecondsPerPoint "
              + maxSecondsPerPoint);
    }
  }

  /** As provenance. */
  Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("maxFeatures", maxFeatures);
    m.put("maxPassesPerPoint", maxPassesPerPoint);
    m.put("maxSecondsPerPoint", maxSecondsPerPoint);
    return m;
  }
}
