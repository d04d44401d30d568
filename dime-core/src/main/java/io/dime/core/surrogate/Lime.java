package io.dime.core.surrogate;

import io.dime.spi.ColumnFit;
import io.dime.spi.MaskDistribution;
import io.dime.spi.PluginConfig;
import io.dime.spi.SampleDesign;
import io.dime.spi.SamplingHints;
import io.dime.spi.Surrogate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * LIME with the {@code lime} package's defaults: the first sample is the unperturbed input; masks
 * from the modality's distribution; kernel sqrt(exp(-d^2 / w^2)) on the cosine distance between the
 * mask and the all-ones mask (d = 1 for the all-hidden mask); weighted ridge (alpha = 1) with an
 * unpenalised intercept; all features kept unless a feature-selection mode is chosen.
 */
public final class Lime implements Surrogate {
  /** Feature-selection modes, as in the {@code lime} package. */
  public static final Set<String> SELECTION_MODES =
      Set.of("none", "highest_weights", "forward_selection", "lasso_path", "auto");

  private final double alpha;
  private final String selection;
  private final int numFeatures;
  private final Double kernelWidth;

  private Lime(double alpha, String selection, int numFeatures, Double kernelWidth) {
    if (!(alpha >= 0)) {
      throw new IllegalArgumentException("ridge alpha must be >= 0, found " + alpha);
    }
    if (!SELECTION_MODES.contains(selection)) {
      throw new IllegalArgumentException(
          "no feature selection '" + selection + "'; available: " + SELECTION_MODES);
    }
    if (numFeatures < 1) {
      throw new IllegalArgumentException("numFeatures must be >= 1, found " + numFeatures);
    }
    if (Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("ridge alpha must be finite, found " + alpha);
    }
    if (kernelWidth != null && !(kernelWidth > 0 && kernelWidth < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "kernelWidth must be a positive finite number, found " + kernelWidth);
    }
    this.alpha = alpha;
    this.selection = selection;
    this.numFeatures = numFeatures;
    this.kernelWidth = kernelWidth;
  }

  /** LIME's defaults: alpha 1, no feature selection, the modality's kernel width. */
  public static Lime defaults() {
    return new Lime(1.0, "none", Integer.MAX_VALUE, null);
  }

  /** A copy with another ridge penalty (0 for weighted least squares). */
  public Lime withAlpha(double a) {
    return new Lime(a, selection, numFeatures, kernelWidth);
  }

  /** A copy with feature selection keeping at most {@code k} features per target. */
  public Lime withFeatureSelection(String mode, int k) {
    java.util.Objects.requireNonNull(mode, "feature selection mode is null");
    return new Lime(alpha, mode.toLowerCase(Locale.ROOT), k, kernelWidth);
  }

  /** A copy with a fixed kernel width instead of the modality's. */
  public Lime withKernelWidth(double w) {
    return new Lime(alpha, selection, numFeatures, w);
  }

  /** Reads "alpha", "featureSelection", "numFeatures", "kernelWidth". */
  public static Lime fromConfig(PluginConfig config) {
    config.requireKnown(Set.of("alpha", "featureSelection", "numFeatures", "kernelWidth"));
    Double w = config.get("kernelWidth").isPresent() ? config.getDouble("kernelWidth", 0) : null;
    return new Lime(
        config.getDouble("alpha", 1.0),
        config.getChoice("featureSelection", "none", SELECTION_MODES),
        config.getInt("numFeatures", Integer.MAX_VALUE),
        w);
  }

  @Override
  public String name() {
    return "lime";
  }

  @Override
  public SampleDesign design(int d, int samples, SamplingHints hints, SplittableRandom rng) {
    if (d < 1) {
      throw new IllegalArgumentException("a modality with no features cannot be explained");
    }
    if (samples < 2) {
      throw new IllegalArgumentException("LIME needs at least 2 samples, found " + samples);
    }
    boolean[][] masks = new boolean[samples][d];
    Arrays.fill(masks[0], true);
    for (int s = 1; s < samples; s++) {
      if (hints.distribution() == MaskDistribution.BERNOULLI_HALF) {
        for (int j = 0; j < d; j++) {
          masks[s][j] = rng.nextBoolean();
        }
      } else {
        Arrays.fill(masks[s], true);
        int hide = 1 + rng.nextInt(d); // 1..d, as lime's randint(1, d + 1)
        int[] perm = new int[d];
        for (int j = 0; j < d; j++) {
          perm[j] = j;
        }
        for (int j = 0; j < hide; j++) {
          int r = j + rng.nextInt(d - j);
          int tmp = perm[j];
          perm[j] = perm[r];
          perm[r] = tmp;
          masks[s][perm[j]] = false;
        }
      }
    }
    double width = kernelWidth != null ? kernelWidth : hints.kernelWidth();
    double[] weights = new double[samples];
    for (int s = 0; s < samples; s++) {
      int kept = 0;
      for (boolean b : masks[s]) {
        kept += b ? 1 : 0;
      }
      double dist = kept == 0 ? 1.0 : 1.0 - Math.sqrt((double) kept / d);
      dist *= hints.distanceScale();
      weights[s] = Math.sqrt(Math.exp(-(dist * dist) / (width * width)));
    }
    return new SampleDesign(masks, weights);
  }

  @Override
  public List<ColumnFit> fit(SampleDesign design, double[][] targets) {
    double[][] z = toDouble(design.masks());
    double[] w = design.weights();
    int d = design.features();
    String mode = selection;
    if (mode.equals("auto")) {
      mode = numFeatures <= 6 ? "forward_selection" : "highest_weights";
    }
    if (mode.equals("none") || numFeatures >= d) {
      return WeightedRidge.fit(z, w, targets, alpha, null, design.errorGroup());
    }
    int t = targets.length == 0 ? 0 : targets[0].length;
    List<ColumnFit> out = new ArrayList<>(t);
    for (int c = 0; c < t; c++) {
      double[][] col = column(targets, c);
      int[] chosen = FeatureSelection.select(mode, z, w, col, numFeatures);
      out.add(WeightedRidge.fit(z, w, col, alpha, chosen, design.errorGroup()).get(0));
    }
    return out;
  }

  static double[][] toDouble(boolean[][] masks) {
    double[][] z = new double[masks.length][];
    for (int i = 0; i < masks.length; i++) {
      z[i] = new double[masks[i].length];
      for (int j = 0; j < masks[i].length; j++) {
        z[i][j] = masks[i][j] ? 1 : 0;
      }
    }
    return z;
  }

  private static double[][] column(double[][] y, int c) {
    double[][] out = new double[y.length][1];
    for (int i = 0; i < y.length; i++) {
      out[i][0] = y[i][c];
    }
    return out;
  }

  @Override
  public Map<String, Object> provenance() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("surrogate", "lime");
    m.put("alpha", alpha);
    m.put("interceptPenalised", false);
    m.put("featureSelection", selection);
    m.put("numFeatures", numFeatures == Integer.MAX_VALUE ? "all" : numFeatures);
    m.put("kernel", "sqrt(exp(-d^2/w^2)) on cosine distance to the all-ones mask");
    m.put("kernelWidth", kernelWidth == null ? "modality default" : kernelWidth);
    m.put("firstSampleUnperturbed", true);
    return m;
  }
}
