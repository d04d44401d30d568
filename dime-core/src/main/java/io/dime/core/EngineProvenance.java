package io.dime.core;

import io.dime.api.Provenance;
import io.dime.spi.Modality;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one place that builds an engine's {@link Provenance}. */
final class EngineProvenance {
  private EngineProvenance() {}

  /** Every parameter of the engine, without reference draws (those belong to one explanation). */
  static Provenance of(EngineConfig c, EnginePool pool, Preparation prep) {
    Map<String, Object> faith = new LinkedHashMap<>();
    faith.put("steps", c.curveSteps);
    faith.put("heldOut", c.heldOut);
    if (c.curveSteps > 0 || c.heldOut > 0) {
      faith.put(
          "method",
          "targets of each fit by the same estimator; curves hide (deletion) or reveal"
              + " (insertion) the top ceil(t d / T) features by weight, T = min(d, steps),"
              + " trapezoid areas over the fraction, normalised by subtracting the end points'"
              + " line; held-out masks from the surrogate's design on an independent stream,"
              + " R^2 of intercept + weights . mask, unweighted and kernel-weighted");
    }
    Map<String, Map<String, Object>> mods = new LinkedHashMap<>();
    for (Modality<?> mod : c.modalities) {
      Map<String, Object> mp = new LinkedHashMap<>(mod.provenance());
      mp.put("kind", mod.kind());
      mp.put("sampling", mod.samplingHints().toString());
      mods.put(mod.name(), mp);
    }
    return new Provenance(
        Versions.dime(),
        Versions.libraries(),
        c.seed,
        c.samples,
        c.batchSize,
        c.maxOrder,
        c.replicates,
        faith,
        c.estimator.parameters(c.k),
        c.surrogate.provenance(),
        mods,
        c.model.provenance(),
        prep.logOutputs() ? "log-probabilities" : c.declaredKind.name().toLowerCase(),
        c.centerScores ? "centered" : "raw",
        new Provenance.PoolIdentity(pool.pool.size(), pool.idsSha256),
        c.limits.asMap(),
        c.runProvenance,
        List.of(),
        java.util.Optional.empty());
  }
}
