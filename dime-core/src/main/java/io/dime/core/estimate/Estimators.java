package io.dime.core.estimate;

/** Factories of the estimators of DESIGN.md section 4. */
public final class Estimators {
  /** Default budget for the exact estimator: 50 million rows per explained point. */
  public static final long DEFAULT_EXACT_BUDGET = 50_000_000L;

  /**
   * R of the default {@code sampled} estimator (see {@code io.dime.core.Presets#DEFAULT_DRAWS}).
   */
  public static final int DEFAULT_DRAWS = 50;

  /** N of {@code exact} and {@code paper_faithful} when none is given: the paper's N. */
  public static final int DEFAULT_REFERENCES = 100;

  private Estimators() {}

  /**
   * Fresh independent per-modality draws for every distinct perturbation mask (the default; R =
   * 50): a mask repeated among a modality's samples reuses its first occurrence's estimate.
   */
  public static Estimator sampled(int draws) {
    return new SampledEstimator(draws);
  }

  /**
   * Fresh draws as {@link #sampled}, each paired with the same draw at the unperturbed point as a
   * control variate (unbiased; see the class comment of the sampled estimator): 2 R + 1 rows per
   * sample for k = 2, far less variance when the model is mostly additive. Consecutive samples
   * share their draws in groups of {@link #anchoredGroup} for the engine's number of modalities.
   * The estimator of {@code io.dime.core.Presets#fast()}.
   */
  public static Estimator anchored(int draws) {
    return new SampledEstimator(draws, true, 0);
  }

  /**
   * Samples of {@link #anchored(int)} per draw group with k modalities: that many consecutive
   * samples (in random mask order) share their R draws and so their control rows, R per term for
   * the group instead of R per sample. Each sample's value stays unbiased; the shared draws
   * correlate the errors of a group's samples a little. {@value #ANCHORED_GROUP_TWO} for k = 2,
   * {@value #ANCHORED_GROUP} for k &gt;= 3, chosen on the issue 18 tasks (BENCHMARKS.md: 1000
   * points of the synthetic k = 2 task, 100 of the analytic k = 3 task, R = 5): at k = 3, 3 cut the
   * rows sent by 33% with the smallest correlation per order 0.9920 / 0.9894 / 0.9787 (none shared:
   * 0.9924 / 0.9901 / 0.9807), 5 left order 3 at 0.9757, above its target 0.975 by less than the
   * noise of one run; at k = 2 (UC and one interaction term) 5 keeps UC and MI within 0.003 of none
   * shared.
   */
  public static int anchoredGroup(int k) {
    return k <= 2 ? ANCHORED_GROUP_TWO : ANCHORED_GROUP;
  }

  /** {@link #anchoredGroup} for k &gt;= 3. */
  public static final int ANCHORED_GROUP = 3;

  /** {@link #anchoredGroup} for k = 2. */
  public static final int ANCHORED_GROUP_TWO = 5;

  /**
   * {@link #anchored(int)} with {@code group} samples sharing each set of draws (1: none; 0: {@link
   * #anchoredGroup} for the number of modalities, as {@link #anchored(int)}).
   */
  public static Estimator anchored(int draws, int group) {
    return new SampledEstimator(draws, true, group);
  }

  /** How {@code exact(N)} picks its references unless told otherwise. */
  public static final ReferenceSelection DEFAULT_SELECTION = ReferenceSelection.REPRESENTATIVE;

  /**
   * All combinations of a fixed set of N references, chosen by {@link #DEFAULT_SELECTION}; exact
   * identities.
   */
  public static Estimator exact(int references) {
    return exact(references, DEFAULT_SELECTION);
  }

  /** All combinations of a fixed set of N references chosen as asked; exact identities. */
  public static Estimator exact(int references, ReferenceSelection selection) {
    return new ExactEstimator(references, DEFAULT_EXACT_BUDGET, selection);
  }

  /**
   * As {@link #exact(int)}, refusing points that would need more than {@code maxRowsPerPoint}
   * passes (0: no limit).
   */
  public static Estimator exact(int references, long maxRowsPerPoint) {
    return new ExactEstimator(references, maxRowsPerPoint, DEFAULT_SELECTION);
  }

  /** The paper's Algorithm 1 (two modalities only). */
  public static Estimator paperFaithful(int references) {
    return new PaperFaithfulEstimator(references);
  }

  /** By name: "sampled", "anchored", "exact", "paper_faithful" (or "paper-faithful"). */
  public static Estimator byName(String name, int n) {
    return byName(name, n, null);
  }

  /**
   * An estimator's own default size when no preset names it: R = 50 draws for {@code sampled}, 5
   * for {@code anchored}, N = 100 references for {@code exact} and {@code paper_faithful} (the
   * paper's N).
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static int defaultSize(String name) {
    return switch (name.toLowerCase(java.util.Locale.ROOT).replace('-', '_')) {
      case "sampled" -> DEFAULT_DRAWS;
      case "anchored" -> 5;
      case "exact", "paper_faithful" -> DEFAULT_REFERENCES;
      default ->
          throw new IllegalArgumentException(
              "no estimator '" + name + "'; available: [sampled, anchored, exact, paper_faithful]");
    };
  }

  /**
   * By name, with the reference selection for {@code exact} (null: {@link #DEFAULT_SELECTION}). The
   * other estimators have no fixed set to choose ({@code sampled}) or follow the paper's random one
   * ({@code paper_faithful}), so asking them for {@code representative} is an error.
   */
  public static Estimator byName(String name, int n, ReferenceSelection selection) {
    return byName(name, n, selection, DEFAULT_EXACT_BUDGET);
  }

  /**
   * {@link #byName(String, int, ReferenceSelection)}, with {@code exact}'s budget of rows per
   * explained point (the command line's {@code --max-passes-per-point}) in place of {@link
   * #DEFAULT_EXACT_BUDGET}; the other estimators take no budget of their own.
   */
  public static Estimator byName(
      String name, int n, ReferenceSelection selection, long exactBudget) {
    String key = name.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
    if (selection == ReferenceSelection.REPRESENTATIVE && !key.equals("exact")) {
      throw new IllegalArgumentException(
          "reference selection 'representative' applies to the exact estimator only, not '"
              + name
              + "'");
    }
    return switch (key) {
      case "sampled" -> sampled(n);
      case "anchored" -> anchored(n);
      case "exact" ->
          new ExactEstimator(n, exactBudget, selection == null ? DEFAULT_SELECTION : selection);
      case "paper_faithful" -> paperFaithful(n);
      default ->
          throw new IllegalArgumentException(
              "no estimator '" + name + "'; available: [sampled, anchored, exact, paper_faithful]");
    };
  }
}
