package io.dime.core.modality;

import static java.util.Objects.requireNonNull;

import io.dime.api.FeatureMap;
import io.dime.api.InputException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.Encoder;
import io.dime.spi.FeatureSet;
import io.dime.spi.JsonValues;
import io.dime.spi.Modality;
import io.dime.spi.Narrowing;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import io.dime.spi.ReadContext;
import io.dime.spi.SamplingHints;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The built-in {@code vector} modality: a fixed-length array of numbers; each entry is a feature; a
 * hidden entry takes a baseline (0, or the entry's mean over the reference pool). Encodes to one
 * FLOAT32 tensor of shape [d].
 *
 * <p>Settings: {@code length} (required for checks; 0 = any), {@code baseline} ("zero", or
 * "pool-mean" as the image modality spells it, or "pool_mean"), {@code input} (the model input it
 * fills; default the modality's name), {@code names} (feature names; default x0, x1, ...).
 */
public final class VectorModality implements Modality<double[]> {
  static final Set<String> KEYS = Set.of("length", "baseline", "input", "names");
  private final String name;
  private final int length;
  private final String baseline;
  private final String input;
  private final List<String> featureNames;
  private volatile PoolMean poolMean;

  /** The mean of one pool, cached for the pool it was computed from. */
  private record PoolMean(List<Object> values, double[] mean) {}

  public VectorModality(String name, PluginConfig config) {
    this.name = requireNonNull(name, "name is null");
    config.requireKnown(KEYS);
    this.length = config.getInt("length", 0);
    if (length < 0) {
      throw new IllegalArgumentException(
          "modality '" + name + "': length must be >= 0 (0 = any), found " + length);
    }
    // pool-mean as the image modality spells it, or pool_mean (recorded as pool_mean either way,
    // so that runs made with either spelling resume each other)
    String b = config.getChoice("baseline", "zero", Set.of("zero", "pool_mean", "pool-mean"));
    this.baseline = b.equals("pool-mean") ? "pool_mean" : b;
    this.input = config.getString("input", name);
    Object n = config.get("names").orElse(null);
    List<String> names = new ArrayList<>();
    if (n instanceof List<?> l) {
      for (Object o : l) {
        names.add(String.valueOf(o));
      }
      if (length > 0 && names.size() != length) {
        throw new IllegalArgumentException(
            "modality '" + name + "': " + names.size() + " names for length " + length);
      }
    }
    this.featureNames = List.copyOf(names);
  }

  /** A vector modality of the given length with a zero baseline. */
  public static VectorModality of(String name, int length) {
    return new VectorModality(name, PluginConfig.of("vector " + name, "length", length));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return "vector";
  }

  @Override
  public Class<double[]> valueType() {
    return double[].class;
  }

  @Override
  public double[] read(Object field, ReadContext context) {
    if (!(field instanceof List<?> list)) {
      throw new InputException(
          context.recordId(),
          "modality '"
              + name
              + "' expects an array of numbers, found "
              + JsonValues.describe(field));
    }
    double[] v = new double[list.size()];
    for (int i = 0; i < v.length; i++) {
      if (!(list.get(i) instanceof Number num)) {
        throw new InputException(
            context.recordId(),
            "modality '"
                + name
                + "' entry "
                + i
                + " is not a number: "
                + JsonValues.describe(list.get(i)));
      }
      v[i] = num.doubleValue();
    }
    return check(v, context.recordId());
  }

  @Override
  public double[] check(Object value, String recordId) {
    if (!(value instanceof double[] v)) {
      throw new InputException(
          recordId,
          "modality '"
              + name
              + "' expects double[], found "
              + (value == null ? "null" : value.getClass().getSimpleName()));
    }
    if (v.length == 0) {
      throw new InputException(recordId, "modality '" + name + "' is an empty vector");
    }
    if (length > 0 && v.length != length) {
      throw new InputException(
          recordId, "modality '" + name + "' has " + v.length + " entries; expected " + length);
    }
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        throw new InputException(
            recordId, "modality '" + name + "' entry " + i + " is " + v[i] + " (not finite)");
      }
    }
    return v;
  }

  private double[] baselineFor(int d, PoolStatistics pool) {
    if (baseline.equals("zero") || pool.values().isEmpty()) {
      return new double[d];
    }
    PoolMean cached = poolMean;
    if (cached == null || cached.values() != pool.values() || cached.mean().length != d) {
      double[] mean = new double[d];
      for (Object o : pool.values()) {
        double[] v = (double[]) o;
        if (v.length != d) {
          throw new InputException(
              null,
              "modality '"
                  + name
                  + "': a pool vector has "
                  + v.length
                  + " entries, the explained one "
                  + d
                  + "; pool_mean needs equal lengths (set 'length')");
        }
        for (int i = 0; i < d; i++) {
          mean[i] += v[i] / pool.values().size();
        }
      }
      cached = new PoolMean(pool.values(), mean);
      poolMean = cached;
    }
    return cached.mean();
  }

  @Override
  public FeatureSet<double[]> featurize(double[] value, PoolStatistics pool, SplittableRandom rng) {
    if (!featureNames.isEmpty() && featureNames.size() != value.length) {
      throw new InputException(
          null,
          "modality '"
              + name
              + "' has "
              + featureNames.size()
              + " feature names for "
              + value.length
              + " entries");
    }
    double[] base = baselineFor(value.length, pool);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < value.length; i++) {
      names.add(featureNames.isEmpty() ? "x" + i : featureNames.get(i));
    }
    List<String> fixedNames = List.copyOf(names);
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
        return fixedNames;
      }

      @Override
      public double[] apply(boolean[] keep) {
        double[] out = new double[value.length];
        for (int i = 0; i < out.length; i++) {
          out[i] = keep[i] ? value[i] : base[i];
        }
        return out;
      }

      @Override
      public Map<String, Object> layout() {
        return Map.of("values", value.clone(), "baseline", base.clone());
      }

      /** Feature i is entry i. */
      @Override
      public Optional<FeatureMap> featureMap() {
        return Optional.of(FeatureMap.Entries.identity(value.length));
      }
    };
  }

  @Override
  public Encoder<double[]> encoder() {
    return new Encoder<>() {
      @Override
      public List<TensorSpec> outputs() {
        return List.of(
            new io.dime.api.TensorSpec(
                input, io.dime.api.ElementType.FLOAT32, new long[] {length > 0 ? length : -1}));
      }

      @Override
      public List<Tensor> encode(double[] value) {
        float[] f = new float[value.length];
        for (int i = 0; i < f.length; i++) {
          f[i] = Narrowing.float32(value[i], input); // 1e39 fails the record as input
        }
        return List.of(Tensor.ofFloats(input, new long[] {f.length}, f));
      }
    };
  }

  /** The array: its header and 8 bytes an entry. */
  @Override
  public long valueBytes(double[] value) {
    return 16 + 8L * value.length;
  }

  @Override
  public SamplingHints samplingHints() {
    return SamplingHints.DENSE;
  }

  @Override
  public View view(FeatureSet<double[]> features, double[] weights, ViewOptions options) {
    return BarsView.of(name, features, i -> features.value()[i], weights, options);
  }

  @Override
  public Map<String, Object> provenance() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("length", length);
    m.put("baseline", baseline);
    m.put("input", input);
    if (!featureNames.isEmpty()) {
      m.put("names", featureNames);
    }
    return m;
  }
}
