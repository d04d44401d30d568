package io.dime.adapter.oip;

import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a run's requested outputs, filled request by request: each answer is checked against
 * the model's metadata (datatype, rank, fixed dimensions, one row per row sent) and its rows are
 * copied to their place; padding rows are dropped.
 */
final class OipOutputs {
  private final String prefix;
  private final int rows;
  private final OipSignature signature;
  private final Map<String, Column> columns = new LinkedHashMap<>();

  /** One output: its spec, the shape of a row once known, and the values. */
  private static final class Column {
    final TensorSpec spec;
    long[] rowShape;
    int rowSize;
    float[] floats;
    long[] longs;

    Column(TensorSpec spec) {
      this.spec = spec;
    }
  }

  /**
   * @param prefix the start of messages
   * @param signature the model's outputs
   * @param wanted the requested outputs
   * @param rows the rows of the whole run
   */
  OipOutputs(String prefix, OipSignature signature, List<String> wanted, int rows) {
    this.prefix = prefix;
    this.rows = rows;
    this.signature = signature;
    for (String name : wanted) {
      columns.put(name, new Column(signature.outputs.get(name)));
    }
  }

  /** Keeps the rows of one answer. */
  void add(OipRequest.Rows part, Map<String, OipResponse.Output> answer) {
    for (Column c : columns.values()) {
      String name = c.spec.name();
      OipResponse.Output o = answer.get(name);
      if (o == null) {
        throw new ModelException(
            prefix + "the response has no output '" + name + "'; it has " + answer.keySet());
      }
      ElementType type = OipDatatypes.outputType(o.datatype());
      if (type != c.spec.type()) { // also a datatype this adapter does not read (BOOL, BYTES)
        throw new ModelException(
            String.format(
                "%soutput '%s' came back as %s; the model's metadata says %s",
                prefix, name, o.datatype(), signature.outputDatatype(name)));
      }
      checkShape(c, o, part.fed());
      int offset = part.start() * c.rowSize;
      int n = part.count() * c.rowSize;
      if (type == ElementType.FLOAT32) {
        System.arraycopy(o.floats(), 0, c.floats, offset, n);
      } else {
        System.arraycopy(o.longs(), 0, c.longs, offset, n);
      }
    }
  }

  private void checkShape(Column c, OipResponse.Output o, int fed) {
    long[] shape = o.shape();
    long[] declared = c.spec.shape();
    boolean fits = shape.length == declared.length && shape.length > 0 && shape[0] == fed;
    for (int d = 1; fits && d < shape.length; d++) {
      fits = declared[d] < 0 || declared[d] == shape[d];
    }
    if (!fits) {
      throw new ModelException(
          String.format(
              "%soutput '%s' came back with shape %s for %d rows sent; the model's metadata says"
                  + " %s",
              prefix, c.spec.name(), Arrays.toString(shape), fed, Arrays.toString(declared)));
    }
    long[] perRow = Arrays.copyOfRange(shape, 1, shape.length);
    if (c.rowShape == null) {
      c.rowShape = perRow;
      long size = 1;
      for (long d : perRow) {
        size *= d;
      }
      c.rowSize = Math.toIntExact(size);
      int total = Math.multiplyExact(rows, c.rowSize);
      if (c.spec.type() == ElementType.FLOAT32) {
        c.floats = new float[total];
      } else {
        c.longs = new long[total];
      }
    } else if (!Arrays.equals(c.rowShape, perRow)) {
      throw new ModelException(
          String.format(
              "%soutput '%s' has rows of shape %s in one answer and %s in another",
              prefix, c.spec.name(), Arrays.toString(perRow), Arrays.toString(c.rowShape)));
    }
  }

  /** The outputs, in the requested order, each with the run's rows. */
  Map<String, Tensor> toTensors() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Column c : columns.values()) {
      long[] shape;
      if (c.rowShape == null) { // no rows: the metadata's dimensions, 0 where variable
        long[] declared = c.spec.shape();
        shape = new long[declared.length];
        for (int d = 1; d < declared.length; d++) {
          shape[d] = Math.max(0, declared[d]);
        }
        c.floats = new float[0];
        c.longs = new long[0];
      } else {
        shape = new long[c.rowShape.length + 1];
        System.arraycopy(c.rowShape, 0, shape, 1, c.rowShape.length);
      }
      shape[0] = rows;
      String name = c.spec.name();
      out.put(
          name,
          c.spec.type() == ElementType.FLOAT32
              ? Tensor.ofFloats(name, shape, c.floats)
              : Tensor.ofLongs(name, shape, c.longs));
    }
    return Collections.unmodifiableMap(out);
  }
}
