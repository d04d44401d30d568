package io.dime.core;

import static java.util.Objects.requireNonNull;

import io.dime.api.Datapoint;
import io.dime.api.InputException;
import io.dime.api.LimitException;
import io.dime.core.random.Seeds;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.PoolStatistics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits datapoints into features exactly as the engine does: each modality's featurizer with the
 * pool's statistics and a random stream seeded from (seed, datapoint id, modality). Featurizing is
 * deterministic, so the features of a datapoint are the same here, in an explanation and in a
 * report drawn later without the model.
 */
public final class Featurizer {
  private final List<Modality<?>> modalities;
  private final List<String> names;
  private final List<PoolStatistics> poolStats;
  private final long seed;
  private final int maxFeatures;

  /**
   * A featurizer without a limit on the features of a modality.
   *
   * @param modalities the modalities, in pipeline order
   * @param poolStats per modality, the pool's values (what hiding with pool data needs)
   * @param seed the run's seed
   */
  public Featurizer(List<Modality<?>> modalities, List<PoolStatistics> poolStats, long seed) {
    this(modalities, poolStats, seed, Integer.MAX_VALUE);
  }

  /**
   * A featurizer that refuses a modality value with more than {@code maxFeatures} features.
   *
   * @param modalities the modalities, in pipeline order
   * @param poolStats per modality, the pool's values (what hiding with pool data needs)
   * @param seed the run's seed
   * @param maxFeatures the most features one modality of a record may have
   */
  public Featurizer(
      List<Modality<?>> modalities, List<PoolStatistics> poolStats, long seed, int maxFeatures) {
    this.modalities = List.copyOf(modalities);
    this.names = this.modalities.stream().map(Modality::name).toList();
    this.poolStats = List.copyOf(poolStats);
    if (this.poolStats.size() != this.modalities.size()) {
      throw new IllegalArgumentException(
          poolStats.size() + " pool statistics for " + modalities.size() + " modalities");
    }
    this.seed = seed;
    this.maxFeatures = maxFeatures;
  }

  /** A featurizer over a reference pool of datapoints (each value checked by its modality). */
  public static Featurizer forPool(List<Modality<?>> modalities, List<Datapoint> pool, long seed) {
    return new Featurizer(modalities, poolStatistics(modalities, pool), seed);
  }

  /** Per modality, the pool's values in pool order, each checked by its modality. */
  static List<PoolStatistics> poolStatistics(List<Modality<?>> modalities, List<Datapoint> pool) {
    List<PoolStatistics> out = new ArrayList<>();
    for (Modality<?> m : modalities) {
      List<Object> col = new ArrayList<>();
      for (Datapoint p : pool) {
        col.add(m.check(p.value(m.name()), p.id()));
      }
      out.add(new PoolStatistics(col));
    }
    return out;
  }

  /** The features of every modality of a datapoint, by modality name in pipeline order. */
  public Map<String, FeatureSet<?>> features(Datapoint dp) {
    requireNonNull(dp, "datapoint is null");
    Map<String, FeatureSet<?>> out = new LinkedHashMap<>();
    for (int m = 0; m < modalities.size(); m++) {
      Object value = modalities.get(m).check(dp.value(names.get(m)), dp.id());
      out.put(names.get(m), featurize(m, value, dp.id(), seed));
    }
    return out;
  }

  /** The features of modality m of a checked value, with the run's seed. */
  FeatureSet<?> featurize(int m, Object value, String id) {
    return featurize(m, value, id, seed);
  }

  /**
   * The features of modality m of a checked value, with a replicate's seed.
   *
   * @throws InputException naming the record when the value cannot be featurized or has no features
   * @throws StageFailure when the modality's code fails otherwise (stage {@code featurize})
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  FeatureSet<?> featurize(int m, Object value, String id, long seed) {
    Modality mod = modalities.get(m);
    FeatureSet<?> fs;
    try {
      fs = mod.featurize(value, poolStats.get(m), Seeds.stream(seed, id, m, Seeds.FEATURIZE, 0));
    } catch (InputException e) {
      throw e.recordId().isPresent() ? e : new InputException(id, e.getMessage(), e);
    } catch (RuntimeException e) {
      throw StageFailure.wrap(
          "featurize",
          "featurizing modality '" + names.get(m) + "' (plugin " + mod.kind() + ")",
          e);
    }
    if (fs == null) {
      throw new StageFailure(
          "featurize", "modality '" + names.get(m) + "' returned no feature set (null)");
    }
    if (fs.size() < 1) {
      throw new InputException(id, "modality '" + names.get(m) + "' has no features to explain");
    }
    if (fs.size() > maxFeatures) {
      throw new LimitException(
          id,
          "modality '"
              + names.get(m)
              + "' has "
              + fs.size()
              + " features; the most is "
              + maxFeatures
              + " (limit maxFeatures): --max-features raises it");
    }
    return fs;
  }
}
