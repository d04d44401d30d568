package io.dime.core;

import io.dime.api.run.GlobalShares;
import io.dime.api.run.HiddenModality;
import io.dime.core.decompose.GlobalAnalysis;
import io.dime.core.decompose.HiddenBaseline;
import io.dime.core.infer.BatchRunner;
import io.dime.spi.FeatureSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The engine's checks of the model as a whole, over the pool: global shares, hidden features. */
final class GlobalChecks {
  private final EngineConfig c;
  private final EnginePool pool;
  private final Preparation prep;

  GlobalChecks(EngineConfig c, EnginePool pool, Preparation prep) {
    this.c = c;
    this.pool = pool;
    this.prep = prep;
  }

  /** See {@link Dime#globalAnalysis(int)}. */
  GlobalShares globalAnalysis(int references) {
    int[] idx = pool.pool.choose(references, c.seed);
    Object[][] refs = new Object[idx.length][];
    List<Optional<String>> labels = new ArrayList<>();
    for (int i = 0; i < idx.length; i++) {
      refs[i] = pool.row(idx[i]);
      labels.add(pool.labels.get(idx[i]));
    }
    return GlobalAnalysis.run(
        c.model,
        refs,
        GlobalAnalysis.labelIndices(labels, c.model.outputNames()),
        c.model.outputNames(),
        prep.transform(),
        c.batchSize);
  }

  /** See {@link Dime#hiddenBaseline(int)}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  List<HiddenModality> hiddenBaseline(int maxRecords) {
    int[] idx = pool.pool.choose(Math.max(1, maxRecords), c.seed);
    List<HiddenModality> out = new ArrayList<>();
    for (int m = 0; m < c.k; m++) {
      BatchRunner runner = new BatchRunner(c.model, c.batchSize, prep.transform());
      List<double[]> original = new ArrayList<>();
      List<double[]> hidden = new ArrayList<>();
      for (int i : idx) {
        FeatureSet fs;
        try {
          fs = pool.featurizer.featurize(m, pool.pool.value(i, m), pool.pool.id(i));
        } catch (RuntimeException e) {
          continue;
        }
        Object[] row = pool.row(i);
        int at = original.size();
        original.add(null);
        hidden.add(null);
        runner.add(row, y -> original.set(at, y.clone()));
        row = row.clone();
        row[m] = fs.apply(new boolean[fs.size()]);
        runner.add(row, y -> hidden.set(at, y.clone()));
      }
      runner.flush();
      if (!original.isEmpty()) {
        out.add(
            HiddenBaseline.summarise(
                c.names.get(m),
                c.model.outputNames(),
                original,
                hidden,
                c.declaredKind != io.dime.api.OutputKind.REGRESSION));
      }
    }
    return out;
  }
}
