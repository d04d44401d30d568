package io.dime.core;

import io.dime.core.estimate.Estimator;
import io.dime.core.infer.BatchRunner;

/**
 * What the steps of one datapoint's explanation share: its id and seed, the estimator's session,
 * the model runner and the values at the point.
 *
 * @param id the datapoint's id (seeds derive from it)
 * @param seed the seed of this run (a replicate's own)
 * @param session the estimator's session for this datapoint
 * @param runner the batching model runner every row goes through
 * @param pv v(T) and the term errors at the point
 * @param classes the number of model outputs C
 * @param deadline {@link System#nanoTime()} by which the explanation must be done
 */
record PointContext(
    String id,
    long seed,
    Estimator.Session session,
    BatchRunner runner,
    Estimator.PointValues pv,
    int classes,
    long deadline) {}
