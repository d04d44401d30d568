package io.dime.report;

import io.dime.spi.Encoder;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.Palette;
import io.dime.spi.PoolStatistics;
import io.dime.spi.ReadContext;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A two-feature text-like modality for the report's tests ({@code a@0}, {@code b@2}) that records
 * what the report asks its views for: captions, weights and palettes. Its provenance names a
 * palette when given one, as the image modality's does.
 */
final class StubModality implements Modality<String> {
  final String name;
  final String palette;
  final List<String> captions = new ArrayList<>();
  final List<double[]> drawn = new ArrayList<>();
  final List<String> asked = new ArrayList<>();

  /**
   * @param palette the palette its provenance names, or null for none
   */
  StubModality(String name, String palette) {
    this.name = name;
    this.palette = palette;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return "stub";
  }

  @Override
  public Class<String> valueType() {
    return String.class;
  }

  @Override
  public String read(Object field, ReadContext context) {
    return (String) field;
  }

  @Override
  public FeatureSet<String> featurize(String value, PoolStatistics pool, SplittableRandom rng) {
    return new FeatureSet<>() {
      @Override
      public String value() {
        return value;
      }

      @Override
      public int size() {
        return 2;
      }

      @Override
      public List<String> names() {
        return List.of("a@0", "b@2");
      }

      @Override
      public String apply(boolean[] keep) {
        return value;
      }
    };
  }

  /** The features of a value, drawn with a fixed seed. */
  FeatureSet<String> features(String value) {
    return featurize(value, PoolStatistics.empty(), new SplittableRandom(1));
  }

  @Override
  public Encoder<String> encoder() {
    throw new UnsupportedOperationException();
  }

  @Override
  public View view(FeatureSet<String> features, double[] weights, ViewOptions options) {
    captions.add(options.title());
    drawn.add(weights.clone());
    asked.add(String.valueOf(options.palette()));
    Palette p = options.palette(palette == null ? Palette.DIVERGING : Palette.of(palette));
    return new View(
        "generic", Map.of("weights", List.of(weights[0], weights[1]), "colour", p.positive()));
  }

  @Override
  public Map<String, Object> provenance() {
    return palette == null ? Map.of() : Map.of("palette", palette);
  }
}
