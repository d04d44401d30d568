package io.dime.core.infer;

import java.util.ArrayList;
import java.util.List;

/**
 * One batch of rows as {@link BatchRunner} queues them for a {@link StagedModel}: per modality j
 * and row i a code, {@code code >= 0} naming the model's {@link StagedModel#pinnedValue pinned}
 * value at that position (a reference-pool value), {@code code < 0} naming the batch's own value
 * {@code local(j, -code - 1)}. Rows are stored as ints, so queuing a row writes no object
 * references; a value repeated on consecutive rows (a perturbed sample run against many reference
 * draws) is stored once. Read-only for the model; valid only during {@link StagedModel#encode}.
 */
public final class RowBatch {
  private final int n;
  private final int[][] codes;
  private final Object[][] locals;
  private final int[] localCount;

  RowBatch(int n, int[][] codes, Object[][] locals, int[] localCount) {
    this.n = n;
    this.codes = codes;
    this.locals = locals;
    this.localCount = localCount;
  }

  /** The rows in the batch. */
  public int size() {
    return n;
  }

  /** The values per row (modalities). */
  public int width() {
    return codes.length;
  }

  /** Row i's code for modality j: a pinned position (>= 0) or {@code -1 - localIndex}. */
  public int code(int j, int i) {
    return codes[j][i];
  }

  /** Modality j's codes, row by row (the first {@link #size()} entries; do not modify). */
  public int[] codes(int j) {
    return codes[j];
  }

  /** The number of the batch's own values of modality j. */
  public int localCount(int j) {
    return localCount[j];
  }

  /** The batch's own value {@code index} of modality j. */
  public Object local(int j, int index) {
    return locals[j][index];
  }

  /** Row i's value of modality j; pinned values are looked up on {@code model}. */
  public Object value(int j, int i, StagedModel model) {
    int c = codes[j][i];
    return c >= 0 ? model.pinnedValue(j, c) : locals[j][-1 - c];
  }

  /** The rows as arrays of values (for a model that takes rows). */
  public List<Object[]> rows(StagedModel model) {
    List<Object[]> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Object[] row = new Object[codes.length];
      for (int j = 0; j < codes.length; j++) {
        row[j] = value(j, i, model);
      }
      rows.add(row);
    }
    return rows;
  }
}
