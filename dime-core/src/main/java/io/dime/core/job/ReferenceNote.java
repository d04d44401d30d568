package io.dime.core.job;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The note for an estimator over a fixed set of N references ({@code exact}, {@code
 * paper_faithful}) whose pool holds fewer datapoints than it asks for: it then uses the whole pool
 * (its {@code referencesUsed}) and says nothing, so a run asking for 500 references over a pool of
 * 100 looked like one that had its 500. The note names the N asked for, the pool's size and how to
 * get more; a run's summary carries it in its notes, and {@code dime explain} prints it once on
 * standard error.
 */
public final class ReferenceNote {
  private ReferenceNote() {}

  /**
   * The note for {@code estimator} (a name as {@code --estimator} takes it, or the provenance's)
   * with N = {@code references} over a pool of {@code poolSize} datapoints; empty when the pool
   * holds the references asked for, or the estimator draws its references afresh ({@code sampled},
   * {@code anchored}).
   */
  public static Optional<String> of(String estimator, int references, int poolSize) {
    String key = estimator.toLowerCase(Locale.ROOT).replace('-', '_');
    boolean paper = key.equals("paper_faithful");
    if (!(paper || key.equals("exact")) || poolSize < 1) {
      return Optional.empty();
    }
    // paper_faithful's N counts the explained point beside its N - 1 pool references
    int fromPool = paper ? references - 1 : references;
    if (poolSize >= fromPool) {
      return Optional.empty();
    }
    return Optional.of(
        "The "
            + key
            + " estimator was set to N = "
            + references
            + " references, but the reference pool holds only "
            + poolSize
            + (poolSize == 1 ? " datapoint" : " datapoints")
            + ": it uses "
            + (paper
                ? "the explained point and all " + poolSize + ", N = " + (poolSize + 1)
                : "all " + poolSize)
            + " (referencesUsed in the provenance). A larger pool gives more: a larger --pool or"
            + " --pool-size.");
  }

  /** The note for an estimator's provenance parameters ({@code estimator}, {@code references}). */
  static Optional<String> of(Map<String, Object> estimator, int poolSize) {
    return estimator.get("estimator") instanceof String name
            && estimator.get("references") instanceof Number n
        ? of(name, n.intValue(), poolSize)
        : Optional.empty();
  }
}
