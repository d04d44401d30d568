package io.dime.core;

import io.dime.core.infer.PluginErrors;
import io.dime.spi.ColumnFit;
import io.dime.spi.SampleDesign;
import io.dime.spi.SamplingHints;
import io.dime.spi.Surrogate;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The engine's view of its surrogate: every design and fit checked against the {@link Surrogate}
 * contract before the engine uses it, and any failure of the surrogate's code turned into the
 * record's error at stage {@code fit} ({@link StageFailure}) naming the surrogate, the modality is
 * named by the caller's record. A surrogate from a plugin that throws on one odd sample, or answers
 * with NaN weights or arrays of the wrong length, then fails that record alone; before, the
 * exception stopped the whole job, a NaN weight was written as an explanation and then broke the
 * run's summary, and a mask of the wrong length failed as if perturbing the input had.
 */
final class CheckedSurrogate implements Surrogate {
  private final Surrogate surrogate;

  private CheckedSurrogate(Surrogate surrogate) {
    this.surrogate = surrogate;
  }

  static Surrogate of(Surrogate s) {
    return s instanceof CheckedSurrogate ? s : new CheckedSurrogate(s);
  }

  @Override
  public String name() {
    return surrogate.name();
  }

  @Override
  public Map<String, Object> provenance() {
    return surrogate.provenance();
  }

  @Override
  public SampleDesign design(int features, int samples, SamplingHints hints, SplittableRandom rng) {
    SampleDesign d;
    try {
      d = surrogate.design(features, samples, hints, rng);
    } catch (RuntimeException e) {
      throw failed("design", e);
    }
    if (d == null) {
      throw wrong("design", "no design (null)");
    }
    if (d.samples() < 1) {
      throw wrong("design", "no samples");
    }
    boolean[][] masks = d.masks();
    double[] w = d.weights();
    for (int s = 0; s < masks.length; s++) {
      if (masks[s] == null || masks[s].length != features) {
        throw wrong(
            "design",
            "sample "
                + s
                + " has a mask of "
                + (masks[s] == null ? "null" : masks[s].length + " features")
                + " for "
                + features
                + " features");
      }
      if (!(w[s] >= 0) || Double.isInfinite(w[s])) {
        throw wrong("design", "sample " + s + " has the weight " + w[s] + " (finite, >= 0)");
      }
    }
    return d;
  }

  @Override
  public List<ColumnFit> fit(SampleDesign design, double[][] targets) {
    List<ColumnFit> fits;
    try {
      fits = surrogate.fit(design, targets);
    } catch (RuntimeException e) {
      throw failed("fit", e);
    }
    int columns = targets.length == 0 ? 0 : targets[0].length;
    if (fits == null || fits.size() != columns) {
      throw wrong(
          "fit",
          (fits == null ? "no fits (null)" : fits.size() + " fits")
              + " for "
              + columns
              + " target columns");
    }
    int d = design.features();
    for (int col = 0; col < columns; col++) {
      ColumnFit f = fits.get(col);
      if (f == null) {
        throw wrong("fit", "no fit (null) for target column " + col);
      }
      if (f.weights().length != d || f.standardErrors().length != d) {
        throw wrong(
            "fit",
            "target column "
                + col
                + " has "
                + f.weights().length
                + " weights and "
                + f.standardErrors().length
                + " standard errors for "
                + d
                + " features");
      }
      for (int j = 0; j < d; j++) {
        if (!Double.isFinite(f.weights()[j])) {
          throw wrong(
              "fit",
              "target column " + col + " has the weight " + f.weights()[j] + " for feature " + j);
        }
      }
      if (!Double.isFinite(f.intercept())) {
        throw wrong("fit", "target column " + col + " has the intercept " + f.intercept());
      }
    }
    return fits;
  }

  private StageFailure failed(String what, RuntimeException e) {
    return new StageFailure(
        "fit",
        "surrogate '" + surrogate.name() + "' failed in " + what + ": " + PluginErrors.describe(e),
        e);
  }

  private StageFailure wrong(String what, String problem) {
    return new StageFailure(
        "fit", "surrogate '" + surrogate.name() + "' answered " + what + " with " + problem);
  }
}
