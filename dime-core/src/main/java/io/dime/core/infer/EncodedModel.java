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

  /** Inputs of rank 1 ([batch]) that a modality fills with rows of shape [1]: fed as [n]. */
  private final java.util.Set<String> squeezed = new java.util.HashSet<>();

  private volatile Packed[] pinned;
  private final ArrayRecycler recycled = new ArrayRecycler();

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
      TensorSpec outSpec = OutputSpecs.outputSpec(sig, output);
      OutputSpecs.checkScores(sig, outSpec, kind);
      this.output = outSpec.name();
      this.outputCount = OutputSpecs.outputCount(outSpec, classNames);
      this.outputNames = OutputSpecs.outputNames(classNames, outputCount, this.output);
    }
    this.specs = inputSpecs(this.modalities, sig, squeezed);
    Packed[] empty = new Packed[this.modalities.size()];
    java.util.Arrays.fill(empty, Packed.EMPTY);
    this.pinned = empty;
  }

  /**
   * Each modality's encoder outputs, checked against the model's inputs: every input filled by
   * exactly one modality, with its element type and a compatible row shape.
   */
  private static List<List<TensorSpec>> inputSpecs(
      List<Modality<?>> modalities, ModelSignature sig, java.util.Set<String> squeezed) {
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
        if (checkInput(sig, m.name(), t)) {
          squeezed.add(t.name());
        }
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

  /**
   * Checks that the model has input t with t's element type and a compatible row shape.
   *
   * @return whether the input has rank 1 ([batch], one number a row) and t's rows shape [1]: fed as
   *     [n]
   */
  private static boolean checkInput(ModelSignature sig, String modality, TensorSpec t) {
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
    if (ms.length == 1 && rs.length == 1 && rs[0] == 1) {
      return true;
    }
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
    return false;
  }

  /** {@link #pin(int, Collection, List, long)}, encoding every value, in half of the heap. */
  public int pin(int modality, Collection<?> values) {
    return pin(modality, values, null, Runtime.getRuntime().maxMemory() / 2);
  }

  /**
   * Encodes these values once and reuses the encodings for the rest of the run. They and the values
   * may take at most {@code budget} bytes, all modalities together ({@link Packed#append}).
   *
   * @param first the first value's encodings made before ({@link PoolBudget#check} makes them to
   *     count the pool's bytes), packed as they are and not made again; null: made here
   * @param budget the bytes all pinned values and encodings may take (half of the JVM's heap)
   * @return the pinned position of the first value (the others follow in order), to name them in
   *     {@link #pinnedValue}; -1 when their encodings could not be packed (values of different
   *     sizes), in which case these values are encoded with each batch that holds them
   * @throws IllegalArgumentException past that share, saying how many values fit
   */
  public synchronized int pin(int modality, Collection<?> values, List<Tensor> first, long budget) {
    int base = pinned[modality].keys().length;
    long left = budget - Packed.bytes(pinned, modality) - Packed.decoded(pinned);
    Modality<?> m = modalities.get(modality);
    Packed packed = Packed.append(pinned[modality], new ArrayList<>(values), first, m, left);
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
    int k = modalities.size();
    int[][] codes = new int[k][n];
    Object[][] locals = new Object[k][n];
    int[] count = new int[k];
    Packed[] pins = pinned;
    for (int i = 0; i < n; i++) {
      Object[] row = rows.get(i);
      if (row.length != k) {
        throw new ModelException("a row has " + row.length + " values for " + k + " modalities");
      }
      for (int j = 0; j < k; j++) {
        int p = pins[j].index().get(row[j]);
        if (p < 0) {
          locals[j][count[j]] = row[j];
          p = -1 - count[j]++;
        }
        codes[j][i] = p;
      }
    }
    return encode(new RowBatch(n, codes, locals, count));
  }

  @Override
  public int pinnedPosition(int modality, Object value) {
    return pinned[modality].index().get(value);
  }

  @Override
  public Object pinnedValue(int modality, int position) {
    Object[] keys = pinned[modality].keys();
    return position >= 0 && position < keys.length ? keys[position] : null;
  }

  /**
   * {@inheritDoc} Pinned values are copied from their packed encodings; the batch's own values are
   * encoded once each (once per distinct value) and copied.
   */
  @Override
  public Object encode(RowBatch batch) {
    int k = modalities.size();
    if (batch.width() != k) {
      throw new ModelException("rows have " + batch.width() + " values for " + k + " modalities");
    }
    int n = batch.size();
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    int locals = 0;
    for (int j = 0; j < k; j++) {
      locals += batch.localCount(j);
    }
    IdentityHashMap<Object, List<Tensor>> seen = new IdentityHashMap<>(locals);
    Packed[] pins = pinned;
    boolean reuse = !adapter.keepsInputs();
    for (int j = 0; j < k; j++) {
      Stack stack = new Stack(j, n, pins[j], reuse);
      stack.fill(batch, j, seen);
      stack.addTo(inputs);
    }
    return new EncodedBatch(n, inputs, reuse);
  }

  /** One modality's tensors for n rows: pinned encodings copied, others encoded once a batch. */
  private final class Stack {
    private final int modality;
    private final int n;
    private final Packed pin;
    private final boolean reuse;
    private final List<TensorSpec> sp;
    private final Object[] arrays;
    private final int[] rowLen;
    private final long[][] rowShape;

    Stack(int modality, int n, Packed pin, boolean reuse) {
      this.modality = modality;
      this.n = n;
      this.pin = pin;
      this.reuse = reuse;
      this.sp = specs.get(modality);
      this.arrays = new Object[sp.size()];
      this.rowLen = new int[sp.size()];
      this.rowShape = new long[sp.size()][];
      if (pin.shape() != null) {
        for (int t = 0; t < sp.size(); t++) {
          rowLen[t] = pin.len()[t];
          rowShape[t] = pin.shape()[t];
          arrays[t] = allocate(pin.data()[t] instanceof float[], n * rowLen[t]);
        }
      }
    }

    private Object allocate(boolean floats, int length) {
      if (reuse) {
        Object a = recycled.take(floats, length);
        if (a != null) {
          return a;
        }
      }
      return floats ? new float[length] : (Object) new long[length];
    }

    /** Fills every row of modality {@code modality} from the batch's codes. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void fill(RowBatch batch, int j, IdentityHashMap<Object, List<Tensor>> seen) {
      Encoder enc = modalities.get(j).encoder();
      int locals = batch.localCount(j);
      List<Tensor>[] encoded = new List[locals];
      for (int l = 0; l < locals; l++) {
        Object v = batch.local(j, l);
        List<Tensor> ts = seen.get(v);
        if (ts == null) {
          ts = encode(enc, v);
          seen.put(v, ts);
        }
        check(ts);
        encoded[l] = ts;
      }
      int[] codes = batch.codes(j);
      for (int t = 0; t < sp.size(); t++) {
        if (arrays[t] instanceof float[] dst) {
          fillFloats(t, dst, codes, encoded);
        } else {
          fillLongs(t, (long[]) arrays[t], codes, encoded);
        }
      }
    }

    // One loop per tensor and element type, so that each copy is a typed array copy.
    private void fillFloats(int t, float[] dst, int[] codes, List<Tensor>[] encoded) {
      int len = rowLen[t];
      float[] pinned = pin.shape() != null ? (float[]) pin.data()[t] : null;
      float[] local = null; // the batch's own value last copied (code localCode)
      int localCode = 0;
      for (int i = 0, at = 0; i < n; i++, at += len) {
        int c = codes[i];
        if (c >= 0) {
          System.arraycopy(pinned, c * len, dst, at, len);
        } else {
          if (local == null || c != localCode) {
            local = encoded[-1 - c].get(t).floats();
            localCode = c;
          }
          System.arraycopy(local, 0, dst, at, len);
        }
      }
    }

    private void fillLongs(int t, long[] dst, int[] codes, List<Tensor>[] encoded) {
      int len = rowLen[t];
      long[] pinned = pin.shape() != null ? (long[]) pin.data()[t] : null;
      for (int i = 0, at = 0; i < n; i++, at += len) {
        int c = codes[i];
        long[] src = c >= 0 ? pinned : encoded[-1 - c].get(t).longs();
        System.arraycopy(src, c >= 0 ? c * len : 0, dst, at, len);
      }
    }

    /**
     * A perturbed value's encoding; a failure of the encoder's code that names no problem of its
     * own (a plugin's NullPointerException, say) is the record's input error naming the modality,
     * not a failure of the model that would count towards stopping the job.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private List<Tensor> encode(Encoder enc, Object v) {
      try {
        return enc.encode(v);
      } catch (io.dime.api.InputException | io.dime.api.ModelException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new io.dime.api.InputException(
            null,
            "encoding a perturbed value of modality '"
                + modalities.get(modality).name()
                + "' failed: "
                + PluginErrors.describe(e),
            e);
      }
    }

    /** Checks a value's encoding against the rows before; the first sets each tensor's row size. */
    private void check(List<Tensor> ts) {
      for (int t = 0; t < sp.size(); t++) {
        Tensor tensor = ts.get(t);
        if (arrays[t] == null) {
          rowLen[t] = tensor.size();
          rowShape[t] = tensor.shape();
          arrays[t] = allocate(tensor.type() == ElementType.FLOAT32, n * rowLen[t]);
        } else if (tensor.size() != rowLen[t]
            || !Arrays.equals(tensor.shape(), rowShape[t])
            || (tensor.type() == ElementType.FLOAT32) != (arrays[t] instanceof float[])) {
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
      }
    }

    /** Adds the stacked tensors, of shape [n, row shape...], to the model inputs. */
    void addTo(Map<String, Tensor> inputs) {
      for (int t = 0; t < sp.size(); t++) {
        String name = sp.get(t).name();
        long[] shape = new long[squeezed.contains(name) ? 1 : rowShape[t].length + 1];
        shape[0] = n;
        System.arraycopy(rowShape[t], 0, shape, 1, shape.length - 1);
        inputs.put(
            name,
            arrays[t] instanceof float[] f
                ? Tensor.ofFloats(name, shape, f)
                : Tensor.ofLongs(name, shape, (long[]) arrays[t]));
      }
    }
  }

  /** Gives a run batch's arrays back for the next batches, when they may be reused. */
  private void release(EncodedBatch e) {
    if (e.recycle()) {
      for (Tensor t : e.inputs().values()) {
        recycled.give(t.type() == ElementType.FLOAT32 ? t.floats() : t.longs());
      }
    }
  }

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
    EncodedBatch e = (EncodedBatch) encode(List.<Object[]>of(point));
    e.claim();
    try {
      return targets.bind(adapter.run(e.inputs(), targets.outputs()));
    } finally {
      release(e);
    }
  }

  @Override
  public double[] runFlat(Object encoded, Object binding) {
    EncodedBatch e = (EncodedBatch) encoded;
    int n = e.rows();
    e.claim();
    Map<String, Tensor> results;
    try {
      results = adapter.run(e.inputs(), targets != null ? targets.outputs() : List.of(output));
    } finally {
      release(e);
    }
    if (targets != null) {
      return targets.score(results, n, (Object[]) binding);
    }
    Tensor y = results.get(output);
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

  /** From the pinned encodings' row lengths (the pool's); 0 while a modality has none pinned. */
  @Override
  public long rowBytes(Object[] row) {
    return Packed.rowBytes(pinned);
  }

  /** The batch size the model fixes (its inputs' first dimension; the adapter cuts to it), or 0. */
  public int fixedBatch() {
    for (TensorSpec in : adapter.signature().inputs()) {
      long[] shape = in.shape();
      if (shape.length > 0 && shape[0] > 0) {
        return (int) Math.min(shape[0], Integer.MAX_VALUE);
      }
    }
    return 0;
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

  /** Passed on to the adapter, which runs the calls. */
  @Override
  public void interruptCalls(Thread thread) {
    adapter.interruptCalls(thread);
  }

  @Override
  public void close() {
    adapter.close();
  }
}
