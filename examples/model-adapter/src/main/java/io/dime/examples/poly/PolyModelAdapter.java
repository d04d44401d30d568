package io.dime.examples.poly;

import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelSignature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * An open {@code poly} model. What a {@link ModelAdapter} must do, and how this one does it:
 *
 * <ul>
 *   <li><b>{@link #signature()}</b> lists every input and output with its name, element type and
 *       shape, batch dimension first, -1 for a dynamic dimension. Here each input is FLOAT32 {@code
 *       [-1, size]} and the output FLOAT32 {@code [-1, 2]}. DIME checks a pipeline against it at
 *       start, and {@code dime inspect-model} writes a pipeline skeleton from it.
 *   <li><b>{@link #run}</b> takes one tensor per input, all with the same number of rows n, and
 *       returns exactly the outputs asked for, n rows each; a row's result must not depend on the
 *       other rows of its batch, and the inputs must not be changed. Before computing anything it
 *       checks the inputs against the signature, in this order, each failure a {@link
 *       ModelException} naming the tensor and what was expected: an unknown input name (with the
 *       model's inputs: a typo is reported as a typo, not as a missing input), a missing input, a
 *       wrong element type, a wrong shape, rows that disagree; then an unknown output name (with
 *       the model's outputs). A model with a fixed batch size would split or pad the batch here.
 *   <li><b>Thread safety.</b> The engine calls {@code run} from several threads at once. This
 *       adapter keeps no state between calls (the {@link PolyModel} is immutable, every call makes
 *       its own output array), so it needs no lock; the optional {@code concurrency} setting only
 *       bounds how many calls compute at once. An adapter over a native session would check that
 *       the session allows concurrent runs, or hold a pool of sessions.
 *   <li><b>{@link #keepsInputs()}</b> is false: the inputs are read during the call and not kept,
 *       so the engine may reuse their arrays for the next batch. Leave the default (true) when in
 *       doubt.
 *   <li><b>{@link #provenance()}</b> is recorded with every explanation, as plain data: {@code
 *       adapter} (the factory's name), {@code location}, {@code sha256} (of the model file, 64
 *       lower-case hex digits), the version of the runtime that computes the outputs and every
 *       setting. This model's runtime is the JVM itself, so the entry is {@code java}; an ONNX
 *       adapter records {@code onnxruntime}, a server client the server's version. {@code
 *       dime-testkit} requires the runtime-version entry. (The plugin's own version needs no entry:
 *       the engine records every plugin's {@link io.dime.spi.DimePlugin#version()}.)
 *   <li><b>{@link #close()}</b> releases what the model holds (nothing here but the flag), may be
 *       called more than once, and makes every later {@code run} fail with a {@link
 *       ModelException}.
 * </ul>
 */
final class PolyModelAdapter implements ModelAdapter {
  private final String location;
  private final PolyModel model;
  private final ModelSignature signature;
  private final Semaphore runs;
  private final Map<String, Object> provenance;
  private volatile boolean closed;

  /**
   * @param location the model file, as given
   * @param model the parsed model
   * @param concurrency the most runs at once, or 0 for no limit
   */
  PolyModelAdapter(String location, PolyModel model, int concurrency) {
    this.location = location;
    this.model = model;
    List<TensorSpec> in = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (PolyModel.Input input : model.inputs()) {
      in.add(new TensorSpec(input.name(), ElementType.FLOAT32, new long[] {-1, input.size()}));
      names.add(input.name());
    }
    TensorSpec out = new TensorSpec(model.output(), ElementType.FLOAT32, new long[] {-1, 2});
    this.signature = new ModelSignature(in, List.of(out));
    this.runs = concurrency > 0 ? new Semaphore(concurrency) : null;
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("adapter", PolyModelAdapterFactory.NAME);
    p.put("location", location);
    p.put("sha256", model.sha256());
    p.put("java", System.getProperty("java.version"));
    p.put("inputs", List.copyOf(names));
    p.put("output", model.output());
    if (concurrency > 0) {
      p.put(PolyModelAdapterFactory.CONCURRENCY, concurrency);
    }
    this.provenance = Collections.unmodifiableMap(p);
  }

  @Override
  public ModelSignature signature() {
    return signature;
  }

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
    if (closed) {
      throw new ModelException("poly model '" + location + "' is closed");
    }
    int rows = check(inputs, outputNames);
    if (runs == null) {
      return compute(inputs, outputNames, rows);
    }
    try {
      runs.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelException("poly model '" + location + "': interrupted while waiting to run");
    }
    try {
      return compute(inputs, outputNames, rows);
    } finally {
      runs.release();
    }
  }

  /** Checks the call against the signature and returns its number of rows. */
  private int check(Map<String, Tensor> inputs, List<String> outputNames) {
    List<String> names = signature.inputs().stream().map(TensorSpec::name).toList();
    for (String name : inputs.keySet()) {
      if (!names.contains(name)) {
        throw fail("no input '" + name + "'; its inputs: " + names);
      }
    }
    long rows = -1;
    for (TensorSpec spec : signature.inputs()) {
      Tensor t = inputs.get(spec.name());
      if (t == null) {
        throw fail("input '" + spec.name() + "' is missing; its inputs: " + names);
      }
      if (t.type() != ElementType.FLOAT32) {
        throw fail("input '" + spec.name() + "' is " + t.type() + "; expected FLOAT32");
      }
      long[] shape = t.shape();
      if (shape.length != 2 || shape[1] != spec.shape()[1]) {
        throw fail(
            "input '"
                + spec.name()
                + "' has shape "
                + Arrays.toString(shape)
                + "; expected [batch, "
                + spec.shape()[1]
                + "]");
      }
      if (rows >= 0 && shape[0] != rows) {
        throw fail("input '" + spec.name() + "' has " + shape[0] + " rows; the others " + rows);
      }
      rows = shape[0];
    }
    for (String name : outputNames) {
      if (!name.equals(model.output())) {
        throw fail("no output '" + name + "'; its outputs: [" + model.output() + "]");
      }
    }
    return (int) rows;
  }

  private Map<String, Tensor> compute(Map<String, Tensor> inputs, List<String> outputNames, int n) {
    Map<String, Tensor> result = new LinkedHashMap<>();
    if (outputNames.isEmpty()) {
      return result;
    }
    List<float[]> x = new ArrayList<>();
    for (PolyModel.Input input : model.inputs()) {
      x.add(inputs.get(input.name()).floats());
    }
    float[] logits = new float[2 * n];
    for (int r = 0; r < n; r++) {
      double y = model.y(x, r);
      logits[2 * r] = (float) -y;
      logits[2 * r + 1] = (float) y;
    }
    result.put(model.output(), Tensor.ofFloats(model.output(), new long[] {n, 2}, logits));
    return result;
  }

  private ModelException fail(String what) {
    return new ModelException("poly model '" + location + "': " + what);
  }

  @Override
  public boolean keepsInputs() {
    return false;
  }

  @Override
  public Map<String, Object> provenance() {
    return provenance;
  }

  @Override
  public void close() {
    closed = true;
  }
}
