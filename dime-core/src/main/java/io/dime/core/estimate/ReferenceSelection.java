package io.dime.core.estimate;

import io.dime.core.random.Seeds;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How an estimator with a fixed reference set ({@code exact(N)}) picks its N references from the
 * pool.
 *
 * <ul>
 *   <li>{@link #RANDOM}: N pool datapoints drawn without replacement from the seed.
 *   <li>{@link #REPRESENTATIVE}: N pool datapoints chosen greedily so that the set's first two
 *       moments match the pool's. The fixed set's error is that its means are not the pool's
 *       (DESIGN.md section 4), and it is shared by every sample of every explained point; matching
 *       the moments removes most of it.
 * </ul>
 *
 * <p>The representative choice works on each pool datapoint's numeric summary ({@link
 * Pool#summary}): the float tensors its modalities encode into, block-averaged to at most {@link
 * Pool#SUMMARY_WIDTH} numbers per modality (token ids and other integer tensors are left out).
 * Every coordinate is standardised with the pool's mean and standard deviation to z, and a
 * datapoint is described by phi = (z, (z^2 - 1) / sqrt 2), whose pool mean is 0. The first
 * reference is drawn from the seed among the candidates; each next one is the candidate that brings
 * the sum of the chosen phi closest to 0 (ties to the earlier candidate). Candidates: the whole
 * pool when it has at most {@link #CANDIDATES_PER_REFERENCE} x N datapoints, else that many drawn
 * from the seed. The target moments are always the whole pool's. Cost: N x candidates x 4 x
 * (summary width) flops, about 10^8 for N = 100 on a 3 x 10 vector task. When no modality encodes
 * into floats the choice falls back to {@link #RANDOM}, and the estimator's parameters say so.
 */
public enum ReferenceSelection {
  RANDOM,
  REPRESENTATIVE;

  /** Candidates considered per chosen reference when the pool is larger. */
  public static final int CANDIDATES_PER_REFERENCE = 20;

  /**
   * Pool datapoints whose moments are matched, at most: a larger pool's are estimated on this many
   * drawn from the seed (the candidates among them), to 1/100 of a standard deviation.
   */
  public static final int MOMENT_SAMPLE = 10_000;

  /** The name used in options and provenance: "random" or "representative". */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** By name, case-insensitive. */
  public static ReferenceSelection of(String name) {
    for (ReferenceSelection s : values()) {
      if (s.id().equalsIgnoreCase(name.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "no reference selection '" + name + "'; available: [random, representative]");
  }

  /** What {@link #choose} did: the sorted pool indices and the selection actually applied. */
  public record Choice(int[] indices, String applied) {}

  /**
   * Chooses n references from the pool reproducibly from the seed: the whole pool in order when it
   * has at most n datapoints.
   */
  public Choice choose(Pool pool, int n, long seed) {
    if (pool.size() <= n) {
      // nothing to choose: every pool datapoint is a reference
      return new Choice(FixedReferences.choose(pool.size(), n, seed), "whole pool");
    }
    if (this == RANDOM) {
      return new Choice(FixedReferences.choose(pool.size(), n, seed), RANDOM.id());
    }
    int[] candidates =
        pool.size() <= (long) CANDIDATES_PER_REFERENCE * n
            ? FixedReferences.choose(pool.size(), pool.size(), seed)
            : FixedReferences.choose(pool.size(), CANDIDATES_PER_REFERENCE * n, seed);
    int[] momentSet =
        candidates.length >= Math.min(pool.size(), MOMENT_SAMPLE)
            ? candidates
            : FixedReferences.choose(pool.size(), MOMENT_SAMPLE, seed);
    int[] chosen = representative(pool, candidates, momentSet, n, seed);
    if (chosen == null) {
      String why =
          pool.summary(momentSet[0]).length == 0
              ? " (no float encodings)"
              : " (no float encoding varies over the pool)";
      return new Choice(FixedReferences.choose(pool.size(), n, seed), RANDOM.id() + why);
    }
    return new Choice(chosen, id());
  }

  /**
   * The greedy moment matching, or null when the summaries have no varying coordinate. The target
   * moments are those of {@code momentSet}, which holds the candidates (both sorted); every summary
   * is computed once.
   */
  private static int[] representative(
      Pool pool, int[] candidates, int[] momentSet, int n, long seed) {
    double[][] candidateSummaries = new double[candidates.length][];
    Moments moments = moments(pool, candidates, momentSet, candidateSummaries);
    if (moments.keep().length == 0) {
      return null;
    }
    Features features = features(candidateSummaries, moments);
    return greedy(features, candidates, n, seed);
  }

  /**
   * The moment set's mean and standard deviation per summary coordinate.
   *
   * @param keep the coordinates that vary, in order
   */
  private record Moments(double[] mean, double[] sd, int[] keep) {}

  /**
   * Summarises every datapoint of the moment set once, keeping the candidates' summaries in {@code
   * candidateSummaries}, and returns the set's moments.
   */
  private static Moments moments(
      Pool pool, int[] candidates, int[] momentSet, double[][] candidateSummaries) {
    double[] first = pool.summary(momentSet[0]);
    int d = first.length;
    double[] sum = new double[d];
    double[] sumSq = new double[d];
    double[] shift = first.clone(); // shifted sums keep the variance accurate
    int at = 0; // the next candidate, walking both sorted arrays together
    for (int q = 0; q < momentSet.length; q++) {
      int i = momentSet[q];
      double[] s = q == 0 ? first : pool.summary(i);
      if (s.length != d) {
        throw new IllegalArgumentException(
            "pool datapoint '"
                + pool.id(i)
                + "' encodes into "
                + s.length
                + " summary numbers, pool datapoint '"
                + pool.id(momentSet[0])
                + "' into "
                + d
                + "; encodings of one modality must have one size");
      }
      while (at < candidates.length && candidates[at] < i) {
        at++;
      }
      if (at < candidates.length && candidates[at] == i) {
        candidateSummaries[at] = s;
      }
      for (int c = 0; c < d; c++) {
        double v = s[c] - shift[c];
        sum[c] += v;
        sumSq[c] += v * v;
      }
    }
    int size = momentSet.length;
    int[] keep = new int[d];
    int kept = 0;
    double[] mean = new double[d];
    double[] sd = new double[d];
    for (int c = 0; c < d; c++) {
      double m = sum[c] / size;
      double var = Math.max(0.0, sumSq[c] / size - m * m);
      mean[c] = m + shift[c];
      sd[c] = Math.sqrt(var);
      // relative to the coordinate's own mean, not to max(1, mean): encodings of order 1e-15
      // vary as much as encodings of order 1 (before, they all counted as constant)
      if (sd[c] > 0 && sd[c] > 1e-12 * Math.abs(mean[c])) {
        keep[kept++] = c;
      }
    }
    return new Moments(mean, sd, Arrays.copyOf(keep, kept));
  }

  /**
   * Each candidate's phi = (z, (z^2 - 1) / sqrt 2) over the kept coordinates.
   *
   * @param phi candidate a's f numbers at {@code [a * f, (a + 1) * f)}
   * @param norm |phi|^2 per candidate
   * @param f numbers per candidate (twice the kept coordinates)
   */
  private record Features(double[] phi, double[] norm, int f) {}

  private static Features features(double[][] candidateSummaries, Moments moments) {
    int[] keep = moments.keep();
    double[] mean = moments.mean();
    double[] sd = moments.sd();
    int kept = keep.length;
    int f = 2 * kept;
    int nc = candidateSummaries.length;
    double[] phi = new double[nc * f];
    double[] norm = new double[nc];
    double invSqrt2 = 1.0 / Math.sqrt(2.0);
    for (int a = 0; a < nc; a++) {
      double[] s = candidateSummaries[a];
      int base = a * f;
      double nn = 0;
      for (int q = 0; q < kept; q++) {
        int c = keep[q];
        double z = (s[c] - mean[c]) / sd[c];
        double z2 = (z * z - 1.0) * invSqrt2;
        phi[base + q] = z;
        phi[base + kept + q] = z2;
        nn += z * z + z2 * z2;
      }
      norm[a] = nn;
    }
    return new Features(phi, norm, f);
  }

  /**
   * The first reference drawn from the seed, then each next the candidate that brings the sum of
   * the chosen phi closest to 0 (ties to the earlier candidate); sorted pool indices.
   */
  private static int[] greedy(Features features, int[] candidates, int n, long seed) {
    double[] phi = features.phi();
    double[] norm = features.norm();
    int f = features.f();
    int nc = candidates.length;
    boolean[] used = new boolean[nc];
    double[] resid = new double[f];
    int[] out = new int[n];
    SplittableRandom rng = Seeds.stream(seed, "", -1, Seeds.POOL, 1);
    int pick = rng.nextInt(nc);
    for (int t = 0; t < n; t++) {
      if (t > 0) {
        pick = closest(phi, norm, f, used, resid);
      }
      used[pick] = true;
      out[t] = candidates[pick];
      int base = pick * f;
      for (int q = 0; q < f; q++) {
        resid[q] += phi[base + q];
      }
    }
    Arrays.sort(out);
    return out;
  }

  /** The unused candidate minimising |resid + phi|^2 - |resid|^2 = 2 resid . phi + |phi|^2. */
  private static int closest(double[] phi, double[] norm, int f, boolean[] used, double[] resid) {
    int pick = -1;
    double best = Double.POSITIVE_INFINITY;
    for (int a = 0; a < norm.length; a++) {
      if (used[a]) {
        continue;
      }
      int base = a * f;
      double dot = 0;
      for (int q = 0; q < f; q++) {
        dot += resid[q] * phi[base + q];
      }
      double score = 2 * dot + norm[a];
      if (score < best) {
        best = score;
        pick = a;
      }
    }
    return pick;
  }
}
