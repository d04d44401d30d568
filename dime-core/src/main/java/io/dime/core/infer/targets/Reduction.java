package io.dime.core.infer.targets;

import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.ModelSignature;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An element, a slice or a reduction of one output: per axis after the batch axis a selector
 * ({@code 3}, {@code -1}, {@code 2:10}, {@code :}; axes not given are taken whole), then, when more
 * than one element is selected, their sum, mean, maximum or minimum. The mean text probability in a
 * box of a detector's map is {@code select: [0, "40:80", "100:300"], reduce: mean}.
 */
public final class Reduction extends OutputTarget {
  /** How the selected elements become one number. */
  public enum Op {
    SUM,
    MEAN,
    MAX,
    MIN;

    static Op parse(String target, String s) {
      if (s == null || s.isBlank()) {
        return null;
      }
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "target '" + target + "': reduce is '" + s + "'; allowed: sum, mean, max, min");
      }
    }
  }

  private final String output;
  private final List<String> select;
  private final Op op;
  private volatile Plan plan;

  /**
   * The selected elements of a row of a given shape, as contiguous runs: run r starts at {@code
   * start[r]} within the row and has {@code len} elements.
   */
  private record Plan(long[] rowShape, int rowSize, int[] start, int len) {
    int count() {
      return start.length * len;
    }
  }

  /**
   * @param name the target's name
   * @param output the model output
   * @param select one selector per axis after the batch axis (fewer: the rest whole); null: all
   * @param reduce sum, mean, max or min; null only when one element is selected
   */
  public Reduction(String name, String output, List<String> select, String reduce) {
    super(name);
    if (output == null || output.isBlank()) {
      throw new IllegalArgumentException(
          "target '" + name + "' names no output (give output: when the model has several)");
    }
    this.output = output;
    for (int i = 0; select != null && i < select.size(); i++) {
      if (select.get(i) == null) { // List.copyOf threw a NullPointerException
        throw new IllegalArgumentException(
            "target '"
                + name
                + "': selector "
                + i
                + " is empty (null); give an index (3, -1) or a slice (2:10, :5, -3:, :)");
      }
    }
    this.select = select == null ? List.of() : List.copyOf(select);
    this.op = Op.parse(name, reduce);
    for (String s : this.select) {
      Selector.parse(name, s); // fail early on a malformed selector
    }
  }

  @Override
  public List<String> outputs() {
    return List.of(output);
  }

  @Override
  public void check(ModelSignature signature) {
    TensorSpec s = spec(signature, output);
    long[] shape = s.shape();
    if (shape.length == 0) {
      throw new IllegalArgumentException(
          "target '" + name() + "': output " + shapeOf(s) + " has no batch axis");
    }
    long[] row = Arrays.copyOfRange(shape, 1, shape.length);
    if (select.size() > row.length) {
      throw new IllegalArgumentException(
          "target '"
              + name()
              + "': "
              + select.size()
              + " selectors for output "
              + shapeOf(s)
              + ", which has "
              + row.length
              + " axes after the batch axis");
    }
    long count = 1;
    for (int a = 0; a < row.length; a++) {
      if (row[a] < 0) {
        count = -1; // open: checked on the first batch
        continue;
      }
      int[] r = range(a, (int) row[a], shapeOf(s));
      if (count > 0) {
        count *= r[1] - r[0];
      }
    }
    if (count > 1 && op == null) {
      throw new IllegalArgumentException(
          "target '"
              + name()
              + "' selects "
              + count
              + " elements of output "
              + shapeOf(s)
              + "; give reduce: sum, mean, max or min");
    }
  }

  /** The [from, to) range axis a selects on a dimension of size dim. */
  private int[] range(int a, int dim, String where) {
    String sel = a < select.size() ? select.get(a) : ":";
    int[] r = Selector.parse(name(), sel).resolve(dim);
    if (r == null) {
      throw new IllegalArgumentException(
          "target '"
              + name()
              + "': selector '"
              + sel
              + "' on axis "
              + (a + 1)
              + " of "
              + where
              + " selects nothing (that axis has size "
              + dim
              + ")");
    }
    return r;
  }

  private Plan plan(long[] batchShape) {
    long[] row = Arrays.copyOfRange(batchShape, 1, batchShape.length);
    Plan p = plan;
    if (p != null && Arrays.equals(p.rowShape(), row)) {
      return p;
    }
    String where = "output " + output + " " + dims(batchShape);
    if (select.size() > row.length) {
      throw new ModelException(
          "target '" + name() + "': " + select.size() + " selectors for " + where);
    }
    int[][] ranges = new int[row.length][];
    int[] strides = new int[row.length];
    int size = 1;
    for (int a = row.length - 1; a >= 0; a--) {
      strides[a] = size;
      size = Math.multiplyExact(size, (int) row[a]);
    }
    try {
      for (int a = 0; a < row.length; a++) {
        ranges[a] = range(a, (int) row[a], where);
      }
    } catch (IllegalArgumentException e) {
      throw new ModelException(e.getMessage());
    }
    int last = row.length - 1;
    int len = last < 0 ? 1 : ranges[last][1] - ranges[last][0];
    int runs = 1;
    for (int a = 0; a < last; a++) {
      runs *= ranges[a][1] - ranges[a][0];
    }
    int[] start = new int[runs];
    int[] idx = new int[Math.max(last, 0)];
    for (int a = 0; a < last; a++) {
      idx[a] = ranges[a][0];
    }
    for (int r = 0; r < runs; r++) {
      int off = last < 0 ? 0 : ranges[last][0];
      for (int a = 0; a < last; a++) {
        off += idx[a] * strides[a];
      }
      start[r] = off;
      for (int a = last - 1; a >= 0; a--) { // odometer over the leading axes
        if (++idx[a] < ranges[a][1]) {
          break;
        }
        idx[a] = ranges[a][0];
      }
    }
    p = new Plan(row, size, start, len);
    if (p.count() > 1 && op == null) {
      throw new ModelException(
          "target '"
              + name()
              + "' selects "
              + p.count()
              + " elements of "
              + where
              + "; give reduce: sum, mean, max or min");
    }
    plan = p;
    return p;
  }

  @Override
  public void score(
      Map<String, Tensor> outputs, int n, Object binding, double[] out, int col, int stride) {
    Tensor y = tensor(outputs, output, n);
    Plan p = plan(y.shape());
    double[] buf = new double[p.len()];
    for (int i = 0; i < n; i++) {
      int base = i * p.rowSize();
      double acc = op == Op.MAX ? Double.NEGATIVE_INFINITY : 0;
      if (op == Op.MIN) {
        acc = Double.POSITIVE_INFINITY;
      }
      for (int s : p.start()) {
        copy(y, base + s, buf, p.len());
        for (double v : buf) {
          acc =
              switch (op == null ? Op.SUM : op) {
                case SUM, MEAN -> acc + v;
                case MAX -> Math.max(acc, v);
                case MIN -> Math.min(acc, v);
              };
        }
      }
      out[i * stride + col] = op == Op.MEAN ? acc / p.count() : acc;
    }
  }

  @Override
  public String describe() {
    return name()
        + " = "
        + (op == null ? "" : op.name().toLowerCase(Locale.ROOT) + " of ")
        + output
        + (select.isEmpty() ? "" : select.toString());
  }
}
