package io.dime.core.estimate;

/** Factories of the estimators of DESIGN.md section 4. */
public final class Estimators {
  /** Default budget for the exact estimator: 50 million rows per explained point. */
  public static final long DEFAULT_EXACT_BUDGET = 50_000_000L;

  private Estimators() {}

  /** Fresh independent per-modality draws for every sample (the default; R = 100). */
  public static Estimator sampled(int draws) {
    return new SampledEstimator(draws);
  }

  /** All combinations of a fixed set of N references; exact identities. */
  public static Estimator exact(int references) {
    return new ExactEstimator(references, DEFAULT_EXACT_BUDGET);
  }

  /** As {@link #exact(int)}, refusing points that would need more than {@code maxRows} passes. */
  public static Estimator exact(int references, long maxRowsPerPoint) {
    return new ExactEstimator(references, maxRowsPerPoint);
  }

  /** The paper's Algorithm 1 (two modalities only). */
  public static Estimator paperFaithful(int references) {
    return new PaperFaithfulEstimator(references);
  }

  /** By name: "sampled", "exact", "paper_faithful" (or "paper-faithful"). */
  public static Estimator byName(String name, int n) {
    return switch (name.toLowerCase(java.util.Locale.ROOT).replace('-', '_')) {
      case "sampled" -> sampled(n);
      case "exact" -> exact(n);
      case "paper_faithful" -> paperFaithful(n);
      default ->
          throw new IllegalArgumentException(
              "no estimator '" + name + "'; available: [sampled, exact, paper_faithful]");
    };
  }
}
