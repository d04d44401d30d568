package io.dime.core.modality;

import io.dime.spi.FeatureSet;
import io.dime.spi.View;
import io.dime.spi.ViewKit;
import io.dime.spi.ViewOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** The "bars" view of the vector and table modalities: a weight per named entry, with its value. */
final class BarsView {
  private BarsView() {}

  /**
   * The view of {@code features}' weights.
   *
   * @throws IllegalArgumentException for a weight count other than the feature count, naming the
   *     modality ({@link ViewKit#checkWeights})
   */
  static View of(
      String modality,
      FeatureSet<?> features,
      IntFunction<Object> value,
      double[] weights,
      ViewOptions o) {
    ViewKit.checkWeights(modality, features, weights, o);
    List<String> names = features.names();
    List<Map<String, Object>> bars = new ArrayList<>();
    for (int i = 0; i < weights.length; i++) {
      Map<String, Object> bar = new LinkedHashMap<>();
      bar.put("name", names.get(i));
      bar.put("value", value.apply(i));
      bar.put("weight", weights[i]);
      bars.add(bar);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("title", o.title());
    data.put("bars", bars);
    return new View("bars", data);
  }
}
