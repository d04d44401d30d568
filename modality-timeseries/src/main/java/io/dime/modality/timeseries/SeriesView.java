package io.dime.modality.timeseries;

import io.dime.spi.FeatureSet;
import io.dime.spi.Palette;
import io.dime.spi.View;
import io.dime.spi.ViewKit;
import io.dime.spi.ViewOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws feature weights as bands over the series (view kind {@code "series"}). Each band's colour
 * is the palette's colour of its weight on a scale whose ends are the largest absolute weight.
 */
final class SeriesView {
  private SeriesView() {}

  /**
   * The view; see {@link TimeseriesModality#view}.
   *
   * @param modality the modality's name, for messages
   */
  static View render(
      String modality, FeatureSet<Series> features, double[] weights, ViewOptions options) {
    ViewKit.checkWeights(modality, features, weights, options);
    Palette palette = options.palette(Palette.DIVERGING);
    Series s = features.value();
    int[][] bounds = boundsOf(features);
    double scale = ViewKit.maxAbs(weights);
    boolean[] shaded = options.shown(weights);
    List<Map<String, Object>> channelList = new ArrayList<>();
    for (int c = 0; c < s.channels(); c++) {
      Map<String, Object> ch = new LinkedHashMap<>();
      ch.put("name", s.channelLabel(c));
      ch.put("values", s.channel(c));
      channelList.add(ch);
    }
    List<Map<String, Object>> bands = new ArrayList<>();
    for (int f = 0; f < weights.length; f++) {
      Map<String, Object> band = new LinkedHashMap<>();
      band.put("name", features.names().get(f));
      band.put("channel", bounds[f][0]);
      band.put("start", bounds[f][1]);
      band.put("end", bounds[f][2]);
      band.put("weight", weights[f]);
      band.put("colour", palette.colour(weights[f], scale));
      band.put("shaded", shaded[f]);
      bands.add(band);
    }
    Map<String, Object> paletteData = new LinkedHashMap<>();
    paletteData.put("name", palette.id());
    paletteData.put("negative", palette.negative());
    paletteData.put("neutral", palette.neutral());
    paletteData.put("positive", palette.positive());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("title", options.title() == null ? "" : options.title());
    data.put("length", s.length());
    data.put("channels", channelList);
    data.put("features", bands);
    data.put("palette", paletteData);
    data.put("scale", scale);
    data.put("top_n", options.topN());
    return new View("series", data);
  }

  /** Bounds per feature, from this modality's feature sets or, for others, from their layout. */
  private static int[][] boundsOf(FeatureSet<Series> features) {
    int[][] out = new int[features.size()][];
    if (features instanceof TimeseriesFeatureSet sf) {
      for (int f = 0; f < out.length; f++) {
        out[f] = sf.bounds(f);
      }
      return out;
    }
    Object b = features.layout().get("bounds");
    if (!(b instanceof List<?> list) || list.size() != out.length) {
      throw new IllegalArgumentException(
          "features were not made by a timeseries modality (no window bounds in the layout)");
    }
    for (int f = 0; f < out.length; f++) {
      Map<?, ?> m = (Map<?, ?>) list.get(f);
      out[f] =
          new int[] {
            ((Number) m.get("channel")).intValue(),
            ((Number) m.get("start")).intValue(),
            ((Number) m.get("end")).intValue()
          };
    }
    return out;
  }
}
