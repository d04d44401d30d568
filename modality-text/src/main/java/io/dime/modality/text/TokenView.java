package io.dime.modality.text;

import io.dime.spi.FeatureSet;
import io.dime.spi.Palette;
import io.dime.spi.View;
import io.dime.spi.ViewKit;
import io.dime.spi.ViewOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Draws word or sentence weights over the text (view kind {@code "tokens"}). Each feature's colour
 * is the palette's colour of its weight on a scale whose ends are the largest absolute weight; a
 * feature cut by the encoder's truncation is left neutral (see {@link TextModality#view}).
 */
final class TokenView {
  private TokenView() {}

  /**
   * The view; see {@link TextModality#view}.
   *
   * @param modality the modality's name, for messages
   * @param defaultTopN the number of top features listed when the options ask for all
   */
  static View render(
      String modality,
      FeatureSet<String> features,
      double[] weights,
      ViewOptions options,
      int defaultTopN) {
    ViewKit.checkWeights(modality, features, weights, options);
    if (!(features instanceof TextFeatures fs)) {
      throw new IllegalArgumentException(
          "modality '" + modality + "': features were not made by a text modality");
    }
    Palette palette = options.palette(Palette.DIVERGING);
    int inModel = fs.inModel();
    double max = ViewKit.maxAbs(Arrays.copyOf(weights, inModel));
    int topN = options.topN() > 0 ? options.topN() : defaultTopN;
    List<Integer> top = top(weights, inModel, topN);
    Set<Integer> inTop = new HashSet<>(top);
    List<Map<String, Object>> all = new ArrayList<>(fs.size());
    for (int i = 0; i < fs.size(); i++) {
      Map<String, Object> f = feature(fs, i, weights[i]);
      f.put("colour", i < inModel ? palette.colour(weights[i], max) : palette.neutral());
      f.put("top", inTop.contains(i));
      if (i >= inModel) {
        f.put("truncated", true);
      }
      all.add(f);
    }
    List<Map<String, Object>> topList = new ArrayList<>(top.size());
    for (int i : top) {
      topList.add(feature(fs, i, weights[i]));
    }
    Map<String, Object> data = new LinkedHashMap<>();
    if (options.title() != null) {
      data.put("title", options.title());
    }
    data.put("text", fs.value());
    data.put("unit", fs.unit());
    data.put("palette", palette.id());
    data.put("positiveColour", palette.positive());
    data.put("negativeColour", palette.negative());
    data.put("neutralColour", palette.neutral());
    data.put("maxAbsWeight", max);
    data.put("featuresInModel", inModel);
    data.put("topN", topN);
    data.put("features", all);
    data.put("top", topList);
    return new View("tokens", data);
  }

  /**
   * The n features among the first {@code inModel} with the largest absolute weights (ties: first),
   * never a zero weight.
   */
  private static List<Integer> top(double[] weights, int inModel, int n) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < inModel; i++) {
      if (Double.isFinite(weights[i]) && weights[i] != 0) {
        order.add(i);
      }
    }
    order.sort(
        Comparator.comparingDouble((Integer i) -> -Math.abs(weights[i])).thenComparingInt(i -> i));
    return order.subList(0, Math.min(n, order.size()));
  }

  private static Map<String, Object> feature(TextFeatures fs, int i, double weight) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("index", i);
    f.put("name", fs.names().get(i));
    f.put("text", fs.text(i));
    f.put("begin", fs.begin(i));
    f.put("end", fs.end(i));
    f.put("weight", weight);
    return f;
  }
}
