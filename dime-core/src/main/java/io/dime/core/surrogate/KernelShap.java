package io.dime.core.surrogate;

import io.dime.spi.ColumnFit;
import io.dime.spi.PluginConfig;
import io.dime.spi.SampleDesign;
import io.dime.spi.SamplingHints;
import io.dime.spi.Surrogate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * KernelSHAP (Lundberg and Lee, 2017): Shapley values of the target as a function of the mask,
 * estimated by the Shapley-kernel weighted least squares with the efficiency constraint.
 *
 * <p><b>Design.</b> Sample 0 is the all-ones mask (the unperturbed input), sample 1 the all-zeros
 * mask (every feature hidden); both get weight 0 in the design because they enter the fit as exact
 * constraints. Then either
 *
 * <ul>
 *   <li><b>enumeration</b>: every other mask once (2^d masks in all, whatever the requested number
 *       of samples), each with the Shapley kernel weight pi(z) = (d - 1) / (C(d, |z|) |z| (d -
 *       |z|)); or
 *   <li><b>sampling</b>: {@code samples - 2} masks in complementary pairs (a mask, then its
 *       complement, as the {@code shap} package does): the number of kept features s in 1..d-1 is
 *       drawn with probability proportional to the kernel mass of that size, C(d, s) pi = (d - 1) /
 *       (s (d - s)), then a uniform subset of that size. Since the sizes already follow the kernel,
 *       every sampled mask gets the same weight M / m, where M is the total kernel mass of all
 *       non-end masks and m the number of sampled masks: the expected total weight a mask receives
 *       is then exactly its enumeration weight pi(z), so the ridge penalty means the same in both
 *       modes.
 * </ul>
 *
 * Mode {@code auto} (the default) enumerates when 2^d is at most the requested samples and d is at
 * most {@value #MAX_ENUMERATE_FEATURES}, and samples otherwise. A modality with one feature always
 * gets just the two end masks (then phi = f(x) - f(empty), exactly).
 *
 * <p><b>Fit.</b> For every target column y: phi_0 = y(all hidden) is the intercept, and phi
 * minimises sum_z w(z) (y(z) - phi_0 - z . phi)^2 + alpha |phi|^2 over the non-end masks, subject
 * to sum(phi) = y(all ones) - y(all hidden), so intercept + sum(weights) = f(x) exactly. The
 * constraint is eliminated through the last feature as in the {@code shap} package (phi_d = delta -
 * sum_{j<d} phi_j); the penalty still covers all d values, so the result does not depend on which
 * feature is eliminated. The reduced system is the same for every column and is factored once
 * (Cholesky, EJML; {@link KernelShapFit}). When it is numerically singular (too few distinct
 * masks), the KKT system of the constrained problem is solved with an SVD pseudo-inverse instead
 * (the minimum-norm phi that satisfies the constraint) and the standard errors are NaN, as the
 * weights are not identified.
 *
 * <p><b>Standard errors</b> from the kernel-weighted residuals on the non-end masks, with the end
 * values taken as exact: the heteroskedasticity-consistent sandwich with HC3's leverage correction
 * on the reduced problem (as {@link WeightedRidge}'s), Cov(b) = A^-1 (sum_g e_g e_g') A^-1 with A =
 * G + penalty, e_g = sum over the group g of w_i x_i r_i / (1 - h_i) and h_i = w_i x_i' A^-1 x_i
 * (one sample a group unless {@link SampleDesign#errorGroup} says otherwise), and Var(phi_d) = 1'
 * Cov(b) 1. Under the draw-based estimators the end values carry draw error too, which these errors
 * leave out. When the residual degrees of freedom m - (d - 1) are not positive, the error is 0 for
 * d = 1 (phi is the difference of the two end values; 0 is its error where the end values carry no
 * draw error, see below) and NaN for d > 1: no more sampled masks than free parameters are fitted
 * exactly whatever the target, so nothing measures the error of weights that depend on the masks
 * never sampled (it was 0 with as many masks as free parameters). It is NaN too where the fitted
 * masks fall in no more error groups than there are free weights (the fast preset's {@code
 * anchored} shares draws among 5 consecutive samples, and 2 or 3 features give just 2 or 6 fitted
 * masks): the clustered sandwich would come out near 0 whatever the draws did, and a draw error
 * shared by a group can be linear in the mask, so that even residuals of 0 say nothing.
 * (Reproducing the samples is no evidence of an exact target when the samples' values carry draw
 * error: the engine then sets the errors of such targets to NaN, see {@code
 * Estimator#samplesCarryDrawError}.) The score is the kernel-weighted R^2 on the non-end masks (1
 * for d = 1, NaN when a modality with several features has no non-end masks).
 *
 * <p>Immutable and thread-safe.
 */
public final class KernelShap implements Surrogate {
  /** The modes: "auto", "enumerate", "sample". */
  public static final Set<String> MODES = Set.of("auto", "enumerate", "sample");

  /** The largest number of features that may be enumerated (2^12 = 4096 masks). */
  public static final int MAX_ENUMERATE_FEATURES = 12;

  /** Settings read by {@link #fromConfig}. */
  public static final Set<String> SETTINGS = Set.of("mode", "alpha");

  private final String mode;
  private final double alpha;

  private KernelShap(String mode, double alpha) {
    if (!MODES.contains(mode)) {
      throw new IllegalArgumentException(
          "kernel_shap: no mode '" + mode + "'; available: " + new java.util.TreeSet<>(MODES));
    }
    if (!(alpha >= 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException(
          "kernel_shap: alpha must be finite and >= 0, found " + alpha);
    }
    this.mode = mode;
    this.alpha = alpha;
  }

  /** Mode "auto", alpha 0 (the exact constrained weighted least squares). */
  public static KernelShap defaults() {
    return new KernelShap("auto", 0);
  }

  /** A copy with another mode: "auto", "enumerate" or "sample" (case-insensitive). */
  public KernelShap withMode(String m) {
    return new KernelShap(
        java.util.Objects.requireNonNull(m, "mode is null").toLowerCase(Locale.ROOT), alpha);
  }

  /** A copy with another ridge penalty on phi (0 for no penalty). */
  public KernelShap withAlpha(double a) {
    return new KernelShap(mode, a);
  }

  /** Reads "mode" (auto, enumerate, sample) and "alpha"; rejects any other key. */
  public static KernelShap fromConfig(PluginConfig config) {
    config.requireKnown(SETTINGS);
    return new KernelShap(config.getChoice("mode", "auto", MODES), config.getDouble("alpha", 0));
  }

  public String mode() {
    return mode;
  }

  public double alpha() {
    return alpha;
  }

  @Override
  public String name() {
    return "kernel_shap";
  }

  /** Whether a design for d features and the given samples enumerates every mask. */
  public boolean enumerates(int d, int samples) {
    return switch (mode) {
      case "enumerate" -> true;
      case "sample" -> false;
      default -> d <= MAX_ENUMERATE_FEATURES && (1L << d) <= samples;
    };
  }

  @Override
  public SampleDesign design(int d, int samples, SamplingHints hints, SplittableRandom rng) {
    if (d < 1) {
      throw new IllegalArgumentException("a modality with no features cannot be explained");
    }
    if (samples < 2) {
      throw new IllegalArgumentException(
          "KernelSHAP needs at least 2 samples (the unperturbed and the all-hidden input), found "
              + samples);
    }
    if (d == 1) {
      return new SampleDesign(new boolean[][] {{true}, {false}}, new double[2]);
    }
    if (enumerates(d, samples)) {
      if (d > MAX_ENUMERATE_FEATURES) {
        throw new IllegalArgumentException(
            "kernel_shap: mode 'enumerate' supports at most "
                + MAX_ENUMERATE_FEATURES
                + " features, but the modality has "
                + d
                + " (2^"
                + d
                + " masks); use mode 'sample' or 'auto'");
      }
      return enumerate(d);
    }
    return sample(d, samples, rng);
  }

  private static SampleDesign enumerate(int d) {
    int n = 1 << d;
    boolean[][] masks = new boolean[n][d];
    double[] weights = new double[n];
    Arrays.fill(masks[0], true);
    // masks[1] stays all false
    int s = 2;
    for (int code = 1; code < n - 1; code++, s++) {
      int kept = 0;
      for (int j = 0; j < d; j++) {
        boolean b = ((code >>> j) & 1) != 0;
        masks[s][j] = b;
        kept += b ? 1 : 0;
      }
      weights[s] = kernel(d, kept);
    }
    return new SampleDesign(masks, weights);
  }

  private static SampleDesign sample(int d, int samples, SplittableRandom rng) {
    // cumulative kernel mass of the sizes 1..d-1: (d - 1) / (s (d - s))
    double[] cdf = new double[d - 1];
    double total = 0;
    for (int s = 1; s < d; s++) {
      total += (d - 1.0) / ((double) s * (d - s));
      cdf[s - 1] = total;
    }
    int m = samples - 2;
    boolean[][] masks = new boolean[samples][d];
    double[] weights = new double[samples];
    Arrays.fill(masks[0], true);
    double w = m > 0 ? total / m : 0;
    int[] perm = new int[d];
    for (int j = 0; j < d; j++) {
      perm[j] = j;
    }
    int i = 2;
    while (i < samples) {
      int size = drawSize(cdf, total, rng);
      // uniform subset of `size` kept features: partial Fisher-Yates
      for (int j = 0; j < size; j++) {
        int r = j + rng.nextInt(d - j);
        int tmp = perm[j];
        perm[j] = perm[r];
        perm[r] = tmp;
        masks[i][perm[j]] = true;
      }
      weights[i] = w;
      i++;
      if (i < samples) {
        for (int j = 0; j < d; j++) {
          masks[i][j] = !masks[i - 1][j];
        }
        weights[i] = w;
        i++;
      }
    }
    return new SampleDesign(masks, weights);
  }

  private static int drawSize(double[] cdf, double total, SplittableRandom rng) {
    double u = rng.nextDouble() * total;
    int k = Arrays.binarySearch(cdf, u);
    if (k < 0) {
      k = -k - 1;
    }
    return Math.min(k, cdf.length - 1) + 1;
  }

  /** The Shapley kernel weight of a mask with {@code kept} of d features kept, 0 < kept < d. */
  static double kernel(int d, int kept) {
    return (d - 1.0) / (binomial(d, kept) * kept * (d - kept));
  }

  static double binomial(int n, int k) {
    k = Math.min(k, n - k);
    double c = 1;
    for (int i = 1; i <= k; i++) {
      c = c * (n - k + i) / i;
    }
    return c; // exact: every partial product is an integer C(n - k + i, i) below 2^53 for n <= 50
  }

  @Override
  public List<ColumnFit> fit(SampleDesign design, double[][] targets) {
    // targets beyond 1e100 or below 1e-100 are fitted in units of their column's largest value, as
    // WeightedRidge does (the fit is linear in the targets): their squares in the residual sums
    // would overflow (errors infinite) or underflow (errors and scores of an exact fit)
    double[] scale = WeightedRidge.extremeScales(targets);
    if (scale != null) {
      return WeightedRidge.rescaled(
          new KernelShapFit(alpha).fit(design, WeightedRidge.divided(targets, scale)), scale);
    }
    return new KernelShapFit(alpha).fit(design, targets);
  }

  @Override
  public Map<String, Object> provenance() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("surrogate", "kernel_shap");
    m.put("mode", mode);
    m.put("alpha", alpha);
    m.put("maxEnumeratedFeatures", MAX_ENUMERATE_FEATURES);
    m.put(
        "kernel",
        "Shapley kernel (d-1)/(C(d,|z|)|z|(d-|z|)); sampled masks: sizes drawn from the kernel"
            + " mass, uniform subsets in complementary pairs, equal weights");
    m.put("efficiency", true);
    m.put("intercept", "target with every feature hidden");
    m.put("firstSampleUnperturbed", true);
    return m;
  }

  @Override
  public String toString() {
    return "KernelShap[mode=" + mode + ", alpha=" + alpha + "]";
  }
}
