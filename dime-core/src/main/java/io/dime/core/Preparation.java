package io.dime.core;

import io.dime.core.infer.BatchRunner;
import io.dime.core.infer.OutputTransform;

/**
 * What the engine settles once per run, before the first explanation: how model outputs become the
 * explained scores (the logarithm for probabilities, centring for classifiers), and the estimator's
 * own preparation (the paper-faithful table), after its budget check.
 *
 * @param transform output row to explained scores
 * @param logOutputs whether the outputs are probabilities, explained as log-probabilities
 * @param rows model rows spent preparing
 */
record Preparation(OutputTransform transform, boolean logOutputs, long rows) {
  static Preparation of(EngineConfig c, EnginePool p, PassFormula formula) {
    OutputTransform identity = new OutputTransform(false, false, c.model.outputNames());
    BatchRunner runner = new BatchRunner(c.model, c.batchSize, identity);
    boolean log;
    switch (c.declaredKind) {
      case PROBABILITIES -> log = true;
      case AUTO -> {
        double[][] y = new double[1][];
        runner.add(p.row(0), out -> y[0] = out.clone());
        runner.flush();
        log = OutputTransform.looksLikeProbabilities(y[0]);
      }
      default -> log = false;
    }
    OutputTransform transform = new OutputTransform(log, c.centerScores, c.model.outputNames());
    BatchRunner prepRunner = new BatchRunner(c.model, c.batchSize, transform);
    c.estimator.checkBudget(formula.perPoint(1));
    long rows = c.estimator.prepare(p.pool, prepRunner, c.seed) + runner.rowCount();
    return new Preparation(transform, log, rows);
  }
}
