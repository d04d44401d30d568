package io.dime.core;

import static java.util.Objects.requireNonNull;

import io.dime.core.estimate.Estimator;
import io.dime.core.estimate.Estimators;
import java.util.List;
import java.util.Locale;

/**
 * Named settings of the estimator and the sample count: {@link #defaults()} (today's engine) and
 * {@link #fast()}. A preset only chooses defaults; a caller may still set the estimator or the
 * samples after it.
 *
 * <pre>{@code
 * try (Dime dime = Dime.builder() // closing it stops its model thread
 *     .modality(image).modality(question)
 *     .model(model).referencePool(pool)
 *     .preset(Presets.fast())
 *     .build()) {
 *   Explanation e = dime.explain(datapoint, Targets.predictedAndLabel());
 * }
 * }</pre>
 */
public final class Presets {
  /** The name of {@link #defaults()}. */
  public static final String DEFAULT = "default";

  /** The name of {@link #fast()}. */
  public static final String FAST = "fast";

  /** The run-provenance key that names a preset other than {@link #DEFAULT}. */
  public static final String PROVENANCE_KEY = "preset";

  /**
   * R of {@link #defaults()}: fresh draws per distinct mask. 50 rather than 100 since issue 18: on
   * the synthetic task's 100 test points the default's UC correlations were 0.9970 / 0.9976 at R =
   * 50 against 0.9979 / 0.9984 at R = 100 and paper-faithful(100)'s 0.9960 / 0.9965, MI 0.9606 /
   * 0.9604 against 0.9614 / 0.9613 and 0.9579 / 0.9638, at half the model rows (BENCHMARKS.md).
   */
  public static final int DEFAULT_DRAWS = Estimators.DEFAULT_DRAWS;

  /** R, the fresh reference draws per perturbation sample of {@link #fast()}. */
  public static final int FAST_DRAWS = 5;

  /** S, the perturbation samples per modality of {@link #fast()} with three or more modalities. */
  public static final int FAST_SAMPLES = 700;

  /**
   * S of {@link #fast()} with two modalities, where each modality's fits carry two terms (UC and
   * one interaction) rather than four or more. On the synthetic task's 1000 test points (draw group
   * 5, BENCHMARKS.md): S = 500 gave UC 0.9948 / 0.9951 and MI 0.9525 / 0.9521 with 6,808 rows per
   * point; S = 400 UC 0.9937 / 0.9941 and MI 0.9511 / 0.9508 with 5,479; S = 350 UC 0.9928 / 0.9934
   * and MI 0.9497 / 0.9498 (paper-faithful: UC 0.9961 / 0.9966, MI 0.9503 / 0.9565). 400 keeps UC
   * above 0.99 and MI within 0.006 of paper-faithful with a margin. The analytic k = 3 task at S =
   * 500 already fell under its targets (order 1: 0.9898), hence {@link #FAST_SAMPLES} there.
   */
  public static final int FAST_SAMPLES_TWO = 400;

  private Presets() {}

  /**
   * A named choice of estimator and samples.
   *
   * @param name the preset's name (lower case)
   * @param estimator the estimator's name, as {@link Estimators#byName(String, int)} takes it
   * @param references N references, or R draws per sample for {@code sampled} and {@code anchored}
   * @param samples S perturbation samples per modality (with three or more modalities)
   * @param samplesForTwo S with two (or one) modalities
   */
  public record Preset(
      String name, String estimator, int references, int samples, int samplesForTwo) {
    public Preset {
      requireNonNull(name, "name is null");
      requireNonNull(estimator, "estimator is null");
      if (references < 1 || samples < 2 || samplesForTwo < 2) {
        throw new IllegalArgumentException(
            "preset '"
                + name
                + "' needs references >= 1 and samples >= 2, found "
                + references
                + ", "
                + samples
                + " and "
                + samplesForTwo);
      }
    }

    /** A preset with the same samples whatever the number of modalities. */
    public Preset(String name, String estimator, int references, int samples) {
      this(name, estimator, references, samples, samples);
    }

    /** S with k modalities. */
    public int samplesFor(int k) {
      return k <= 2 ? samplesForTwo : samples;
    }

    /** The estimator this preset names. */
    public Estimator estimatorInstance() {
      return Estimators.byName(estimator, references);
    }

    /** Whether this is {@link #DEFAULT}: such a run records no preset (its outputs are today's). */
    public boolean isDefault() {
      return name.equals(DEFAULT);
    }

    /**
     * Sets the estimator and the samples ({@link #samplesFor} the engine's modalities) on {@code
     * b}, and, unless this is the default preset, the preset's name in the run's provenance (so
     * that a resume under another preset is refused).
     */
    public DimeBuilder applyTo(DimeBuilder b) {
      b.estimator(estimatorInstance()).samplesOf(this);
      return recordOn(b);
    }

    /** Records the preset's name in {@code b}'s run provenance, unless this is the default. */
    public DimeBuilder recordOn(DimeBuilder b) {
      return isDefault() ? b : b.provenance(PROVENANCE_KEY, name);
    }
  }

  /**
   * The engine's defaults: {@code sampled(50)} (one estimate per distinct mask, R = 50 fresh draws
   * each), 1000 samples per modality.
   */
  public static Preset defaults() {
    return new Preset(DEFAULT, "sampled", DEFAULT_DRAWS, 1000);
  }

  /**
   * Far fewer passes for the same accuracy: {@link Estimators#anchored anchored(R)} with R = {@link
   * #FAST_DRAWS} fresh draws per sample and S = {@link #FAST_SAMPLES_TWO} samples per modality for
   * k = 2 modalities, {@link #FAST_SAMPLES} for more, that is S (2 (2^(k-1) - 1) R + 1) passes per
   * modality by the formula for k modalities (S (2 R + 1) for k = 2: 4,400 against the default's
   * 51,000 before its repeated masks are cached; 21,700 for k = 3 against 151,000), growing with
   * the number of terms, never with N^k. Groups of G consecutive samples ({@link
   * Estimators#anchoredGroup}: 5 for k = 2, 3 for more) share their draws, so the control rows at
   * the point are sent once per group: about S ((2^(k-1) - 1) R (1 + 1/G) + 1) rows are sent (2,800
   * per modality for k = 2), the rest count as cached.
   *
   * <p><b>Why it stays unbiased.</b> For every perturbation sample x' the estimator draws R index
   * tuples r, each modality's index independently and uniformly from the pool, fresh for that
   * sample, and estimates every varying term's value as (1/R) sum_r [M(x'_T, r_-T) - M(x_T, r_-T)]
   * + v^_x(T). The bracket's mean is v_{x'}(T) - v_x(T) under the pool's product measure whatever R
   * is, and v^_x(T), the point's own estimate from independent draws, has mean v_x(T): the sum is
   * unbiased for v_{x'}(T). The second row of the bracket is a control variate: the same draw at
   * the unperturbed point, so that what the draw does to the output regardless of modality m
   * cancels draw by draw (exactly, for an additive model). The fitted targets (UC: v({m}), MI: M -
   * v({m}), each Moebius term) are linear in those values, so they are unbiased too; the
   * surrogate's weights are linear in the targets given the masks (weighted ridge) and the draws
   * are independent of the masks, so the weights are unbiased for those that the exact targets
   * would give. v^_x(T) is one constant per point: it moves intercepts, never weights. What noise
   * is left is zero-mean and independent from sample to sample; the fit averages it out and its
   * standard errors (from the residuals) include it, as every explanation reports them.
   */
  public static Preset fast() {
    return new Preset(FAST, "anchored", FAST_DRAWS, FAST_SAMPLES, FAST_SAMPLES_TWO);
  }

  /** The preset names, in the order {@link #byName} lists them. */
  public static List<String> names() {
    return List.of(DEFAULT, FAST);
  }

  /**
   * A preset by name (case-insensitive).
   *
   * @throws IllegalArgumentException naming the presets available when there is none of that name
   */
  public static Preset byName(String name) {
    requireNonNull(name, "preset name is null");
    return switch (name.toLowerCase(Locale.ROOT)) {
      case DEFAULT -> defaults();
      case FAST -> fast();
      default ->
          throw new IllegalArgumentException("no preset '" + name + "'; available: " + names());
    };
  }
}
