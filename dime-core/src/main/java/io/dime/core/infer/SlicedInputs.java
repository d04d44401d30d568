package io.dime.core.infer;

import static java.util.Objects.requireNonNull;

import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.Modality;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelSignature;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lets several modalities fill one model input, each a slice of its last dimension: a model over
 * the concatenation of an image embedding and a text embedding ({@code features} [batch, 812]) is
 * explained with two modalities whose encoders fill {@code features[0:512]} and {@code
 * features[512:812]}. The wrapped adapter's signature shows each slice as an input of its own
 * ([batch, 512] and [batch, 300]), and a call concatenates the slices, in the order of their
 * starts, into the model's input. The slices of an input must tile its last dimension, which the
 * model must fix: no gap, no overlap.
 *
 * <p>A slice is named {@code NAME[START:END]} (END exclusive), as a modality's {@code input}
 * setting gives it; the other inputs pass through as they are.
 */
public final class SlicedInputs implements ModelAdapter {
  private static final Pattern SLICE = Pattern.compile("^(.+)\\[(\\d{1,9}):(\\d{1,9})\\]$");

  /** One slice of a model input. */
  private record Slice(String name, String input, int start, int end) {
    int width() {
      return end - start;
    }
  }

  private final ModelAdapter inner;
  private final ModelSignature signature;

  /** Per sliced model input, its slices in the order of their starts. */
  private final Map<String, List<Slice>> slices;

  private SlicedInputs(
      ModelAdapter inner, ModelSignature signature, Map<String, List<Slice>> slices) {
    this.inner = inner;
    this.signature = signature;
    this.slices = slices;
  }

  /**
   * The adapter as the modalities see it: wrapped when some encoder fills a slice of an input
   * ({@code NAME[START:END]}), else {@code adapter} itself.
   *
   * @throws IllegalArgumentException when a slice names an input the model does not have, the
   *     input's last dimension is not fixed, or the slices of an input leave a gap or overlap
   */
  public static ModelAdapter wrap(ModelAdapter adapter, List<Modality<?>> modalities) {
    requireNonNull(adapter, "adapter is null");
    Map<String, List<Slice>> byInput = new LinkedHashMap<>();
    Map<String, String> owner = new HashMap<>();
    for (Modality<?> m : modalities) {
      for (TensorSpec t : m.encoder().outputs()) {
        Matcher s = SLICE.matcher(t.name());
        if (s.matches() && adapter.signature().input(t.name()).isEmpty()) {
          Slice slice =
              new Slice(
                  t.name(), s.group(1), Integer.parseInt(s.group(2)), Integer.parseInt(s.group(3)));
          byInput.computeIfAbsent(slice.input(), k -> new ArrayList<>()).add(slice);
          owner.put(t.name(), m.name());
        }
      }
    }
    if (byInput.isEmpty()) {
      return adapter;
    }
    ModelSignature sig = adapter.signature();
    Map<String, TensorSpec> sliceSpecs = new HashMap<>();
    for (Map.Entry<String, List<Slice>> e : byInput.entrySet()) {
      e.getValue().sort(Comparator.comparingInt(Slice::start).thenComparingInt(Slice::end));
      TensorSpec in =
          sig.input(e.getKey())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "modality '"
                              + owner.get(e.getValue().get(0).name())
                              + "' fills '"
                              + e.getValue().get(0).name()
                              + "', a slice of input '"
                              + e.getKey()
                              + "', which the model does not have; inputs: "
                              + sig.inputs().stream().map(TensorSpec::name).toList()));
      tile(in, e.getValue(), sliceSpecs);
    }
    List<TensorSpec> inputs = new ArrayList<>();
    for (TensorSpec t : sig.inputs()) {
      List<Slice> list = byInput.get(t.name());
      if (list == null) {
        inputs.add(t);
      } else {
        list.forEach(s -> inputs.add(sliceSpecs.get(s.name())));
      }
    }
    return new SlicedInputs(adapter, new ModelSignature(inputs, sig.outputs()), byInput);
  }

  /**
   * Checks that the slices tile the input's last dimension and puts each slice's spec (the input's
   * shape with the slice's width last) into {@code specs}.
   */
  private static void tile(TensorSpec in, List<Slice> list, Map<String, TensorSpec> specs) {
    long[] shape = in.shape();
    long width = shape.length < 2 ? -1 : shape[shape.length - 1];
    if (width < 1) {
      throw new IllegalArgumentException(
          "input '"
              + in.name()
              + "' has shape "
              + TensorSpec.shapeText(shape)
              + ": modalities can fill slices of its last dimension only when the model fixes"
              + " it");
    }
    int at = 0;
    for (Slice s : list) {
      if (s.start() != at || s.end() <= s.start() || s.end() > width) {
        throw new IllegalArgumentException(
            "the slices of input '"
                + in.name()
                + "' ("
                + list.stream().map(x -> "[" + x.start() + ":" + x.end() + ")").toList()
                + ") must cover its last dimension [0:"
                + width
                + ") exactly, each once; "
                + (s.start() > at
                    ? "nothing fills [" + at + ":" + s.start() + ")"
                    : "'" + s.name() + "' does not start where the one before ends (" + at + ")"));
      }
      at = s.end();
      long[] part = shape.clone();
      part[part.length - 1] = s.width();
      specs.put(s.name(), new TensorSpec(s.name(), in.type(), part));
    }
    if (at != width) {
      throw new IllegalArgumentException(
          "the slices of input '"
              + in.name()
              + "' end at "
              + at
              + ", but its last dimension is "
              + width
              + "; nothing fills ["
              + at
              + ":"
              + width
              + ")");
    }
  }

  @Override
  public ModelSignature signature() {
    return signature;
  }

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
    requireNonNull(inputs, "inputs is null");
    Map<String, Tensor> fed = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
      Matcher s = SLICE.matcher(e.getKey());
      if (!s.matches() || !slices.containsKey(s.group(1))) {
        fed.put(e.getKey(), e.getValue());
      }
    }
    for (Map.Entry<String, List<Slice>> e : slices.entrySet()) {
      fed.put(e.getKey(), concatenate(e.getKey(), e.getValue(), inputs));
    }
    return inner.run(fed, outputNames);
  }

  /** The slices' tensors laid side by side along the last dimension. */
  private Tensor concatenate(String input, List<Slice> list, Map<String, Tensor> inputs) {
    Tensor[] parts = new Tensor[list.size()];
    long[] lead = null;
    for (int i = 0; i < parts.length; i++) {
      Slice s = list.get(i);
      Tensor t = inputs.get(s.name());
      if (t == null) {
        throw new ModelException(
            "missing input '"
                + s.name()
                + "' (a slice of '"
                + input
                + "'); got "
                + inputs.keySet());
      }
      long[] shape = t.shape();
      long[] head = java.util.Arrays.copyOf(shape, Math.max(shape.length - 1, 0));
      if (shape.length < 2 || shape[shape.length - 1] != s.width()) {
        throw new ModelException(
            "input '"
                + s.name()
                + "' has shape "
                + TensorSpec.shapeText(shape)
                + "; a slice of width "
                + s.width()
                + " was expected last");
      }
      if (lead == null) {
        lead = head;
      } else if (!java.util.Arrays.equals(lead, head)) {
        throw new ModelException(
            "the slices of input '"
                + input
                + "' differ in their other dimensions: "
                + TensorSpec.shapeText(lead)
                + " and "
                + TensorSpec.shapeText(head)
                + " ('"
                + s.name()
                + "')");
      }
      parts[i] = t;
    }
    int width = list.get(list.size() - 1).end();
    long[] shape = java.util.Arrays.copyOf(lead, lead.length + 1);
    shape[lead.length] = width;
    long rowsLong = 1;
    for (long d : lead) {
      rowsLong *= d;
    }
    int rows = Math.toIntExact(rowsLong);
    boolean floats = parts[0].type() == ElementType.FLOAT32;
    float[] f = floats ? new float[Math.multiplyExact(rows, width)] : null;
    long[] l = floats ? null : new long[Math.multiplyExact(rows, width)];
    for (int i = 0; i < parts.length; i++) {
      int w = list.get(i).width();
      int offset = list.get(i).start();
      for (int r = 0; r < rows; r++) {
        if (floats) {
          System.arraycopy(parts[i].floats(), r * w, f, r * width + offset, w);
        } else {
          System.arraycopy(parts[i].longs(), r * w, l, r * width + offset, w);
        }
      }
    }
    return floats ? Tensor.ofFloats(input, shape, f) : Tensor.ofLongs(input, shape, l);
  }

  /** The wrapped adapter's answer: the slices are copied, the other inputs passed on. */
  @Override
  public boolean keepsInputs() {
    return inner.keepsInputs();
  }

  @Override
  public void interruptCalls(Thread thread) {
    inner.interruptCalls(thread);
  }

  @Override
  public Map<String, String> modelTypes() {
    Map<String, String> out = new LinkedHashMap<>(inner.modelTypes());
    slices.forEach(
        (input, list) -> {
          String own = out.remove(input);
          if (own != null) {
            list.forEach(s -> out.put(s.name(), own));
          }
        });
    return out;
  }

  /** The wrapped adapter's, with {@code slicedInputs}: each sliced input and its slices. */
  @Override
  public Map<String, Object> provenance() {
    Map<String, Object> p = new LinkedHashMap<>(inner.provenance());
    Map<String, List<String>> s = new LinkedHashMap<>();
    slices.forEach((input, list) -> s.put(input, list.stream().map(Slice::name).toList()));
    p.put("slicedInputs", s);
    return p;
  }

  @Override
  public void close() {
    inner.close();
  }
}
