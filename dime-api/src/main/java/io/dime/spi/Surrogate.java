package io.dime.spi;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A local surrogate (LIME, KernelSHAP): owns its mask distribution, sample weights and solver.
 * Fitting is linear in the targets, so every target of a modality (every term, every explained
 * class) is fitted as a column of one matrix with one factorisation.
 *
 * <p>Implementations are immutable and thread-safe.
 *
 * @since 0.1
 */
public interface Surrogate {
  /** Stable name: "lime", "kernel_shap". Never null. */
  String name();

  /**
   * Draws the perturbation masks and their weights. Sample 0 is the unperturbed input (all ones).
   *
   * @param features number of features d, at least 1
   * @param samples number of samples S requested (a surrogate may return fewer, e.g. when it
   *     enumerates every mask)
   * @param hints the modality's LIME defaults
   * @param rng seeded per (seed, datapoint, modality)
   * @return the masks and their weights, never null
   */
  SampleDesign design(int features, int samples, SamplingHints hints, SplittableRandom rng);

  /**
   * Fits every column of {@code targets}.
   *
   * @param design the masks and weights from {@link #design}
   * @param targets S rows by T columns: row s holds the targets of sample s; not changed
   * @return T fits, in column order; never null
   */
  List<ColumnFit> fit(SampleDesign design, double[][] targets);

  /** Every parameter, as plain data, for provenance. Never null. */
  Map<String, Object> provenance();
}
