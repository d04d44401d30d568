package io.dime.core.infer;

import static java.util.Objects.requireNonNull;

import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.MultimodalModel;
import io.dime.api.OutputKind;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.Encoder;
import io.dime.spi.Modality;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelSignature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link MultimodalModel} made of the modalities' encoders and a {@link ModelAdapter}: each row's
 * values are encoded into named tensors, stacked into a batch, run, and the named output read back.
 *
 * <p>Encodings are reused: a value that recurs in a batch is encoded once, and values {@link #pin
 * pinned} (the reference pool, the explained point) are encoded once for the whole run.
 */
public final class EncodedModel implements StagedModel {
  private final List<Modality<?>> modalities;
  private final ModelAdapter adapter;
  private final String output;
  private final io.dime.core.infer.targets.OutputTargets targets; // null: the output's classes
  private final int outputCount;
  private final OutputKind kind;
  private final List<String> outputNames;
  private final List<List<TensorSpec>> specs; // per modality, per tensor (per-row shapes)
  private volatile Packed[] pinned;
  private final List<List<Object>> pinnedKeys = new java.util.ArrayList<>();
  private final List<List<List<Tensor>>> pinnedEncodings = new java.util.ArrayList<>();

  /**
   * The pinned encodings of one modality, packed: entry p of tensor t is at {@code data[t][p *
   * len[t] ..]}, so copying a pinned row touches the index and one contiguous array.
   */
  private record Packed(
      IdentityIntTable index, Object[] keys, Object[] data, int[] len, long[][] shape) {
    static final Packed EMPTY =
        new Packed(IdentityIntTable.EMPTY, new Object[0], new Object[0], new int[0], null);

    static Packed of(List<Object> keys, List<List<Tensor>> encodings) {
      if (keys.isEmpty()) {
        return EMPTY;
      }
      int tensors = encodings.get(0).size();
      Object[] data = new Object[tensors];
      int[] len = new int[tensors];
      long[][] shape = new long[tensors][];
      for (int t = 0; t < tensors; t++) {
        Tensor first = encodings.get(0).get(t);
        len[t] = first.size();
        shape[t] = first.shape();
        boolean f = first.type() == ElementType.FLOAT32;
        data[t] = f ? new float[keys.size() * len[t]] : new long[keys.size() * len[t]];
        for (int p = 0; p < keys.size(); p++) {
          Tensor x = encodings.get(p).get(t);
          if (x.size() != len[t] || x.type() != first.type()) {
            return null; // values of different sizes: no packing, the slow path handles them
          }
          System.arraycopy(f ? x.floats() : x.longs(), 0, data[t], p * len[t], len[t]);
        }
      }
      Object[] ks = keys.toArray();
      return new Packed(new IdentityIntTable(ks), ks, data, len, shape);
    }
  }

  /**
   * @param modalities in pipeline order; their encoders together must fill every model input once
   * @param adapter the model
   * @param output the model output to explain (null: the only output)
   * @param kind what the outputs are
   * @param classNames output names (null or empty: indices)
   */
  public EncodedModel(
      List<Modality<?>> modalities,
      ModelAdapter adapter,
      String output,
      OutputKind kind,
      List<String> classNames) {
    this(modalities, adapter, output, kind, classNames, null);
  }

  /**
   * A model whose explained scores are {@code targets} computed from any of its outputs (each
   * target one explained "class", named by the target), or, with null targets, the classes of one
   * output as {@link #EncodedModel(List, ModelAdapter, String, OutputKind, List)} makes them.
   *
   * @param targets the targets; null for the output's classes
   * @param kind with targets: null or {@link OutputKind#REGRESSION} (targets are explained as they
   *     are computed)
   */
  public EncodedModel(
      List<Modality<?>> modalities,
      ModelAdapter adapter,
      String output,
      OutputKind kind,
      List<String> classNames,
      io.dime.core.infer.targets.OutputTargets targets) {
    this.modalities = List.copyOf(modalities);
    this.adapter = requireNonNull(adapter, "adapter is null");
    ModelSignature sig = adapter.signature();
    this.targets = targets;
    if (targets != null) {
      if (kind != null && kind != OutputKind.REGRESSION) {
        throw new IllegalArgumentException(
            "outputKind "
                + kind.name().toLowerCase(java.util.Locale.ROOT)
                + " does not apply to targets: a target is explained as it is computed (leave"
                + " outputKind out)");
      }
      if (classNames != null && !classNames.isEmpty()) {
        throw new IllegalArgumentException(
            "classNames do not apply to targets: each target is named by its name");
      }
      targets.check(sig);
      this.kind = OutputKind.REGRESSION;
      this.output = String.join(",", targets.outputs());
      this.outputCount = targets.size();
      this.outputNames = targets.names();
    } else {
      this.kind = kind == null ? OutputKind.LOGITS : kind;
      TensorSpec outSpec = outputSpec(sig, output);
      this.output = outSpec.name();
      this.outputCount = outputCount(outSpec);
      this.outputNames = outputNames(classNames, outputCount, this.output);
    }
    this.specs = inputSpecs(this.modalities, sig);
    Packed[] empty = new Packed[this.modalities.size()];
    java.util.Arrays.fill(empty, Packed.EMPTY);
    this.pinned = empty;
    for (int j = 0; j < this.modalities.size(); j++) {
      pinnedKeys.add(new java.util.ArrayList<>());
      pinnedEncodings.add(new java.util.ArrayList<>());
    }
  }

  /** The output to explain: the named one, or the only one when none is named. */
  private static TensorSpec outputSpec(ModelSignature sig, String output) {
    if (output == null) {
      if (sig.outputs().size() != 1) {
        throw new IllegalArgumentException(
            "the model has outputs "
                + sig.outputs().stream().map(TensorSpec::name).toList()
                + "; name the one to explain");
      }
      return sig.outputs().get(0);
    }
    return sig.output(output)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no model output '"
                        + output
                        + "'; outputs: "
                        + sig.outputs().stream().map(TensorSpec::name).toList()));
  }

  /** The class count of an output of shape [batch] (1) or [batch, classes]. */
  private static int outputCount(TensorSpec outSpec) {
    long[] shape = outSpec.shape();
    if (shape.length > 2 || (shape.length == 2 && shape[1] < 1)) {
      throw new IllegalArgumentException(
          "output '"
              + outSpec.name()
              + "' must have shape [batch] or [batch, classes] with a known class count, found "
              + TensorSpec.shapeText(shape)
              + " (select and reduce it with pipeline targets: see the README)");
    }
    return shape.length == 2 ? (int) shape[1] : 1;
  }

  /** The class names, or the indices when none are given. */
  private static List<String> outputNames(List<String> classNames, int outputCount, String out) {
    if (classNames != null && !classNames.isEmpty() && classNames.size() != outputCount) {
      throw new IllegalArgumentException(
          classNames.size() + " class names for " + outputCount + " outputs of '" + out + "'");
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < outputCount; i++) {
      names.add(
          classNames == null || classNames.isEmpty() ? Integer.toString(i) : classNames.get(i));
    }
    return List.copyOf(names);
  }

  /**
   * Each modality's encoder outputs, checked against the model's inputs: every input filled by
   * exactly one modality, with its element type and a compatible row shape.
   */
  private static List<List<TensorSpec>> inputSpecs(
      List<Modality<?>> modalities, ModelSignature sig) {
    List<List<TensorSpec>> sp = new ArrayList<>();
    Map<String, String> filledBy = new LinkedHashMap<>();
    for (Modality<?> m : modalities) {
      List<TensorSpec> outs = m.encoder().outputs();
      for (TensorSpec t : outs) {
        String prev = filledBy.put(t.name(), m.name());
        if (prev != null) {
          throw new IllegalArgumentException(
              "model input '"
                  + t.name()
                  + "' is filled by both '"
                  + prev
                  + "' and '"
                  + m.name()
                  + "'");
        }
        checkInput(sig, m.name(), t);
      }
      sp.add(outs);
    }
    for (TensorSpec in : sig.inputs()) {
      if (!filledBy.containsKey(in.name())) {
        throw new IllegalArgumentException(
            "model input '"
                + in.name()
                + "' is not filled by any modality; modalities fill "
                + filledBy.keySet());
      }
    }
    return List.copyOf(sp);
  }

  /** Checks that the model has input t with t's element type and a compatible row shape. */
  private static void checkInput(ModelSignature sig, String modality, TensorSpec t) {
    TensorSpec in =
        sig.input(t.name())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "modality '"
                            + modality
                            + "' fills input '"
                            + t.name()
                            + "', which the model does not have; inputs: "
                            + sig.inputs().stream().map(TensorSpec::name).toList()));
    if (in.type() != t.type()) {
      throw new IllegalArgumentException(
          "input '"
              + t.name()
              + "' is "
              + in.type()
              + " but modality '"
              + modality
              + "' encodes "
              + t.type());
    }
    long[] ms = in.shape();
    long[] rs = t.shape();
    boolean ok = ms.length == rs.length + 1;
    for (int i = 0; ok && i < rs.length; i++) {
      ok = ms[i + 1] < 0 || rs[i] <= 0 || ms[i + 1] == rs[i];
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "input '"
              + t.name()
              + "' has shape "
              + TensorSpec.shapeText(ms)
              + " but modality '"
              + modality
              + "' encodes rows of shape "
              + TensorSpec.shapeText(rs)
              + " (? = any size)");
    }
  }

  /**
   * Encodes these values once and reuses the encodings for the rest of the run.
   *
   * @return the pinned position of the first value (the others follow in order), to name them in
   *     {@link #encode(Object[][], int[][], int)}; -1 when their encodings could not be packed
   *     (values of different sizes), in which case rows are matched by identity alone
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public synchronized int pin(int modality, Collection<?> values) {
    Encoder enc = modalities.get(modality).encoder();
    int base = pinnedKeys.get(modality).size();
    for (Object v : values) {
      pinnedKeys.get(modality).add(v);
      pinnedEncodings.get(modality).add(enc.encode(v));
    }
    Packed packed = Packed.of(pinnedKeys.get(modality), pinnedEncodings.get(modality));
    if (packed == null) {
      return -1;
    }
    Packed[] next = pinned.clone();
    next[modality] = packed;
    pinned = next;
    return base;
  }

  @Override
  public Object encode(List<Object[]> rows) {
    int n = rows.size();
    Object[][] cols = new Object[modalities.size()][n];
    for (int i = 0; i < n; i++) {
      Object[] row = rows.get(i);
      if (row.length != cols.length) {
        throw new ModelException(
            "a row has " + row.length + " values for " + cols.length + " modalities");
      }
      for (int j = 0; j < cols.length; j++) {
        cols[j][i] = row[j];
      }
    }
    return encode(cols, null, n);
  }

  /**
   * {@inheritDoc} A named position is used only when the pinned value there is the row's very
   * value; otherwise the row falls back to the identity lookup, so a wrong position costs time,
   * never correctness.
   */
  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Object encode(Object[][] cols, int[][] pinnedAt, int n) {
    if (cols.length != modalities.size()) {
      throw new ModelException(
          "rows have " + cols.length + " values for " + modalities.size() + " modalities");
    }
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    IdentityHashMap<Object, List<Tensor>> local = new IdentityHashMap<>();
    Packed[] pins = pinned;
    for (int j = 0; j < modalities.size(); j++) {
      Stack stack = new Stack(j, n, pins[j]);
      Encoder enc = modalities.get(j).encoder();
      stack.fill(cols[j], pinnedAt == null ? null : pinnedAt[j], enc, local);
      stack.addTo(inputs);
    }
    return new Encoded(n, inputs);
  }

  /**
   * One modality's tensors for a batch of n rows, stacked row after row: packed pinned encodings
   * are copied, other values encoded once per batch ({@code local}) and copied.
   */
  private final class Stack {
    private final int modality;
    private final int n;
    private final Packed pin;
    private final List<TensorSpec> sp;
    private final Object[] arrays;
    private final int[] rowLen;
    private final long[][] rowShape;

    Stack(int modality, int n, Packed pin) {
      this.modality = modality;
      this.n = n;
      this.pin = pin;
      this.sp = specs.get(modality);
      this.arrays = new Object[sp.size()];
      this.rowLen = new int[sp.size()];
      this.rowShape = new long[sp.size()][];
      if (pin.shape() != null) {
        for (int t = 0; t < sp.size(); t++) {
          rowLen[t] = pin.len()[t];
          rowShape[t] = pin.shape()[t];
          arrays[t] =
              pin.data()[t] instanceof float[]
                  ? new float[n * rowLen[t]]
                  : (Object) new long[n * rowLen[t]];
        }
      }
    }

    /**
     * Fills row i from value col[i]: from the pinned position at[i] when the value is pinned there,
     * else from its pinned encoding, else from its encoding (reused within the batch).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void fill(Object[] col, int[] at, Encoder enc, IdentityHashMap<Object, List<Tensor>> local) {
      Object last = null;
      int lastP = -1;
      List<Tensor> lastTs = null;
      Object[] keys = pin.keys();
      for (int i = 0; i < n; i++) {
        Object v = col[i];
        int direct = at == null ? -1 : at[i];
        if (direct >= 0 && direct < keys.length && keys[direct] == v && pin.shape() != null) {
          copyPinned(direct, i);
          continue;
        }
        if (i == 0 || v != last) {
          last = v;
          lastP = pin.index().get(v);
          lastTs = null;
          if (lastP < 0) {
            lastTs = local.get(v);
            if (lastTs == null) {
              lastTs = enc.encode(v);
              local.put(v, lastTs);
            }
          }
        }
        if (lastP >= 0) {
          copyPinned(lastP, i);
          continue;
        }
        copy(lastTs, i);
      }
    }

    /** Copies pinned entry p into row i. */
    private void copyPinned(int p, int i) {
      for (int t = 0; t < sp.size(); t++) {
        System.arraycopy(pin.data()[t], p * rowLen[t], arrays[t], i * rowLen[t], rowLen[t]);
      }
    }

    /** Copies a value's encoding into row i; the first sets each tensor's row size. */
    private void copy(List<Tensor> ts, int i) {
      for (int t = 0; t < sp.size(); t++) {
        Tensor tensor = ts.get(t);
        if (arrays[t] == null) {
          rowLen[t] = tensor.size();
          rowShape[t] = tensor.shape();
          arrays[t] =
              tensor.type() == ElementType.FLOAT32
                  ? new float[n * rowLen[t]]
                  : (Object) new long[n * rowLen[t]];
        } else if (tensor.size() != rowLen[t] || !Arrays.equals(tensor.shape(), rowShape[t])) {
          throw new io.dime.api.InputException(
              null,
              "modality '"
                  + modalities.get(modality).name()
                  + "' encodes values of different shapes for '"
                  + tensor.name()
                  + "': "
                  + Arrays.toString(rowShape[t])
                  + " and "
                  + Arrays.toString(tensor.shape())
                  + " (a value shaped unlike the pool's: fix the data, or give the modality's"
                  + " settings the shape the model takes)");
        }
        if (tensor.type() == ElementType.FLOAT32) {
          System.arraycopy(tensor.floats(), 0, (float[]) arrays[t], i * rowLen[t], rowLen[t]);
        } else {
          System.arraycopy(tensor.longs(), 0, (long[]) arrays[t], i * rowLen[t], rowLen[t]);
        }
      }
    }

    /** Adds the stacked tensors, of shape [n, row shape...], to the model inputs. */
    void addTo(Map<String, Tensor> inputs) {
      for (int t = 0; t < sp.size(); t++) {
        long[] shape = new long[rowShape[t].length + 1];
        shape[0] = n;
        System.arraycopy(rowShape[t], 0, shape, 1, rowShape[t].length);
        String name = sp.get(t).name();
        inputs.put(
            name,
            arrays[t] instanceof float[] f
                ? Tensor.ofFloats(name, shape, f)
                : Tensor.ofLongs(name, shape, (long[]) arrays[t]));
      }
    }
  }

  private record Encoded(int rows, Map<String, Tensor> inputs) {}

  @Override
  public double[][] run(Object encoded) {
    double[] flat = runFlat(encoded);
    double[][] out = new double[flat.length / outputCount][outputCount];
    for (int i = 0; i < out.length; i++) {
      System.arraycopy(flat, i * outputCount, out[i], 0, outputCount);
    }
    return out;
  }

  @Override
  public double[] runFlat(Object encoded) {
    return runFlat(encoded, null);
  }

  @Override
  public boolean pointBound() {
    return targets != null && targets.pointBound();
  }

  @Override
  public Object bind(Object[] point) {
    if (!pointBound()) {
      return null;
    }
    Encoded e = (Encoded) encode(List.<Object[]>of(point));
    return targets.bind(adapter.run(e.inputs(), targets.outputs()));
  }

  @Override
  public double[] runFlat(Object encoded, Object binding) {
    Encoded e = (Encoded) encoded;
    int n = e.rows();
    if (targets != null) {
      return targets.score(adapter.run(e.inputs(), targets.outputs()), n, (Object[]) binding);
    }
    Tensor y = adapter.run(e.inputs(), List.of(output)).get(output);
    if (y == null) {
      throw new ModelException("the model returned no output '" + output + "'");
    }
    if (y.size() != (long) n * outputCount) {
      throw new ModelException(
          "output '"
              + output
              + "' has "
              + y.size()
              + " values for "
              + n
              + " rows; expected "
              + (long) n * outputCount);
    }
    double[] out = new double[n * outputCount];
    if (y.type() == ElementType.FLOAT32) {
      float[] f = y.floats();
      for (int i = 0; i < out.length; i++) {
        out[i] = f[i];
      }
    } else {
      long[] l = y.longs();
      for (int i = 0; i < out.length; i++) {
        out[i] = l[i];
      }
    }
    return out;
  }

  @Override
  public int outputCount() {
    return outputCount;
  }

  @Override
  public List<String> outputNames() {
    return outputNames;
  }

  @Override
  public OutputKind outputKind() {
    return kind;
  }

  @Override
  public Map<String, Object> provenance() {
    Map<String, Object> p = new LinkedHashMap<>(adapter.provenance());
    p.put("output", output);
    if (targets != null) {
      p.put("targets", targets.describe());
    }
    return p;
  }

  @Override
  public void close() {
    adapter.close();
  }
}
