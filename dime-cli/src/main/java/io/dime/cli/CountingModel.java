package io.dime.cli;

import io.dime.api.MultimodalModel;
import io.dime.api.OutputKind;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dry run's model that answers every row with 1/C in every output without running anything, and
 * counts the rows: an engine on it computes its pass counts and prepares without real model passes.
 */
final class CountingModel implements MultimodalModel {
  private final int outputs;
  private final List<String> names;
  private final OutputKind kind;
  private final java.util.Map<String, Object> provenance;
  final AtomicLong rows = new AtomicLong();

  CountingModel(MultimodalModel real) {
    this.outputs = real.outputCount();
    this.names = real.outputNames();
    this.kind = real.outputKind();
    this.provenance = real.provenance(); // the real model's (its file's SHA-256), for the report
  }

  @Override
  public double[][] predict(List<Object[]> batch) {
    rows.addAndGet(batch.size());
    double[][] out = new double[batch.size()][outputs];
    for (double[] row : out) {
      java.util.Arrays.fill(row, 1.0 / outputs);
    }
    return out;
  }

  @Override
  public int outputCount() {
    return outputs;
  }

  @Override
  public List<String> outputNames() {
    return names;
  }

  @Override
  public OutputKind outputKind() {
    return kind;
  }

  @Override
  public java.util.Map<String, Object> provenance() {
    return provenance;
  }
}
